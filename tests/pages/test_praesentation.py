"""The presentation view of a lab in AppTest: a facilitator sees the quarter, the short
address, the code, the QR code and the count of this session's notes and supports, in
German and without the menu; a closed lab says so and hides its code; the view is for
facilitators and admins only."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rules.labs import LabSession
from rules.roles import Role
from store import SqliteStore
from tests.factories import make_draft
from tests.pages.apptest_helpers import (
    APP,
    FACILITATOR,
    ensure_account,
    open_lab,
    texts,
)
from ui.auth import USER_KEY, StaffLogin

PAGE = "pages/stadt/praesentation.py"


def _view(session_id: object, role: Role | None = Role.FACILITATOR, name: str = "fa") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if role is not None:
        ensure_account(name, role)
        at.session_state[USER_KEY] = StaffLogin(
            username=name, role=role, last_seen=datetime.now(UTC)
        )
    at.query_params["sitzung"] = str(session_id)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    """The view's text as a person reads it: the HTML blocks without their tags."""
    bodies = " ".join(str(element.proto.body) for element in at.get("html"))
    return re.sub(r"\s+", " ", re.sub(r"<style>.*?</style>|<[^>]+>", " ", bodies, flags=re.S))


def _code(session: LabSession) -> str:
    """The code as the view shows it: two groups of three, easier to read from afar."""
    return f"{session.join_code[:3]} {session.join_code[3:]}"


def _note(store: SqliteStore, session: LabSession, token: str) -> int:
    draft = make_draft(
        token,
        quarter_id=session.quarter_id,
        session_id=session.id,
        channel=session.format,
        participant=f"author-{token}",
    )
    return store.add_pin(draft).id


def test_a_facilitator_sees_quarter_address_code_qr_and_count(db_path: Path) -> None:
    store = SqliteStore(db_path)
    session = open_lab(store)
    at = _view(session.id)
    shown = _shown(at)
    assert "Brackel" in shown and "Quartierslabor Brackel" in shown
    assert "Öffnen Sie auf dem Handy" in shown and "und geben Sie diesen Code ein:" in shown
    assert _code(session) in shown
    assert "0 Hinweise · 0 Unterstützungen" in shown
    bodies = " ".join(str(element.proto.body) for element in at.get("html"))
    assert 'alt="QR-Code mit der Adresse des Quartierslabors"' in bodies
    assert "data:image/png;base64," in bodies
    assert "Scannen und mitmachen" in shown
    # The short address: no scheme, no code in it.
    assert "http://" not in shown and "?code=" not in shown
    # No menu: its style is on this page (and the error/warning boxes are not).
    assert '[data-testid="stSidebar"]' in bodies
    assert not at.error and not at.warning


def test_the_count_is_this_sessions_notes_and_the_supports_they_have(db_path: Path) -> None:
    store = SqliteStore(db_path)
    session = open_lab(store)
    other = open_lab(store, title="Quartierslabor Brackel 2")
    at = _view(session.id)
    first = _note(store, session, "a")
    _note(store, session, "b")
    _note(store, other, "c")
    store.add_support(first, "p1")
    at.run()
    assert "2 Hinweise · 1 Unterstützung" in _shown(at)
    store.add_support(first, "p2")
    _note(store, session, "d")
    at.run()
    assert "3 Hinweise · 2 Unterstützungen" in _shown(at)


def test_one_note_is_counted_in_the_singular(db_path: Path) -> None:
    store = SqliteStore(db_path)
    session = open_lab(store)
    _note(store, session, "a")
    assert "1 Hinweis · 0 Unterstützungen" in _shown(_view(session.id))


def test_a_closed_lab_says_so_and_no_longer_shows_its_code(db_path: Path) -> None:
    store = SqliteStore(db_path)
    session = open_lab(store)
    _note(store, session, "a")
    at = _view(session.id)
    assert _code(session) in _shown(at)
    store.close_session(session.id, actor=FACILITATOR)
    at.run()
    shown = _shown(at)
    assert "Dieses Quartierslabor ist geschlossen." in shown
    assert "Es können keine Hinweise mehr eingetragen werden." in shown
    assert "1 Hinweis · 0 Unterstützungen" in shown
    assert _code(session) not in shown and "data:image/png" not in shown
    store.reopen_session(session.id, actor=FACILITATOR)
    at.run()
    assert _code(session) in _shown(at)


@pytest.mark.parametrize("asked", ["", "abc", "4711", "-1", "²", "9" * 40])
def test_without_an_existing_session_the_view_says_where_to_open_it(
    db_path: Path, asked: str
) -> None:
    open_lab(SqliteStore(db_path))
    at = _view(asked)
    assert texts(at.error) == [
        "Diese Präsentationsansicht gehört zu einem bestehenden Quartierslabor. Öffnen Sie "
        "sie über die Code-Karte auf der Seite „Quartierslabore“."
    ]
    assert "Hinweise ·" not in _shown(at)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, "Diese Seite ist für Mitarbeitende der Stadt. Bitte melden Sie sich zuerst an."),
        (Role.MODERATOR, "Ihre Rolle (Moderation) darf diese Seite nicht öffnen."),
        (Role.PLANNER, "Ihre Rolle (Planung) darf diese Seite nicht öffnen."),
        (Role.STEERING, "Ihre Rolle (Lenkungskreis) darf diese Seite nicht öffnen."),
    ],
)
def test_only_facilitators_and_admins_open_the_view(
    db_path: Path, role: Role | None, expected: str
) -> None:
    session = open_lab(SqliteStore(db_path))
    at = _view(session.id, role=role, name=f"user-{role.value if role else 'none'}")
    assert texts(at.error) == [expected]
    assert _code(session) not in _shown(at)


def test_an_admin_opens_the_view(db_path: Path) -> None:
    session = open_lab(SqliteStore(db_path))
    at = _view(session.id, role=Role.ADMIN, name="ada")
    assert _code(session) in _shown(at)


def test_a_lab_title_is_shown_as_text_never_as_markup(db_path: Path) -> None:
    session = open_lab(SqliteStore(db_path), title="Labor <b>fett</b> & Co")
    bodies = " ".join(str(element.proto.body) for element in _view(session.id).get("html"))
    assert "Labor &lt;b&gt;fett&lt;/b&gt; &amp; Co" in bodies and "<b>fett" not in bodies


def test_the_address_is_the_public_one_in_short_form(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SQ_PUBLIC_URL", "https://sq.example.org/labor/")
    session = open_lab(SqliteStore(db_path))
    shown = _shown(_view(session.id))
    assert " sq.example.org/labor " in shown
