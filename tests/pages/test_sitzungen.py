"""Lab sessions in AppTest: a facilitator opens one and gets its code; a second click on
"Eröffnen" opens no second session; a missing title is explained."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from rules.roles import Actor, Role
from store import SqliteStore
from tests.pages.apptest_helpers import open_page, texts

PAGE = "pages/stadt/sitzungen.py"


def _fill(at: AppTest, title: str) -> None:
    at.text_input[0].input(title)
    at.text_input[1].input("Bürgerhaus <b>Brackel</b>")


def _open_button(at: AppTest) -> Button:
    (button,) = [b for b in at.button if b.label == "Eröffnen"]
    return button


def test_a_facilitator_opens_a_session_once_even_when_clicking_twice(db_path: Path) -> None:
    at = open_page(PAGE, role=Role.FACILITATOR, name="fa")
    _fill(at, "Quartierslabor Brackel 1")
    _open_button(at).click().run()
    assert not at.exception and not at.error
    (session,) = SqliteStore(db_path).sessions(actor=Actor("fa", Role.FACILITATOR))
    assert session.title == "Quartierslabor Brackel 1" and session.is_open
    assert any(session.join_code in m for m in texts(at.markdown))  # the code card
    _open_button(at).click().run()  # the same form again, as a double click sends it
    assert not at.error
    again = SqliteStore(db_path).sessions(actor=Actor("fa", Role.FACILITATOR))
    assert [s.id for s in again] == [session.id]
    assert any(session.join_code in m for m in texts(at.markdown))


def test_a_session_without_a_title_is_explained_and_not_opened(db_path: Path) -> None:
    at = open_page(PAGE, role=Role.FACILITATOR, name="fa")
    _fill(at, "   ")
    _open_button(at).click().run()
    assert texts(at.error) == ["Bitte geben Sie dem Quartierslabor einen Titel."]
    assert SqliteStore(db_path).sessions(actor=Actor("fa", Role.FACILITATOR)) == []
