"""Lab sessions in AppTest: a facilitator opens one and gets its code on top of an emptied
form; a second click on "Eröffnen" opens no second session; a missing title is explained;
the list names each quarter; closing asks first and can be undone; a localhost link warns
that phones cannot reach it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from datapack.loading import load_districts
from rules.roles import Actor, PermissionDeniedError, Role
from store import SqliteStore
from tests.pages.apptest_helpers import (
    FACILITATOR,
    click_map,
    fill_form,
    join_lab,
    new_app,
    open_lab,
    open_page,
    submit,
    texts,
)

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
    _fill(at, "Quartierslabor Brackel 1")  # the same form again, as a double click sends it
    _open_button(at).click().run()
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


def _in_page_order(node: Any) -> list[str]:
    """The values of the page's text elements, top to bottom."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        return [v for key in sorted(children) for v in _in_page_order(children[key])]
    value = getattr(node, "value", None)
    return [value] if isinstance(value, str) else []


def _labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_after_opening_the_code_card_is_on_top_and_the_form_is_empty(db_path: Path) -> None:
    at = open_page(PAGE, role=Role.FACILITATOR, name="fa")
    _fill(at, "Quartierslabor Brackel 1")
    _open_button(at).click().run()
    assert not at.exception and not at.error
    (session,) = SqliteStore(db_path).sessions(actor=Actor("fa", Role.FACILITATOR))
    shown = _in_page_order(at.main)
    card = shown.index(f"# `{session.join_code}`")
    assert card < shown.index("Quartierslabor eröffnen")  # the code card is above the form
    assert [box.value for box in at.text_input[:2]] == ["", ""]


def test_the_list_names_each_sessions_quarter(db_path: Path) -> None:
    open_lab(SqliteStore(db_path), quarter_id="320")
    at = open_page(PAGE, role=Role.FACILITATOR, name="fa")
    assert any(c.startswith("Brackel") for c in texts(at.caption)), texts(at.caption)


def test_closing_asks_first_and_a_closed_lab_can_be_reopened(db_path: Path) -> None:
    store = SqliteStore(db_path)
    lab = open_lab(store)
    at = open_page(PAGE, role=Role.FACILITATOR, name="fa")
    at.button(key=f"close_{lab.id}").click().run()
    assert store.session_by_code(lab.join_code).is_open  # type: ignore[union-attr]
    assert {"Ja, beenden", "Abbrechen"} <= set(_labels(at))
    at.button(key=f"close_no_{lab.id}").click().run()
    assert "Ja, beenden" not in _labels(at)
    assert store.session_by_code(lab.join_code).is_open  # type: ignore[union-attr]
    at.button(key=f"close_{lab.id}").click().run()
    at.button(key=f"close_yes_{lab.id}").click().run()
    assert not at.exception and not at.error
    assert not store.session_by_code(lab.join_code).is_open  # type: ignore[union-attr]
    at.button(key=f"reopen_{lab.id}").click().run()
    assert not at.exception and not at.error
    reopened = store.session_by_code(lab.join_code)
    assert reopened is not None and reopened.is_open and reopened.closed_at is None


def test_a_localhost_join_link_warns_that_phones_cannot_reach_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SQ_PUBLIC_URL", raising=False)
    monkeypatch.setattr("ui.staff_sessions.own_ipv4_addresses", lambda: ["192.168.1.20"])
    lab = open_lab(SqliteStore(db_path))
    at = open_page(PAGE, role=Role.FACILITATOR, name="fa")
    at.button(key=f"show_{lab.id}").click().run()
    (warning,) = texts(at.warning)
    assert "SQ_PUBLIC_URL" in warning and "http://192.168.1.20:8501" in warning


def test_a_public_url_gives_no_localhost_warning(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SQ_PUBLIC_URL", "https://sq.example.org")
    lab = open_lab(SqliteStore(db_path))
    at = open_page(PAGE, role=Role.FACILITATOR, name="fa")
    at.button(key=f"show_{lab.id}").click().run()
    assert texts(at.warning) == []
    assert any("https://sq.example.org/?code=" in c for c in texts(at.caption))


def test_the_store_reopens_only_for_staff_who_run_sessions(db_path: Path) -> None:
    store = SqliteStore(db_path)
    lab = open_lab(store)
    store.close_session(lab.id, actor=FACILITATOR)
    with pytest.raises(PermissionDeniedError):
        store.reopen_session(lab.id, actor=Actor("pia", Role.PLANNER))
    store.reopen_session(lab.id, actor=FACILITATOR)
    assert store.session_by_code(lab.join_code).is_open  # type: ignore[union-attr]


def _save_after_the_lab_closed(db_path: Path) -> tuple[AppTest, SqliteStore]:
    """A participant types a note; the facilitator closes the lab; then they save."""
    store = SqliteStore(db_path)
    lab = open_lab(store)
    at = join_lab(new_app(), lab.join_code)
    point = load_districts().geometry("320").representative_point()
    click_map(at, point.x, point.y)
    fill_form(at, text="Kein Licht am Fußweg")
    store.close_session(lab.id, actor=FACILITATOR)
    submit(at)
    assert not at.exception
    return at, store


def test_a_note_saved_after_the_lab_closed_is_explained_plainly(db_path: Path) -> None:
    at, store = _save_after_the_lab_closed(db_path)
    assert texts(at.warning) == [
        "Das Quartierslabor „Quartierslabor Brackel“ ist beendet und nimmt keine neuen "
        "Hinweise mehr an. Danke fürs Mitmachen!"
    ]
    assert store.count_pins() == 0


def test_a_note_saved_after_the_lab_closed_keeps_its_typed_text(db_path: Path) -> None:
    at, _ = _save_after_the_lab_closed(db_path)
    assert "Kein Licht am Fußweg" in texts(at.text)
    at.run()  # and on every run after it
    assert "Kein Licht am Fußweg" in texts(at.text)


def test_each_open_labs_code_card_leads_to_its_presentation_view(db_path: Path) -> None:
    store = SqliteStore(db_path)
    first, second = open_lab(store), open_lab(store, title="Quartierslabor Brackel 2")
    at = open_page(PAGE, role=Role.FACILITATOR, name="fa")
    assert at.get("link_button") == []  # no code card shown yet
    at.button(key=f"show_{second.id}").click().run()
    (link,) = at.get("link_button")
    assert link.proto.label == "Präsentationsansicht"
    # Relative: from /sitzungen to /praesentation, behind any base path of the app.
    assert link.proto.url == f"praesentation?sitzung={second.id}"
    assert "neuen Tab" in link.proto.help
    at.button(key=f"show_{first.id}").click().run()
    assert [b.proto.url for b in at.get("link_button")] == [f"praesentation?sitzung={first.id}"]
