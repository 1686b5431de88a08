"""What each role sees of the pins (services.pins_view): moderators everything,
other staff exact places with released texts only, everyone else the public view."""

from __future__ import annotations

from pathlib import Path

import pytest

from datapack.loading import load_districts
from rules.pins import PinDraft
from rules.roles import Actor, Role
from services.pins_view import pins_for_role, pins_shown, visible_pins
from store import SqliteStore
from tests.factories import hire_staff
from tests.pages.apptest_helpers import open_lab

MODERATOR = Actor("mo", Role.MODERATOR)


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    """Two online notes at one place in Brackel: one text released, one not yet."""
    store = SqliteStore(tmp_path / "v.sqlite")
    hire_staff(store)
    point = load_districts().geometry("320").representative_point()
    store.add_pins(
        [
            PinDraft("320", point.x, point.y, "dark", "night", 2, "Laterne kaputt", "a"),
            PinDraft("320", point.x, point.y, "dark", "night", 2, "Name, Adresse", "b"),
        ]
    )
    first = store.pins_in_quarter("320")[0].id
    store.release_text(first, actor=MODERATOR)
    return store


def _texts(store: SqliteStore, role: Role) -> list[str]:
    return visible_pins(store, "320", role)["text"].tolist()


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_moderators_see_every_text_and_the_exact_place(store: SqliteStore, role: Role) -> None:
    frame = store.pins_frame(["320"])
    seen = visible_pins(store, "320", role)
    assert seen["text"].tolist() == ["Laterne kaputt", "Name, Adresse"]
    assert seen.geometry.geom_equals(frame.geometry).all()


@pytest.mark.parametrize("role", [Role.PLANNER, Role.STEERING, Role.FACILITATOR])
def test_other_staff_see_exact_places_but_only_released_texts(
    store: SqliteStore, role: Role
) -> None:
    frame = store.pins_frame(["320"])
    seen = visible_pins(store, "320", role)
    assert seen["text"].tolist() == ["Laterne kaputt", ""]
    assert seen.geometry.geom_equals(frame.geometry).all()
    assert frame["text"].tolist() == ["Laterne kaputt", "Name, Adresse"]  # input unchanged


def test_participants_see_the_public_view(store: SqliteStore) -> None:
    frame = store.pins_frame(["320"])
    seen = visible_pins(store, "320", Role.PARTICIPANT)
    # Two online notes in one cell count as two people: shown, snapped to the grid.
    assert seen["text"].tolist() == ["Laterne kaputt", ""]
    assert not seen.geometry.geom_equals(frame.geometry).any()
    assert seen.geometry.iloc[0].equals(seen.geometry.iloc[1])
    assert pins_for_role(frame, Role.PARTICIPANT).geometry.geom_equals(seen.geometry).all()


def test_a_lonely_note_is_shown_to_its_own_lab_session_only(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite")
    hire_staff(store)
    session = open_lab(store)
    point = load_districts().geometry("320").representative_point()
    store.add_pins(
        [PinDraft("320", point.x, point.y, "dark", "night", 2, "", "c", session_id=session.id)]
    )
    frame = store.pins_frame(["320"])
    assert pins_for_role(frame, Role.PARTICIPANT).empty
    assert len(pins_for_role(frame, Role.PARTICIPANT, own_session=session.id)) == 1
    assert len(visible_pins(store, "320", Role.PARTICIPANT, own_session=session.id)) == 1


@pytest.mark.parametrize(
    ("demo_mode", "show_demo", "show_real", "expected"),
    [
        (True, True, False, True),
        (True, False, True, False),
        (False, True, False, False),
        (False, False, True, True),
    ],
)
def test_the_planner_switch_that_counts_is_the_one_for_the_databases_kind(
    demo_mode: bool, show_demo: bool, show_real: bool, expected: bool
) -> None:
    assert pins_shown(demo_mode=demo_mode, show_demo=show_demo, show_real=show_real) is expected
