"""Residents weigh in on measures, on both backends: supports once per person,
comments pre-moderated and audited, everything only while the measure is open to
discussion and its quarter's comment phase is open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from shapely.geometry import Point

from rules.errors import ValidationError
from rules.measure_weigh_in import COMMENTS_PER_HOUR
from rules.measures import MeasureDraft
from rules.roles import Actor, PermissionDeniedError, Role
from store import Store
from store.measure_weigh_in import WeighIn
from tests.conftest import StoreFactory
from tests.store.sql import change, rows

PLANNER = Actor(name="pia", role=Role.PLANNER)
STEERING = Actor(name="stella", role=Role.STEERING)
MONA = Actor(name="mona", role=Role.MODERATOR)
ADMIN = Actor(name="ada", role=Role.ADMIN)


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


def _measure(store: Store, title: str = "Laterne am Durchgang", quarter_id: str = "320") -> int:
    draft = MeasureDraft(title, "lighting", quarter_id, Point(7.5512, 51.5187))
    return store.create_measure(draft, actor=PLANNER).id


@pytest.fixture
def measure(store: Store) -> int:
    """A proposed measure in Brackel, whose comment phase is open."""
    store.set_comment_phase("320", True, actor=PLANNER)
    return _measure(store)


_AUDIT = "SELECT actor, target, reason FROM audit_log WHERE action = ? ORDER BY id"


def _audit(store: Store, action: str) -> list[tuple[str, str, str]]:
    return [(str(a), str(t), str(r)) for a, t, r in rows(store, _AUDIT, (action,))]


# --- supports ------------------------------------------------------------------


def test_a_person_supports_a_measure_once(store: Store, measure: int) -> None:
    assert store.support_measure(measure, "a") == 1
    assert store.support_measure(measure, "a") == 1  # again: not counted twice
    assert store.support_measure(measure, "b") == 2
    assert store.supports_measure(measure, "a") and not store.supports_measure(measure, "c")
    assert store.weigh_in([measure]) == {measure: WeighIn(2, ())}


def test_a_support_needs_a_participation_number(store: Store, measure: int) -> None:
    with pytest.raises(ValueError, match="participant"):
        store.support_measure(measure, "")


def test_nothing_is_taken_while_the_phase_is_closed(store: Store, measure: int) -> None:
    store.set_comment_phase("320", False, actor=PLANNER)
    with pytest.raises(ValidationError, match="comment phase is closed"):
        store.support_measure(measure, "a")
    with pytest.raises(ValidationError, match="comment phase is closed"):
        store.add_measure_comment(measure, "a", "Gute Idee")
    assert rows(store, "SELECT count(*) FROM measure_supports") == [(0,)]
    assert rows(store, "SELECT count(*) FROM measure_comments") == [(0,)]


def test_a_quarter_never_opened_takes_nothing(store: Store) -> None:
    elsewhere = _measure(store, quarter_id="530")
    assert not store.is_comment_phase_open("530")
    with pytest.raises(ValidationError, match="comment phase is closed"):
        store.support_measure(elsewhere, "a")


@pytest.mark.parametrize("status", ["decided", "rejected"])
def test_a_decided_or_rejected_measure_takes_nothing(
    store: Store, measure: int, status: str
) -> None:
    store.move_measure(measure, "discussed", actor=PLANNER)
    assert store.support_measure(measure, "a") == 1  # on the agenda: still open
    store.move_measure(measure, status, actor=STEERING, reason="Lenkungskreis")
    with pytest.raises(ValidationError, match="only possible while a measure is proposed") as e:
        store.support_measure(measure, "b")
    assert e.value.params["status"] == [status]
    with pytest.raises(ValidationError, match="only possible while"):
        store.add_measure_comment(measure, "b", "Zu spät?")


def test_an_unknown_measure_is_named(store: Store) -> None:
    with pytest.raises(ValidationError, match="no measure #99"):
        store.support_measure(99, "a")


# --- comments --------------------------------------------------------------------


def test_a_comment_is_invisible_until_released(store: Store, measure: int) -> None:
    comment_id = store.add_measure_comment(measure, "a", "  Bitte auch den Weg zur Bahn.\r\n")
    assert store.weigh_in([measure])[measure].comments == ()
    (waiting,) = store.pending_comments(actor=MONA)
    assert (waiting.id, waiting.measure_id, waiting.quarter_id) == (comment_id, measure, "320")
    assert waiting.measure_title == "Laterne am Durchgang"
    assert waiting.text == "Bitte auch den Weg zur Bahn."  # cleaned like a note's text
    store.release_comment(comment_id, actor=MONA)
    assert store.weigh_in([measure])[measure].comments == ("Bitte auch den Weg zur Bahn.",)
    assert store.pending_comments(actor=MONA) == []
    assert _audit(store, "comment.release") == [("mona", str(comment_id), "")]
    assert rows(store, "SELECT moderated_by FROM measure_comments") == [("mona",)]


def test_a_hidden_comment_stays_hidden_with_its_reason(store: Store, measure: int) -> None:
    first = store.add_measure_comment(measure, "a", "Herr Müller aus Nr. 5 ist schuld")
    second = store.add_measure_comment(measure, "b", "Sehr gut")
    with pytest.raises(ValidationError, match="reason"):
        store.hide_comment(first, actor=MONA, reason="  ")
    store.hide_comment(first, actor=MONA, reason="Name einer Person")
    store.release_comment(second, actor=MONA)
    assert store.weigh_in([measure])[measure].comments == ("Sehr gut",)
    assert _audit(store, "comment.hide") == [("mona", str(first), "Name einer Person")]
    with pytest.raises(ValidationError, match="moderated already"):
        store.release_comment(first, actor=MONA)  # a second moderator, a moment later
    store.hide_comment(second, actor=MONA, reason="Nachträglich gemeldet")
    assert store.weigh_in([measure])[measure].comments == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [("x" * 5000, "5000 characters long; at most 500"), (" \n\t ", "write your comment")],
)
def test_too_long_or_empty_comments_are_refused(
    store: Store, measure: int, text: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        store.add_measure_comment(measure, "a", text)
    assert rows(store, "SELECT count(*) FROM measure_comments") == [(0,)]


def test_markup_is_kept_as_typed(store: Store, measure: int) -> None:
    hostile = "<script>alert(1)</script> [klick](javascript:alert(1))"
    comment_id = store.add_measure_comment(measure, "a", hostile)
    store.release_comment(comment_id, actor=MONA)
    assert store.weigh_in([measure])[measure].comments == (hostile,)


def test_the_same_comment_sent_twice_is_stored_once(store: Store, measure: int) -> None:
    first = store.add_measure_comment(measure, "a", "Gute Idee")
    assert store.add_measure_comment(measure, "a", "Gute Idee ") == first  # double click
    other = store.add_measure_comment(measure, "b", "Gute Idee")  # another person
    assert other != first
    assert rows(store, "SELECT count(*) FROM measure_comments") == [(2,)]


def test_one_person_writes_at_most_so_many_comments_an_hour(store: Store, measure: int) -> None:
    for i in range(COMMENTS_PER_HOUR):
        store.add_measure_comment(measure, "a", f"Gedanke {i}")
    with pytest.raises(ValidationError, match="within an hour"):
        store.add_measure_comment(measure, "a", "Noch einer")
    store.add_measure_comment(measure, "b", "Noch einer")  # others are not held up
    change(store, "UPDATE measure_comments SET created_at = '2020-01-01T00:00:00.000+00:00'")
    store.add_measure_comment(measure, "a", "Eine Stunde später")


def test_only_moderators_see_and_moderate_comments(store: Store, measure: int) -> None:
    comment_id = store.add_measure_comment(measure, "a", "Gute Idee")
    for actor in (PLANNER, STEERING):
        with pytest.raises(PermissionDeniedError):
            store.pending_comments(actor=actor)
        with pytest.raises(PermissionDeniedError):
            store.release_comment(comment_id, actor=actor)
        with pytest.raises(PermissionDeniedError):
            store.hide_comment(comment_id, actor=actor, reason="weg")
    ghost = Actor("ghost", Role.MODERATOR)  # no such account
    with pytest.raises(PermissionDeniedError):
        store.release_comment(comment_id, actor=ghost)


# --- weigh-in of several measures, phases -----------------------------------------


def test_weigh_in_names_every_measure_asked_for(store: Store, measure: int) -> None:
    other = _measure(store, "Hecke schneiden")
    store.support_measure(other, "a")
    released = store.add_measure_comment(other, "a", "Ja!")
    store.add_measure_comment(other, "b", "Noch nicht freigegeben")
    store.release_comment(released, actor=MONA)
    assert store.weigh_in([measure, other, 404]) == {
        measure: WeighIn(0, ()),
        other: WeighIn(1, ("Ja!",)),
        404: WeighIn(0, ()),
    }
    assert store.weigh_in([]) == {}


def test_planners_open_and_close_a_quarters_phase(store: Store) -> None:
    assert store.comment_phases() == {}
    store.set_comment_phase("320", True, actor=PLANNER)
    store.set_comment_phase("530", True, actor=PLANNER)
    store.set_comment_phase("320", False, actor=PLANNER)
    assert store.comment_phases() == {"320": False, "530": True}
    assert not store.is_comment_phase_open("320") and store.is_comment_phase_open("530")
    assert [a for a, _, _ in _audit(store, "comment_phase.open")] == ["pia", "pia"]
    assert _audit(store, "comment_phase.close") == [("pia", "320", "")]
    for actor in (STEERING, MONA):
        with pytest.raises(PermissionDeniedError, match="Only planners"):
            store.set_comment_phase("320", True, actor=actor)
    assert not store.is_comment_phase_open("320")


# --- retention -----------------------------------------------------------------


def test_retention_deletes_comments_and_unlinks_supports(store: Store, measure: int) -> None:
    other = _measure(store, "Hecke schneiden")
    store.support_measure(measure, "tab-1")
    store.support_measure(other, "tab-1")
    store.release_comment(store.add_measure_comment(measure, "tab-1", "Gut so"), actor=MONA)
    store.add_measure_comment(other, "tab-1", "Bitte bald")

    store.purge_texts(before=datetime.now(UTC) + timedelta(days=1), actor=ADMIN)

    assert rows(store, "SELECT count(*) FROM measure_comments") == [(0,)]
    # Counts stay, once per person still holds, but no tab id links the two supports.
    assert store.weigh_in([measure, other]) == {measure: WeighIn(1, ()), other: WeighIn(1, ())}
    left = [str(p) for (p,) in rows(store, "SELECT participant FROM measure_supports")]
    assert "tab-1" not in left and len(set(left)) == 2
    assert "2 comments" in store.audit_entries(actor=ADMIN)[0].detail
