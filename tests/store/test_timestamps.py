"""Stored times: the format, and a version stamp that always moves on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store.timestamps import from_stored, now_stored, stored_after, to_stored


def test_a_stored_time_reads_back_to_the_millisecond() -> None:
    moment = datetime(2026, 10, 1, 12, 0, 0, 123000, tzinfo=UTC)
    assert to_stored(moment) == "2026-10-01T12:00:00.123+00:00"
    assert from_stored(to_stored(moment)) == moment


def test_a_stamp_after_a_previous_one_is_later_even_within_one_millisecond() -> None:
    # A stamp from the future stands for a write a moment ago in the same millisecond.
    ahead = to_stored(datetime.now(UTC) + timedelta(seconds=5))
    later = stored_after(ahead)
    assert from_stored(later) - from_stored(ahead) == timedelta(milliseconds=1)
    assert later > ahead  # as text too, since SQL compares them so


def test_a_stamp_after_an_old_one_is_now() -> None:
    before = now_stored()
    stamp = stored_after("2020-01-01T00:00:00.000+00:00")
    assert before <= stamp <= now_stored()
