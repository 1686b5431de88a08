"""The moderation page with a long queue: one page of texts at a time, narrowed by quarter
and lab, released one by one or several at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from rules.roles import Actor, Role
from store import SqliteStore
from tests.factories import make_draft
from tests.pages.apptest_helpers import open_lab, open_page, texts

PAGE = "pages/stadt/moderation.py"
MONA = Actor("mona", Role.MODERATOR)


@pytest.fixture
def queue(db_path: Path) -> SqliteStore:
    """45 texts waiting: 30 from a lab in Brackel, 15 from Hörde without a lab."""
    store = SqliteStore(db_path)
    lab = open_lab(store)
    for i in range(30):
        draft = make_draft(f"b{i}", quarter_id="320", text=f"Brackel Nr. {i}", session_id=lab.id)
        store.add_pin(draft)
    for i in range(15):
        store.add_pin(make_draft(f"h{i}", quarter_id="530", text=f"Hörde Nr. {i}"))
    return store


def shown_texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text if t.value.endswith(tuple("0123456789"))]


def page_input(at: AppTest) -> Any:
    (found,) = [n for n in at.number_input if n.label.startswith("Seite")]
    return found


def test_a_long_queue_shows_one_page_at_a_time(queue: SqliteStore) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    assert "Texte, die auf Freigabe warten (45)" in texts(at.subheader)
    assert shown_texts(at) == [f"Brackel Nr. {i}" for i in range(20)]
    assert page_input(at).label == "Seite (von 3)"
    page_input(at).set_value(3).run()
    assert shown_texts(at) == [f"Hörde Nr. {i}" for i in range(10, 15)]


def test_the_queue_narrows_to_one_quarter_or_one_lab(queue: SqliteStore) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    at.selectbox(key="moderation_quarter").select("530").run()
    assert "Texte, die auf Freigabe warten (15)" in texts(at.subheader)
    assert shown_texts(at) == [f"Hörde Nr. {i}" for i in range(15)]
    assert not [n for n in at.number_input if n.label.startswith("Seite")]  # one page only
    at.selectbox(key="moderation_quarter").select(None).run()
    (lab,) = queue.pending_labs(actor=MONA)
    at.selectbox(key="moderation_lab").select(lab).run()
    assert "Texte, die auf Freigabe warten (30)" in texts(at.subheader)


def test_one_text_or_the_selected_ones_are_released(queue: SqliteStore) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    at.button(key="release_selected").click().run()
    assert "Bitte wählen Sie zuerst Texte aus (das Kästchen unter jedem Text)." in texts(at.info)
    first = queue.pending_texts(actor=MONA, limit=3)
    at.button(key=f"release_{first[0].id}").click().run()
    assert "Texte, die auf Freigabe warten (44)" in texts(at.subheader)
    for pin in first[1:]:
        at.checkbox(key=f"release_selected_{pin.id}").check()
    at.button(key="release_selected").click().run()
    assert not at.exception, at.exception
    assert "Texte, die auf Freigabe warten (42)" in texts(at.subheader)
    assert queue.count_pending_texts(actor=MONA) == 42
    assert {p.id for p in first}.isdisjoint(p.id for p in queue.pending_texts(actor=MONA))
    assert shown_texts(at)[0] == "Brackel Nr. 3"
