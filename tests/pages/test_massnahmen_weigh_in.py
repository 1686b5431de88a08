"""The plan of measures and residents' weigh-in, in AppTest: planners open and close a
quarter's comment phase; the steering circle sees supports and released comments
beside each measure's status buttons."""

from __future__ import annotations

from pathlib import Path

from shapely.geometry import Point

from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from store import SqliteStore
from tests.pages.apptest_helpers import open_page, texts

PAGE = "pages/stadt/massnahmen.py"
PLANNER = Actor("pia", Role.PLANNER)
MONA = Actor("mona", Role.MODERATOR)


def _phase_lines(at: object) -> list[str]:
    return [m for m in texts(at.markdown) if "Kommentarphase" in m]  # type: ignore[attr-defined]


def test_a_planner_opens_and_closes_a_quarters_comment_phase(db_path: Path) -> None:
    store = SqliteStore(db_path)
    at = open_page(PAGE, role=Role.PLANNER)
    assert "Brackel: **Kommentarphase geschlossen**" in _phase_lines(at)
    button = at.button(key="comment_phase_320")
    assert button.label == "Kommentarphase öffnen"
    button.click().run()
    assert store.is_comment_phase_open("320") and not store.is_comment_phase_open("530")
    assert "Brackel: **Kommentarphase offen**" in _phase_lines(at)
    assert at.button(key="comment_phase_320").label == "Kommentarphase schließen"
    at.button(key="comment_phase_320").click().run()
    assert not store.is_comment_phase_open("320")

    steering = open_page(PAGE, role=Role.STEERING, name="stella")
    assert "Brackel: **Kommentarphase geschlossen**" in _phase_lines(steering)
    assert not [b for b in steering.button if b.key and b.key.startswith("comment_phase_")]


def test_the_steering_circle_sees_what_residents_said_beside_the_buttons(
    db_path: Path,
) -> None:
    store = SqliteStore(db_path)
    store.set_comment_phase("320", True, actor=PLANNER)
    place = Point(7.5512, 51.5187)
    liked = store.create_measure(MeasureDraft("Laterne", "lighting", "320", place), actor=PLANNER)
    store.create_measure(MeasureDraft("Hecke", "greenery", "320", place), actor=PLANNER)
    store.support_measure(liked.id, "a")
    store.support_measure(liked.id, "b")
    released = store.add_measure_comment(liked.id, "a", "Endlich! <b>Danke</b>")
    store.add_measure_comment(liked.id, "b", "Noch nicht gelesen")
    store.release_comment(released, actor=MONA)
    store.move_measure(liked.id, "discussed", actor=PLANNER)

    at = open_page(PAGE, role=Role.STEERING, name="stella")
    (said,) = [e for e in at.expander if "finden das gut" in e.label]
    assert said.label == "2 Personen finden das gut · 1 Kommentar"
    assert texts(said.text) == ["Endlich! <b>Danke</b>"]  # as written, never markup
    assert "Noch nicht gelesen" not in texts(at.text)  # not released: not shown
    assert "0 Personen finden das gut · keine freigegebenen Kommentare" in texts(at.caption)
    assert at.button(key=f"move_{liked.id}_decided").label == "Beschließen"
