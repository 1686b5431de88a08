"""The moderation page's queue of residents' comments on measures: shown as plain text
with their measure, released or hidden with a reason; the public only sees what was
released."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from shapely.geometry import Point

from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from store import SqliteStore
from tests.pages.apptest_helpers import as_shown, open_page, texts

PAGE = "pages/stadt/moderation.py"
PLANNER = Actor("pia", Role.PLANNER)
HOSTILE = "<script>alert(1)</script> [klick](javascript:alert(1))"


@pytest.fixture
def comments(db_path: Path) -> tuple[SqliteStore, int, list[int]]:
    """A proposed measure in Brackel with two comments waiting."""
    store = SqliteStore(db_path)
    store.set_comment_phase("320", True, actor=PLANNER)
    draft = MeasureDraft("Laterne *am* Durchgang", "lighting", "320", Point(7.5512, 51.5187))
    measure_id = store.create_measure(draft, actor=PLANNER).id
    ids = [
        store.add_measure_comment(measure_id, "a", "Bitte auch den Weg zur Bahn."),
        store.add_measure_comment(measure_id, "b", HOSTILE),
    ]
    return store, measure_id, ids


def _audit(db_path: Path) -> list[tuple[str, str, str, str]]:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(
            "SELECT actor, action, target, reason FROM audit_log"
            " WHERE action LIKE 'comment.%' ORDER BY id"
        ).fetchall()


def test_a_moderator_releases_one_comment_and_hides_another(
    comments: tuple[SqliteStore, int, list[int]], db_path: Path
) -> None:
    store, measure_id, (first, second) = comments
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    assert "Kommentare zu Maßnahmen, die auf Freigabe warten (2)" in texts(at.subheader)
    assert {"Bitte auch den Weg zur Bahn.", HOSTILE} <= set(texts(at.text))
    heads = [as_shown(m) for m in texts(at.markdown) if "Kommentar zu Maßnahme" in m]
    assert heads == [f"**Kommentar zu Maßnahme Nr. {measure_id}:** Laterne *am* Durchgang"] * 2
    at.button(key=f"comment_release_{first}").click().run()
    assert "Kommentar freigegeben: Er wird bei der Maßnahme gezeigt." in texts(at.success)
    assert "Kommentare zu Maßnahmen, die auf Freigabe warten (1)" in texts(at.subheader)
    # Hiding needs a reason, said in German; with one the comment leaves the queue.
    at.button(key=f"comment_hide_{second}").click().run()
    assert "Bitte geben Sie einen Grund an." in texts(at.error)
    at.text_input(key=f"comment_hide_reason_{second}").input("Link zu fremder Seite")
    at.button(key=f"comment_hide_{second}").click().run()
    assert "Kommentar ausgeblendet." in texts(at.success)
    assert "Es warten keine Kommentare." in texts(at.caption)
    assert store.weigh_in([measure_id])[measure_id].comments == ("Bitte auch den Weg zur Bahn.",)
    assert _audit(db_path) == [
        ("mona", "comment.release", str(first), ""),
        ("mona", "comment.hide", str(second), "Link zu fremder Seite"),
    ]


def test_a_comment_released_meanwhile_by_someone_else_leaves_the_queue(
    comments: tuple[SqliteStore, int, list[int]],
) -> None:
    store, measure_id, (first, _) = comments
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    store.release_comment(first, actor=Actor("mo", Role.MODERATOR))  # another moderator
    at.button(key=f"comment_release_{first}").click().run()
    assert not at.exception and not texts(at.error)
    assert "Kommentare zu Maßnahmen, die auf Freigabe warten (1)" in texts(at.subheader)
    assert not [b for b in at.button if b.key == f"comment_release_{first}"]
    assert store.weigh_in([measure_id])[measure_id].comments == ("Bitte auch den Weg zur Bahn.",)
