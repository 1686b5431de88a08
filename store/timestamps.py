"""Stored times: the one text format of every moment the store writes.

ISO 8601 in UTC to the millisecond, e.g. "2026-10-01T12:00:00.000+00:00". Texts of
one format sort as the times do, so SQL compares and orders them as plain text.

Rows written before this format held seconds only (the accounts and the audit log,
e.g. "2025-03-01T18:15:00+00:00"); they still read back, and they still sort with
the new ones: at the same second "+" sorts before "." and the digits.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def to_stored(moment: datetime) -> str:
    """`moment` as stored (a naive datetime counts as local time, as astimezone says)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def now_stored(ago: timedelta = timedelta(0)) -> str:
    """Now (or `ago` before now) as stored."""
    return to_stored(datetime.now(UTC) - ago)


def stored_after(previous: str) -> str:
    """Now as stored, yet at least a millisecond after `previous`: a row's `updated_at`
    serves as its version (an edit names the one it saw), so two writes within one
    millisecond must not leave the same stamp."""
    now = datetime.now(UTC)
    floor = from_stored(previous) + timedelta(milliseconds=1)
    return to_stored(max(now, floor))


def from_stored(text: str) -> datetime:
    """A stored time read back (any ISO 8601 text this store ever wrote)."""
    return datetime.fromisoformat(text)
