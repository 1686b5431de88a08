"""A note taken back by its author within 10 minutes, and addresses following a note,
on both backends."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from shapely.geometry import Point

from rules.errors import ValidationError
from rules.follows import (
    BAD_EMAIL,
    GONE,
    IN_A_MEASURE,
    MODERATED,
    NOT_YOURS,
    TOO_LATE,
    WithdrawRefusedError,
)
from rules.measures import MeasureDraft
from rules.pins import Pin
from rules.roles import Actor, Role
from store import Store
from tests.conftest import StoreFactory
from tests.factories import make_draft
from tests.store.sql import change, rows

PLANNER = Actor(name="pia", role=Role.PLANNER)
STEERING = Actor(name="stella", role=Role.STEERING)
MODERATOR = Actor(name="mona", role=Role.MODERATOR)
ADMIN = Actor(name="ada", role=Role.ADMIN)
ME = "a" * 32
SOMEONE = "b" * 32


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


def _note(store: Store, token: str = "t1", participant: str = ME, **changes: object) -> Pin:
    return store.add_pin(make_draft(token, participant=participant, **changes))


def _measure(store: Store, *pin_ids: int, title: str = "Laterne am Durchgang") -> int:
    draft = MeasureDraft(
        title=title,
        measure_type="lighting",
        quarter_id="brackel",
        place=Point(7.5512, 51.5187),
        working_group="infrastructure",
        responsible="Tiefbauamt",
        pin_ids=pin_ids,
    )
    return store.create_measure(draft, actor=PLANNER).id


def _count(store: Store, table: str, pin_id: int) -> int:
    return int(rows(store, f"SELECT count(*) FROM {table} WHERE pin_id = ?", (pin_id,))[0][0])


# --- withdrawing --------------------------------------------------------------


def test_the_author_withdraws_a_note_with_all_on_it_once(store: Store) -> None:
    pin = _note(store, text="Dunkle Ecke am Kiosk")
    other = _note(store, "t2", participant=SOMEONE)
    store.add_support(pin.id, SOMEONE)
    store.flag_pin(pin.id, "doppelt", participant=SOMEONE)
    change(
        store,
        "INSERT INTO pin_photos (pin_id, image, width, height, created_at) VALUES (?, ?, 1, 1, ?)",
        (pin.id, b"\xff\xd8", "2026-12-03T10:00:00.000+00:00"),
    )
    follow = store.add_follow(pin.id, "ana@example.org", ME)
    store.confirm_follow(follow.token)
    mid = _measure(store, other.id)
    change(
        store,
        "INSERT INTO follow_mails (follow_id, measure_id, status, sent_at) VALUES (?, ?, ?, ?)",
        (follow.id, mid, "proposed", "2026-12-03T10:00:00.000+00:00"),
    )

    store.withdraw_pin(pin.id, ME, now=pin.created_at + timedelta(minutes=9, seconds=59))

    assert store.pin(pin.id) is None
    for table in ("supports", "flags", "pin_photos", "follows"):
        assert _count(store, table, pin.id) == 0, table
    assert rows(store, "SELECT count(*) FROM follow_mails") == [(0,)]
    assert store.pin(other.id) is not None  # nothing else went
    (audit,) = rows(
        store, "SELECT actor, target, detail, reason FROM audit_log WHERE action = 'pin.withdraw'"
    )
    assert audit[:2] == ("resident:author", str(pin.id))
    assert "Dunkle" not in " ".join(audit) and ME not in " ".join(audit)
    # Once: a second try finds nothing to withdraw.
    with pytest.raises(WithdrawRefusedError) as refused:
        store.withdraw_pin(pin.id, ME, now=pin.created_at)
    assert refused.value.msgid == GONE


def test_after_ten_minutes_only_the_moderation_removes_a_note(store: Store) -> None:
    pin = _note(store)
    with pytest.raises(WithdrawRefusedError) as refused:
        store.withdraw_pin(pin.id, ME, now=pin.created_at + timedelta(minutes=10, seconds=1))
    assert refused.value.msgid == TOO_LATE
    assert "Nach 10 Minuten kann nur noch die Moderation" in _german(refused.value)
    assert store.pin(pin.id) is not None
    assert store.withdrawable_until(pin.id, ME) == pin.created_at + timedelta(minutes=10)


@pytest.mark.parametrize("who", [SOMEONE, ""])
def test_someone_elses_note_is_not_withdrawn(store: Store, who: str) -> None:
    pin = _note(store)
    with pytest.raises(WithdrawRefusedError) as refused:
        store.withdraw_pin(pin.id, who, now=pin.created_at)
    assert refused.value.msgid == NOT_YOURS
    assert store.pin(pin.id) is not None
    assert store.withdrawable_until(pin.id, who) is None
    assert store.is_author(pin.id, ME) and not store.is_author(pin.id, who)


def test_a_staff_transcription_has_no_author_to_withdraw_it(store: Store) -> None:
    pin = _note(store, participant="")
    with pytest.raises(WithdrawRefusedError) as refused:
        store.withdraw_pin(pin.id, "", now=pin.created_at)
    assert refused.value.msgid == NOT_YOURS


def test_a_note_in_a_measure_stays(store: Store) -> None:
    pin = _note(store)
    _measure(store, pin.id)
    with pytest.raises(WithdrawRefusedError) as refused:
        store.withdraw_pin(pin.id, ME, now=pin.created_at)
    assert refused.value.msgid == IN_A_MEASURE
    assert store.pin(pin.id) is not None and store.withdrawable_until(pin.id, ME) is None


def test_a_note_the_moderation_merged_stays(store: Store) -> None:
    pin = _note(store)
    duplicate = _note(store, "t2", participant=SOMEONE)
    store.merge_pins(pin.id, duplicate.id, actor=MODERATOR, reason="doppelt")
    with pytest.raises(WithdrawRefusedError) as refused:
        store.withdraw_pin(pin.id, ME, now=pin.created_at)
    assert refused.value.msgid == MODERATED


# --- following ----------------------------------------------------------------


def test_an_address_is_checked_and_kept_once_per_note(store: Store) -> None:
    pin = _note(store)
    with pytest.raises(ValidationError) as bad:
        store.add_follow(pin.id, "ana@example.org\nBcc: x@evil.test", ME)
    assert bad.value.msgid == BAD_EMAIL
    first = store.add_follow(pin.id, " Ana@Example.ORG ", ME)
    assert (first.email, first.confirmed_at) == ("Ana@example.org", None)
    assert store.add_follow(pin.id, "ana@example.org", ME) == first
    assert len(first.token) >= 32 and store.follows_of(pin.id) == [first]
    # The address lives in its own table only.
    assert "example" not in " ".join(str(v) for v in rows(store, "SELECT * FROM pins")[0])


def test_only_the_author_follows_and_at_most_three_addresses(store: Store) -> None:
    pin = _note(store)
    with pytest.raises(ValidationError):
        store.add_follow(pin.id, "eve@example.org", SOMEONE)
    for n in range(3):
        store.add_follow(pin.id, f"p{n}@example.org", ME)
    with pytest.raises(ValidationError) as refused:
        store.add_follow(pin.id, "p4@example.org", ME)
    assert refused.value.params == {"limit": 3}


def test_confirm_and_unfollow_by_token(store: Store) -> None:
    pin = _note(store)
    follow = store.add_follow(pin.id, "ana@example.org", ME)
    confirmed = store.confirm_follow(follow.token)
    assert confirmed is not None and confirmed.confirmed_at is not None
    assert store.confirm_follow(follow.token) == confirmed  # again: no change
    assert store.confirm_follow("x" * 32) is None
    assert store.unfollow(follow.token) == pin.id
    assert store.follows_of(pin.id) == []
    assert store.unfollow(follow.token) is None


def test_an_address_not_confirmed_within_seven_days_goes(store: Store) -> None:
    pin = _note(store)
    follow = store.add_follow(pin.id, "ana@example.org", ME)
    later = follow.created_at + timedelta(days=7, seconds=1)
    assert store.confirm_follow(follow.token, now=later) is None
    assert store.follows_of(pin.id) == []


def test_a_mail_is_due_once_per_status_and_only_to_confirmed_addresses(store: Store) -> None:
    pin = _note(store)
    confirmed = store.add_follow(pin.id, "ana@example.org", ME)
    store.add_follow(pin.id, "ben@example.org", ME)  # never confirmed
    mid = _measure(store, pin.id)
    time.sleep(0.002)  # stored times count milliseconds: confirmed clearly after "proposed"
    store.confirm_follow(confirmed.token)
    # "proposed" was reached before the address was confirmed: not news to it.
    assert store.due_follow_mails(mid) == []
    store.move_measure(mid, "discussed", actor=PLANNER)
    (due,) = store.due_follow_mails(mid)
    assert (due.email, due.status, due.pin_id, due.last) == (
        "ana@example.org",
        "discussed",
        pin.id,
        False,
    )
    assert store.claim_follow_mail(due) is True
    assert store.claim_follow_mail(due) is False  # a second process finds it claimed
    assert store.due_follow_mails(mid) == []
    store.unclaim_follow_mail(due)  # not sent after all: owed again
    assert store.due_follow_mails(mid) == [due]


def test_addresses_end_with_the_last_measure_and_with_retention(store: Store) -> None:
    pin = _note(store)
    old = _note(store, "t2")
    follow = store.add_follow(pin.id, "ana@example.org", ME)
    store.confirm_follow(follow.token)
    first, second = _measure(store, pin.id), _measure(store, pin.id, title="Hecke")
    store.move_measure(first, "rejected", actor=STEERING, reason="zu teuer")
    assert store.due_follow_mails(first)[0].last is False  # the second is still open
    assert store.end_finished_follows(first) == 0
    store.move_measure(second, "rejected", actor=STEERING, reason="doppelt")
    assert store.due_follow_mails(second)[0].last is True
    assert store.end_finished_follows(second) == 1
    assert store.follows_of(pin.id) == []

    store.add_follow(old.id, "ben@example.org", ME)
    store.purge_texts(before=datetime.now(UTC) + timedelta(seconds=1), actor=ADMIN)
    assert store.follows_of(old.id) == []


def _german(error: ValidationError) -> str:
    from services.i18n import error_message

    return error_message(error, "de")
