"""Every staff page checks the role on the server, for every role below the one it needs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from geo.crs import lonlat_to_metric
from rules.pins import PinDraft
from rules.roles import Actor, Role
from store import SqliteStore
from tests.pages.apptest_helpers import open_lab, open_page, texts

REFUSED_GUEST = "Diese Seite ist für Mitarbeitende der Stadt. Bitte melden Sie sich zuerst an."
ADMIN_PASSWORD = "ein-sehr-langes-passwort"

PAGES = {
    # page: the roles that may open it
    "pages/stadt/planer.py": {
        Role.FACILITATOR,
        Role.MODERATOR,
        Role.PLANNER,
        Role.STEERING,
        Role.ADMIN,
    },
    "pages/stadt/daten.py": {
        Role.FACILITATOR,
        Role.MODERATOR,
        Role.PLANNER,
        Role.STEERING,
        Role.ADMIN,
    },
    "pages/stadt/vergleich.py": {
        Role.FACILITATOR,
        Role.MODERATOR,
        Role.PLANNER,
        Role.STEERING,
        Role.ADMIN,
    },
    "pages/stadt/massnahmen.py": {
        Role.FACILITATOR,
        Role.MODERATOR,
        Role.PLANNER,
        Role.STEERING,
        Role.ADMIN,
    },
    "pages/stadt/sitzungen.py": {Role.FACILITATOR, Role.ADMIN},
    "pages/stadt/moderation.py": {Role.MODERATOR, Role.ADMIN},
    "pages/stadt/verwaltung.py": {Role.ADMIN},
}
CASES = [(page, role) for page in PAGES for role in Role]


@pytest.fixture
def store(db_path: Path) -> SqliteStore:
    store = SqliteStore(db_path)
    # Staff accounts as the pages' own store calls check them ("ada" is a test admin).
    admin = Actor("ada", Role.ADMIN)
    for role in Role:
        if role not in (Role.PARTICIPANT, Role.ADMIN):
            store.create_user(f"user-{role.value}", ADMIN_PASSWORD, role, actor=admin)
    return store


def name_for(role: Role) -> str:
    return "ada" if role is Role.ADMIN else f"user-{role.value}"


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p[6:-3]}-{r}" for p, r in CASES])
def test_each_page_opens_only_for_its_roles(store: SqliteStore, page: str, role: Role) -> None:
    at = open_page(page, role=None if role is Role.PARTICIPANT else role, name=name_for(role))
    errors = texts(at.error)
    if role in PAGES[page]:
        assert not any("darf diese Seite nicht" in e or "Bitte melden" in e for e in errors)
        assert at.title, "an allowed page shows its content"
    elif role is Role.PARTICIPANT:
        assert errors == [REFUSED_GUEST]
        assert not at.title  # nothing of the page was drawn
    else:
        assert len(errors) == 1 and "darf diese Seite nicht öffnen" in errors[0]
        assert not at.title


def test_a_stale_login_does_not_keep_admin_rights(store: SqliteStore) -> None:
    """The session says admin, but the account is a planner: the page logs it out."""
    at = open_page("pages/stadt/verwaltung.py", role=Role.ADMIN, name="user-planner")
    assert not at.title  # nothing of the page was drawn
    assert any("Rolle Ihres Kontos hat sich geändert" in w for w in texts(at.warning))
    assert texts(at.error) == [REFUSED_GUEST]  # logged out: asked to log in again


def test_only_planners_upload_layers(store: SqliteStore) -> None:
    steering = open_page("pages/stadt/daten.py", role=Role.STEERING, name=name_for(Role.STEERING))
    assert not steering.get("file_uploader")
    planner = open_page("pages/stadt/daten.py", role=Role.PLANNER, name=name_for(Role.PLANNER))
    assert planner.get("file_uploader")


def _map_points(at) -> list[tuple[float, float]]:
    (component,) = at.get("component_instance")
    layers = json.loads(component.proto.json_args)["feature_group"]
    start = layers.index("var rows = ") + len("var rows = ")
    rows = json.loads(layers[start : layers.index(";", start)])
    return [(row[0], row[1]) for row in rows]


def test_participants_see_snapped_places_and_staff_exact_ones(store: SqliteStore) -> None:
    lab = open_lab(store)
    exact = (7.547312, 51.527891)
    store.add_pin(PinDraft("320", *exact, "dark", "night", token="p1", session_id=lab.id))
    store.add_pin(
        PinDraft("320", 7.5473, 51.5279, "dark", "night", token="p2", session_id=open_lab(store).id)
    )
    at = open_page("pages/mitmachen/karte.py", role=None)
    at.button(key="quarter_brackel").click().run()
    public = _map_points(at)
    assert exact not in public
    for lon, lat in public:  # every shown place is a 25 m cell centre
        x, y = lonlat_to_metric(lon, lat)
        assert math.isclose(x % 25, 12.5, abs_tol=0.2) and math.isclose(y % 25, 12.5, abs_tol=0.2)
    staff = open_page("pages/mitmachen/karte.py", role=Role.PLANNER, name=name_for(Role.PLANNER))
    staff.button(key="quarter_brackel").click().run()
    assert exact in _map_points(staff)
