"""The residents' panel on a measure's public page, in AppTest: "Finde ich gut" once per
person, a comment that waits for moderation and then shows as plain text, hostile
input refused in German with nothing lost or doubled, and one sentence when the phase
or the status takes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from store import SqliteStore
from tests.pages.apptest_helpers import texts

PLANNER = Actor("pia", Role.PLANNER)
MONA = Actor("mona", Role.MODERATOR)


def _panel(measure_id: int) -> None:
    """The panel alone, as the public measure page calls it."""
    import os

    from store import open_store
    from ui.measure_weigh_in import weigh_in_panel

    store = open_store(os.environ["SQ_DB"])
    measure = store.measure(measure_id)
    assert measure is not None
    weigh_in_panel(store, measure)


@pytest.fixture
def store(db_path: Path) -> SqliteStore:
    return SqliteStore(db_path)


@pytest.fixture
def measure(store: SqliteStore) -> int:
    """A proposed measure in Brackel, whose comment phase is open."""
    store.set_comment_phase("320", True, actor=PLANNER)
    draft = MeasureDraft("Laterne am Durchgang", "lighting", "320", Point(7.5512, 51.5187))
    return store.create_measure(draft, actor=PLANNER).id


def _resident(measure_id: int) -> AppTest:
    """A fresh visitor (a participation number of its own) on the panel."""
    at = AppTest.from_function(_panel, args=(measure_id,), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def _send(at: AppTest, measure_id: int, text: str) -> AppTest:
    at.text_area(key=f"weigh_in_text_{measure_id}").input(text)
    at.button(key=f"weigh_in_send_{measure_id}").click().run()
    assert not at.exception, at.exception
    return at


def test_a_person_likes_a_measure_once(measure: int) -> None:
    first = _resident(measure)
    assert "0 Personen finden das gut" in texts(first.markdown)
    first.button(key=f"weigh_in_support_{measure}").click().run()
    assert "1 Person findet das gut" in texts(first.markdown)
    assert "Danke! Ihre Zustimmung wird gezählt." in texts(first.success)
    assert not [b for b in first.button if b.key == f"weigh_in_support_{measure}"]
    first.run()  # and again: still one, no button to press twice
    assert "1 Person findet das gut" in texts(first.markdown)
    second = _resident(measure)
    assert second.button(key=f"weigh_in_support_{measure}").label == "Finde ich gut"
    second.button(key=f"weigh_in_support_{measure}").click().run()
    assert "2 Personen finden das gut" in texts(second.markdown)


def test_a_comment_waits_for_moderation_then_shows_as_plain_text(
    store: SqliteStore, measure: int
) -> None:
    hostile = "<script>alert(1)</script> [klick](javascript:alert(1)) **fett**"
    at = _send(_resident(measure), measure, hostile)
    (thanks,) = texts(at.success)
    assert "erscheint hier, sobald ihn jemand aus der Moderation gelesen hat" in thanks
    assert at.text_area(key=f"weigh_in_text_{measure}").value == ""  # ready for the next
    assert "0 Kommentare" in " ".join(texts(at.markdown))
    assert hostile not in texts(at.text)  # invisible until released
    (waiting,) = store.pending_comments(actor=MONA)
    assert waiting.text == hostile
    store.release_comment(waiting.id, actor=MONA)
    later = _resident(measure)
    assert hostile in texts(later.text)  # st.text: shown as typed, never as markup
    assert not [m for m in texts(later.markdown) if "script" in m or "klick" in m]


def test_a_comment_far_too_long_is_refused_in_german_and_kept(
    store: SqliteStore, measure: int
) -> None:
    long_text = "Licht! " * 715  # 5,005 characters
    at = _send(_resident(measure), measure, long_text)
    errors = texts(at.error)
    assert any("5004 Zeichen lang; erlaubt sind höchstens 500" in e for e in errors), errors
    assert "5004 von 500 Zeichen" in errors  # the counter counts what would be stored
    assert at.text_area(key=f"weigh_in_text_{measure}").value == long_text  # nothing lost
    assert store.pending_comments(actor=MONA) == []
    at.text_area(key=f"weigh_in_text_{measure}").input(" ")
    at.button(key=f"weigh_in_send_{measure}").click().run()
    assert "Bitte schreiben Sie zuerst Ihren Kommentar." in texts(at.error)


def test_a_double_click_on_send_stores_one_comment(store: SqliteStore, measure: int) -> None:
    at = _send(_resident(measure), measure, "Bitte auch den Weg zur Bahn.")
    # The second click of a double click: its run may still carry the text, or not.
    _send(at, measure, "Bitte auch den Weg zur Bahn.")
    at.button(key=f"weigh_in_send_{measure}").click().run()
    assert not texts(at.error)
    assert len(texts(at.success)) == 1
    assert len(store.pending_comments(actor=MONA)) == 1


def test_a_closed_phase_says_why_in_one_sentence(store: SqliteStore, measure: int) -> None:
    store.set_comment_phase("320", False, actor=PLANNER)
    at = _resident(measure)
    assert texts(at.info) == [
        "Kommentare und Zustimmung zu den Maßnahmen dieses Quartiers sind im Moment nicht"
        " möglich: Die Kommentarphase ist geschlossen."
    ]
    assert not at.text_area and not [b for b in at.button if b.key]


def test_a_decided_measure_says_why_in_one_sentence(store: SqliteStore, measure: int) -> None:
    store.move_measure(measure, "discussed", actor=PLANNER)
    store.move_measure(measure, "decided", actor=Actor("stella", Role.STEERING))
    at = _resident(measure)
    (why,) = texts(at.info)
    assert why.startswith("Diese Maßnahme ist „beschlossen“: Kommentare und Zustimmung")
    assert not at.text_area
