"""The public plan of measures (/plan) in AppTest, as a resident without a login sees it."""

from __future__ import annotations

from pathlib import Path

from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from store import SqliteStore
from tests.pages.apptest_helpers import APP, as_shown, texts

PLANNER = Actor("pia", Role.PLANNER)
STEERING = Actor("stella", Role.STEERING)
PAGE = "pages/mitmachen/plan.py"


def _open(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def _measure(
    store: SqliteStore,
    title: str,
    *moves: str,
    quarter: str = "320",
    group: str | None = None,
    reason: str = "",
) -> int:
    place = {"320": Point(7.55, 51.52), "710": Point(7.30, 51.49)}[quarter]
    made = store.create_measure(
        MeasureDraft(title, "lighting", quarter, place, working_group=group, responsible="DSW21"),
        actor=PLANNER,
    )
    for move in moves:
        actor = PLANNER if move in ("in_progress", "done") else STEERING
        store.move_measure(made.id, move, actor=actor, reason=reason if move == "rejected" else "")
    return made.id


def _shown(at: AppTest) -> str:
    """Every text of the page a person reads, the map's script included."""
    parts = [*texts(at.markdown), *texts(at.caption), *texts(at.info), *texts(at.title)]
    parts += [p.text for p in at.progress]
    parts += [str(m.proto) for m in at.get("component_instance")]
    return as_shown(" ".join(parts))


def _entries(at: AppTest) -> list[str]:
    """The headings of the list's entries."""
    return [as_shown(m) for m in texts(at.markdown) if m.startswith("**Maßnahme ")]


def test_a_proposed_measure_is_not_shown_a_discussed_and_a_rejected_one_are(
    db_path: Path,
) -> None:
    store = SqliteStore(db_path)
    draft = _measure(store, "Geheimer Entwurf")
    talked = _measure(store, "Laterne am Hellweg", "discussed")
    refused = _measure(store, "Zaun am Spielplatz", "rejected", reason="Fläche gehört der Bahn")
    at = _open()
    assert texts(at.title) == ["Was die Stadt tut"]
    shown = _shown(at)
    assert "Geheimer Entwurf" not in shown and f"Maßnahme {draft}" not in shown
    assert _entries(at) == [
        f"**Maßnahme {talked}: Laterne am Hellweg**",
        f"**Maßnahme {refused}: Zaun am Spielplatz**",
    ]
    assert "**im Lenkungskreis beraten** seit" in shown
    assert "**verworfen** seit" in shown and "Die Begründung: Fläche gehört der Bahn" in shown
    # Each entry links to its own page.
    links = [(link.value, link.proto.query_string) for link in at.page_link]
    assert (f"Zur Maßnahme {talked}", f"nr={talked}") in links
    assert (f"Zur Maßnahme {refused}", f"nr={refused}") in links
    assert not any(q == f"nr={draft}" for _, q in links)
    # The map holds the public measures and their links, never the draft.
    (fmap,) = at.get("component_instance")
    script = str(fmap.proto)
    assert "Laterne am Hellweg" in script and f"massnahme?nr={talked}" in script
    assert "Geheimer Entwurf" not in script


def test_progress_per_quarter_in_words(db_path: Path) -> None:
    store = SqliteStore(db_path)
    _measure(store, "Fertig", "discussed", "decided", "in_progress", "done")
    _measure(store, "Offen", "discussed", "decided")
    _measure(store, "Nein", "rejected", reason="zu teuer")
    _measure(store, "Einzeln", "discussed", "decided", "in_progress", "done", quarter="710")
    at = _open()
    bars = {p.text: p.value for p in at.progress}
    assert bars == {
        "Bövinghausen: 1 von 1 Maßnahme umgesetzt": 100,
        "Brackel: 1 von 2 Maßnahmen umgesetzt (1 verworfen)": 50,
        "Phoenix-See: noch keine öffentlichen Maßnahmen": 0,
    }


def test_filters_by_status_working_group_and_quarter(db_path: Path) -> None:
    store = SqliteStore(db_path)
    a = _measure(store, "Licht", "discussed", group="infrastructure")
    b = _measure(store, "Nachbarschaftsfest", "discussed", "decided", group="neighbourhood")
    c = _measure(store, "Bank", "discussed", quarter="710", group="infrastructure")
    at = _open()
    assert len(_entries(at)) == 3
    at.selectbox(key="plan_status").set_value("decided").run()
    assert _entries(at) == [f"**Maßnahme {b}: Nachbarschaftsfest**"]
    at.selectbox(key="plan_status").set_value("all").run()
    at.selectbox(key="plan_group").set_value("infrastructure").run()
    assert _entries(at) == [f"**Maßnahme {a}: Licht**", f"**Maßnahme {c}: Bank**"]
    at.selectbox(key="plan_quarter").set_value("710").run()
    assert _entries(at) == [f"**Maßnahme {c}: Bank**"]
    assert [p.text for p in at.progress] == ["Bövinghausen: 0 von 1 Maßnahme umgesetzt"]
    assert at.query_params["quartier"] == "710"  # a shared link keeps the quarter
    at.selectbox(key="plan_status").set_value("done").run()
    assert _entries(at) == [] and texts(at.info) == ["Keine Maßnahme passt zu dieser Auswahl."]


def test_the_quarter_comes_from_the_address(db_path: Path) -> None:
    store = SqliteStore(db_path)
    _measure(store, "Licht", "discussed")
    bank = _measure(store, "Bank", "discussed", quarter="710")
    at = _open(quartier="710")
    assert at.selectbox(key="plan_quarter").value == "710"
    assert _entries(at) == [f"**Maßnahme {bank}: Bank**"]
    at = _open(quartier="nirgendwo")
    assert at.selectbox(key="plan_quarter").value == "all" and len(_entries(at)) == 2


def test_without_public_measures_the_page_says_so(db_path: Path) -> None:
    store = SqliteStore(db_path)
    _measure(store, "Entwurf")
    at = _open()
    assert texts(at.info) == [
        "Hier gibt es noch keine öffentlichen Maßnahmen. Eine Maßnahme erscheint hier, "
        "sobald der Lenkungskreis sie auf seine Tagesordnung gesetzt hat."
    ]
    assert not at.get("component_instance") and "Entwurf" not in _shown(at)
