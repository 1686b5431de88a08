"""Lab sessions against a real SQLite file: join codes, open and closed sessions,
the participants' rate limit, "me too" supports, roles and the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rules.errors import ValidationError
from rules.labs import CODE_ALPHABET, CODE_LENGTH, LabSession
from rules.pins import PinDraft
from rules.roles import Actor, PermissionDeniedError, Role
from store import Store
from store.pins import PINS_PER_MINUTE, RateLimitError, SessionClosedError
from tests.conftest import StoreFactory
from tests.factories import hire_staff, make_draft

FACILITATOR = Actor(name="fritz", role=Role.FACILITATOR)
ADMIN = Actor(name="ada", role=Role.ADMIN)
MODERATOR = Actor(name="mona", role=Role.MODERATOR)
ADMIN_PW = "correct horse battery"
REFUSED_ROLES = [Role.PARTICIPANT, Role.MODERATOR, Role.PLANNER, Role.STEERING]
ALLOWED_ROLES = [Role.FACILITATOR, Role.ADMIN]


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


def _open(
    store: Store,
    quarter_id: str = "brackel",
    actor: Actor = FACILITATOR,
    title: str = "Quartierslabor Brackel",
):
    return store.open_session(
        quarter_id=quarter_id,
        title=title,
        held_on=date(2025, 3, 12),
        place="Bürgerhaus",
        format="lab_table",
        actor=actor,
    )


def _draft(token: str, *, session: LabSession | None = None, **changes: Any) -> PinDraft:
    """A draft, made in `session` (its id and format) if given."""
    if session is not None:
        changes = {"session_id": session.id, "channel": session.format, **changes}
    return make_draft(token, **changes)


# --- join codes --------------------------------------------------------------------


def test_open_session_returns_an_open_session_with_a_six_character_code(store):
    session = _open(store)
    assert len(session.join_code) == CODE_LENGTH == 6
    assert set(session.join_code) <= set(CODE_ALPHABET)
    assert session.is_open
    assert session.status == "open"
    assert session.closed_at is None
    assert (session.quarter_id, session.title, session.format) == (
        "brackel",
        "Quartierslabor Brackel",
        "lab_table",
    )
    assert session.created_by == FACILITATOR.name
    assert store.session(session.id) == session


def test_join_codes_are_unique_over_many_sessions(store):
    codes = [_open(store, title=f"Tisch {i}").join_code for i in range(150)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)


def test_the_same_form_sent_twice_opens_one_session(store):
    first = _open(store)
    assert _open(store) == first  # a double click on "open"
    assert [s.id for s in store.sessions(actor=FACILITATOR)] == [first.id]
    other_person = Actor(name="fred", role=FACILITATOR.role)
    hire_staff(store, (other_person,))
    assert _open(store, actor=other_person).id != first.id
    store.close_session(first.id, actor=FACILITATOR)
    assert _open(store).id != first.id  # a closed session is not reopened


def test_session_by_code_accepts_lower_case_spaces_and_dashes(store):
    session = _open(store)
    code = session.join_code
    typed = [
        code,
        code.lower(),
        f"{code[:3].lower()} {code[3:].lower()}",  # "k7m 3qx"
        f"{code[:3]}-{code[3:]}",
        f"  {code[:2]} - {code[2:4].lower()} {code[4:]} ",
    ]
    for text in typed:
        assert store.session_by_code(text) == session, text


def test_session_by_code_of_an_unknown_code_is_none(store):
    session = _open(store)
    other = next(ch for ch in CODE_ALPHABET if ch != session.join_code[0])
    assert store.session_by_code(other + session.join_code[1:]) is None
    assert store.session_by_code("") is None


def test_session_by_code_finds_a_closed_session_too(store):
    session = _open(store)
    store.close_session(session.id, actor=FACILITATOR)
    found = store.session_by_code(session.join_code.lower())
    assert found is not None
    assert found.id == session.id
    assert not found.is_open


# --- pins in a session -------------------------------------------------------------


def test_a_pin_in_an_open_session_keeps_session_channel_and_working_group(store):
    session = _open(store)
    pin = store.add_pin(
        _draft("t1", session=session, participant="p1", working_group="public_spaces")
    )
    assert pin.session_id == session.id
    assert pin.channel == "lab_table"
    assert pin.working_group == "public_spaces"
    assert store.pin(pin.id) == pin
    assert store.pins_in_quarter("brackel") == [pin]


def test_a_closed_session_refuses_new_pins_and_stores_nothing(store):
    session = _open(store)
    before = store.add_pin(_draft("t1", session=session, participant="p1"))
    store.close_session(session.id, actor=FACILITATOR)

    closed = store.session(session.id)
    assert closed is not None
    assert closed.status == "closed"
    assert closed.closed_at is not None

    with pytest.raises(SessionClosedError):
        store.add_pin(_draft("t2", session=session, participant="p1"))
    with pytest.raises(SessionClosedError):
        store.add_pin(_draft("t3", session=session))  # staff transcribing, too
    assert store.count_pins() == 1
    assert store.pins_in_quarter("brackel") == [before]


def test_a_retry_of_a_token_stored_before_closing_returns_that_pin(store):
    session = _open(store)
    stored = store.add_pin(_draft("t1", session=session, participant="p1"))
    store.close_session(session.id, actor=FACILITATOR)
    assert store.add_pin(_draft("t1", session=session, participant="p1")) == stored
    assert store.count_pins() == 1


def test_an_unknown_session_refuses_pins(store):
    draft = make_draft("t1", severity=None, session_id=9999)
    with pytest.raises(SessionClosedError):
        store.add_pin(draft)
    assert store.count_pins() == 0


def test_a_pin_for_another_quarter_than_the_sessions_is_refused(store):
    session = _open(store, quarter_id="brackel")
    with pytest.raises(SessionClosedError) as exc_info:
        store.add_pin(_draft("t1", session=session, quarter_id="hoerde", participant="p1"))
    assert "another quarter" in str(exc_info.value)
    assert store.count_pins() == 0
    assert store.pins_in_quarter("hoerde") == []


def test_closing_one_session_leaves_the_others_open(store):
    first, second = _open(store, title="Tisch 1"), _open(store, title="Tisch 2")
    store.close_session(first.id, actor=FACILITATOR)
    pin = store.add_pin(_draft("t1", session=second, participant="p1"))
    assert pin.session_id == second.id
    reopened = store.session(second.id)
    assert reopened is not None and reopened.is_open


# --- rate limit --------------------------------------------------------------------


def test_rate_limit_lets_the_limit_pass_and_refuses_the_next(store):
    session = _open(store)
    for i in range(PINS_PER_MINUTE):
        store.add_pin(_draft(f"p1-{i}", session=session, participant="p1"))
    with pytest.raises(RateLimitError) as exc_info:
        store.add_pin(_draft("p1-late", session=session, participant="p1"))
    assert exc_info.value.params == {"count": PINS_PER_MINUTE, "limit": PINS_PER_MINUTE}
    assert isinstance(exc_info.value, ValidationError)
    assert store.count_pins() == PINS_PER_MINUTE


def test_rate_limit_does_not_refuse_a_retry_of_a_stored_token(store):
    first = store.add_pin(_draft("p1-0", participant="p1"))
    for i in range(1, PINS_PER_MINUTE):
        store.add_pin(_draft(f"p1-{i}", participant="p1"))
    assert store.add_pin(_draft("p1-0", participant="p1")) == first


def test_rate_limit_of_one_participant_does_not_affect_another(store):
    session = _open(store)
    for i in range(PINS_PER_MINUTE):
        store.add_pin(_draft(f"p1-{i}", session=session, participant="p1"))
    with pytest.raises(RateLimitError):
        store.add_pin(_draft("p1-late", session=session, participant="p1"))
    for i in range(PINS_PER_MINUTE):
        store.add_pin(_draft(f"p2-{i}", session=session, participant="p2"))
    assert store.count_pins() == 2 * PINS_PER_MINUTE


def test_an_empty_participant_is_never_rate_limited(store):
    session = _open(store)
    for i in range(3 * PINS_PER_MINUTE):
        store.add_pin(_draft(f"staff-{i}", session=session, participant=""))
    assert store.count_pins() == 3 * PINS_PER_MINUTE


# --- supports ----------------------------------------------------------------------


def test_support_twice_by_the_same_participant_counts_once(store):
    pin = store.add_pin(_draft("t1", participant="author"))
    assert store.add_support(pin.id, "p1") == 1
    assert store.add_support(pin.id, "p1") == 1
    stored = store.pin(pin.id)
    assert stored is not None and stored.supports == 1


def test_supports_of_two_participants_count_two(store):
    pin = store.add_pin(_draft("t1", participant="author"))
    store.add_support(pin.id, "p1")
    assert store.add_support(pin.id, "p2") == 2
    assert store.pins_in_quarter("brackel")[0].supports == 2


def test_supports_of_a_hidden_pin_are_refused(store):
    pin = store.add_pin(_draft("t1", participant="author"))
    store.add_support(pin.id, "p1")
    store.hide_pin(pin.id, actor=MODERATOR, reason="Beleidigung")
    with pytest.raises(ValidationError):
        store.add_support(pin.id, "p2")
    stored = store.pin(pin.id)
    assert stored is not None and stored.supports == 1


def test_support_needs_a_participant(store):
    pin = store.add_pin(_draft("t1"))
    with pytest.raises(ValueError):
        store.add_support(pin.id, "")
    stored = store.pin(pin.id)
    assert stored is not None and stored.supports == 0


# --- roles -------------------------------------------------------------------------


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_open_session_is_refused_for(store, role):
    with pytest.raises(PermissionDeniedError):
        _open(store, actor=Actor(name="someone", role=role))
    assert store.sessions(actor=ADMIN) == []


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_close_session_is_refused_for(store, role):
    session = _open(store)
    with pytest.raises(PermissionDeniedError):
        store.close_session(session.id, actor=Actor(name="someone", role=role))
    assert store.session(session.id) == session


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.MODERATOR, Role.PLANNER, Role.STEERING])
def test_listing_sessions_is_refused_for(store, role):
    _open(store)
    with pytest.raises(PermissionDeniedError):
        store.sessions(actor=Actor(name="someone", role=role))


@pytest.mark.parametrize("role", ALLOWED_ROLES)
def test_sessions_are_run_by(store, role):
    actor = Actor(name="boss", role=role)
    hire_staff(store, (actor,))
    older = store.open_session(
        quarter_id="brackel",
        title="Erstes Labor",
        held_on=date(2025, 3, 1),
        place="",
        format="walk",
        actor=actor,
    )
    newer = _open(store, actor=actor)
    assert older.created_by == "boss"
    store.close_session(older.id, actor=actor)
    listed = store.sessions(actor=actor)
    assert [s.id for s in listed] == [newer.id, older.id]  # newest first
    assert [s.status for s in listed] == ["open", "closed"]


# --- audit -------------------------------------------------------------------------


def test_opening_and_closing_write_audit_rows(store):
    session = _open(store)
    store.close_session(session.id, actor=FACILITATOR)

    entries = [e for e in store.audit_entries(actor=ADMIN) if e.action.startswith("session.")]
    assert [(e.actor, e.action, e.target) for e in entries] == [
        ("fritz", "session.close", str(session.id)),
        ("fritz", "session.open", str(session.id)),
    ]
    opened = entries[1]
    assert session.join_code in opened.detail
    assert "brackel" in opened.detail


def test_a_refused_open_writes_no_audit_row(store):
    before = store.audit_entries(actor=ADMIN)
    with pytest.raises(PermissionDeniedError):
        _open(store, actor=Actor(name="pia", role=Role.PLANNER))
    assert store.audit_entries(actor=ADMIN) == before


def test_support_through_a_closed_lab_is_refused(store):
    session = _open(store)
    pin = store.add_pin(_draft("t-support", session=session))
    store.close_session(session.id, actor=FACILITATOR)
    with pytest.raises(SessionClosedError):
        store.add_support(pin.id, "p9", session_id=session.id)
    assert store.pin(pin.id).supports == 0


def test_the_steering_circle_lists_a_quarters_labs_without_their_codes(store: Store) -> None:
    later = store.open_session(
        quarter_id="brackel",
        title="Zweites Labor",
        held_on=date(2025, 9, 1),
        place="Schule",
        format="walk",
        actor=FACILITATOR,
    )
    first = _open(store)
    _open(store, quarter_id="hoerde")
    steering = Actor(name="stella", role=Role.STEERING)
    found = store.sessions_in("brackel", actor=steering)
    assert [s.id for s in found] == [first.id, later.id]  # oldest lab first
    assert {s.join_code for s in found} == {""}
    assert found[1].title == "Zweites Labor"
    with pytest.raises(PermissionDeniedError):
        store.sessions_in("brackel", actor=Actor(name="p", role=Role.PARTICIPANT))
