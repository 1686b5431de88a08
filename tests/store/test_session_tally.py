"""The tally a lab's presentation view shows: notes of one session and their supports,
whether it is open; on both backends."""

from __future__ import annotations

from datetime import date

import pytest

from rules.labs import LabSession
from rules.roles import Actor, Role
from store import Store
from store.session_tally import SessionTally
from tests.conftest import StoreFactory
from tests.factories import make_draft

FACILITATOR = Actor(name="fritz", role=Role.FACILITATOR)
MODERATOR = Actor(name="mona", role=Role.MODERATOR)


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


def _open(store: Store, title: str = "Quartierslabor Brackel") -> LabSession:
    return store.open_session(
        quarter_id="brackel",
        title=title,
        held_on=date(2025, 3, 12),
        place="Bürgerhaus",
        format="lab_table",
        actor=FACILITATOR,
    )


def _note(store: Store, token: str, session: LabSession | None) -> int:
    changes = {} if session is None else {"session_id": session.id, "channel": session.format}
    return store.add_pin(make_draft(token, participant=f"author-{token}", **changes)).id


def test_a_new_session_has_nothing_yet(store: Store) -> None:
    session = _open(store)
    assert store.session_tally(session.id) == SessionTally(is_open=True, notes=0, supports=0)


def test_an_unknown_session_has_no_tally(store: Store) -> None:
    assert store.session_tally(4711) is None


def test_only_this_sessions_notes_and_their_supports_count(store: Store) -> None:
    lab, other = _open(store), _open(store, title="Quartierslabor Brackel 2")
    first, second = _note(store, "a", lab), _note(store, "b", lab)
    elsewhere, online = _note(store, "c", other), _note(store, "d", None)
    for participant in ("p1", "p2", "p3"):
        store.add_support(first, participant)
    store.add_support(second, "p1")
    store.add_support(elsewhere, "p1")
    store.add_support(online, "p1")
    assert store.session_tally(lab.id) == SessionTally(is_open=True, notes=2, supports=4)
    assert store.session_tally(other.id) == SessionTally(is_open=True, notes=1, supports=1)


def test_a_hidden_note_and_its_supports_leave_the_tally(store: Store) -> None:
    lab = _open(store)
    kept, hidden = _note(store, "a", lab), _note(store, "b", lab)
    store.add_support(kept, "p1")
    store.add_support(hidden, "p2")
    store.hide_pin(hidden, actor=MODERATOR, reason="Beleidigung")
    assert store.session_tally(lab.id) == SessionTally(is_open=True, notes=1, supports=1)


def test_a_merged_duplicate_counts_once_with_its_author_as_a_support(store: Store) -> None:
    lab = _open(store)
    kept, duplicate = _note(store, "a", lab), _note(store, "b", lab)
    store.add_support(duplicate, "p1")
    store.merge_pins(kept, duplicate, actor=MODERATOR, reason="doppelt")
    assert store.session_tally(lab.id) == SessionTally(is_open=True, notes=1, supports=2)


def test_a_closed_session_says_so_and_keeps_its_counts(store: Store) -> None:
    lab = _open(store)
    _note(store, "a", lab)
    store.close_session(lab.id, actor=FACILITATOR)
    assert store.session_tally(lab.id) == SessionTally(is_open=False, notes=1, supports=0)
    store.reopen_session(lab.id, actor=FACILITATOR)
    tally = store.session_tally(lab.id)
    assert tally is not None and tally.is_open
