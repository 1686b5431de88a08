"""Pins: idempotent writes keyed by the client's submission token,
checked against the lab session and the participant's rate limit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import geopandas as gpd

from rules.errors import N_, StoreError, ValidationError
from rules.pins import Pin, PinDraft
from store._frames import pin_rows_to_frame
from store.base import StoreBase
from store.db import Connection

PINS_PER_MINUTE: Final = 6

_PIN_FIELDS = (
    "p.id, p.quarter_id, p.lon, p.lat, p.category, p.time_band, p.severity, p.text,"
    " p.created_at, p.token, p.session_id, p.channel, p.working_group, p.text_status,"
    " p.hidden_reason IS NOT NULL OR p.merged_into IS NOT NULL"
)
PIN_COLUMNS = f"{_PIN_FIELDS}, (SELECT count(*) FROM supports s WHERE s.pin_id = p.id)"
PIN_SELECT = f"SELECT {PIN_COLUMNS} FROM pins p"
# The same columns for many pins at once: supports counted in one pass, not per pin.
_MANY_PINS_SELECT = (
    f"SELECT {_PIN_FIELDS}, coalesce(s.n, 0) FROM pins p LEFT JOIN"
    " (SELECT pin_id, count(*) AS n FROM supports GROUP BY pin_id) s ON s.pin_id = p.id"
)
# What everyone sees: neither hidden nor merged into another pin.
VISIBLE = "p.hidden_reason IS NULL AND p.merged_into IS NULL"


class SessionClosedError(ValidationError):
    """The lab session is closed (or unknown): it takes no new pins."""


class RateLimitError(ValidationError):
    """Too many pins from one participant in a short time."""


def now_text(ago: timedelta = timedelta(0)) -> str:
    """Now (or `ago` before now) as stored: ISO text in UTC, which sorts as time does."""
    return (datetime.now(UTC) - ago).isoformat(timespec="milliseconds")


def row_to_pin(row: tuple[Any, ...]) -> Pin:
    (
        pin_id,
        quarter_id,
        lon,
        lat,
        category,
        time_band,
        severity,
        text,
        created_at,
        token,
        session_id,
        channel,
        working_group,
        text_status,
        hidden,
        supports,
    ) = row
    return Pin(
        id=pin_id,
        quarter_id=quarter_id,
        lon=lon,
        lat=lat,
        category=category,
        time_band=time_band,
        severity=severity,
        text=text,
        created_at=datetime.fromisoformat(created_at),
        token=token,
        session_id=session_id,
        channel=channel,
        working_group=working_group,
        text_status=text_status,
        hidden=bool(hidden),
        supports=int(supports),
    )


def _session_refusal(draft: PinDraft, status: str | None, quarter_id: str | None) -> None:
    if draft.session_id is None:
        return
    if status != "open":
        raise SessionClosedError(
            N_("This lab session is closed and takes no new notes. Thank you for taking part!")
        )
    if quarter_id != draft.quarter_id:
        raise SessionClosedError(N_("This lab session belongs to another quarter."))


def _check_session(conn: Connection, draft: PinDraft) -> None:
    row = conn.execute(
        "SELECT status, quarter_id FROM lab_sessions WHERE id = ?", (draft.session_id,)
    ).fetchone()
    _session_refusal(draft, *(row or (None, None)))


def _rate_refusal(count: int, limit: int) -> None:
    if count >= limit:
        raise RateLimitError(
            N_(
                "You have placed {count} notes within a minute. To keep the map fair, at "
                "most {limit} per minute are possible; please wait a moment and save again."
            ),
            count=count,
            limit=limit,
        )


# Everything a new pin is checked against, in one round trip: a pin with its token
# already, the lab session, and the participant's pins of the last minute.
_PROBE = (
    "SELECT (SELECT id FROM pins WHERE token = ?),"
    " (SELECT status FROM lab_sessions WHERE id = ?),"
    " (SELECT quarter_id FROM lab_sessions WHERE id = ?),"
    " (SELECT count(*) FROM pins WHERE participant = ? AND created_at > ?)"
)
_FAR_FUTURE = "9999-12-31"  # a "since" no pin is made after: no rate limit for staff


def _probe_params(draft: PinDraft) -> tuple[object, ...]:
    since = now_text(ago=timedelta(minutes=1)) if draft.participant else _FAR_FUTURE
    return (draft.token, draft.session_id, draft.session_id, draft.participant, since)


def _insert_row(draft: PinDraft, created_at: str) -> tuple[object, ...]:
    return (
        draft.token,
        draft.quarter_id,
        draft.lon,
        draft.lat,
        draft.category,
        draft.time_band,
        draft.severity,
        draft.text,
        created_at,
        draft.session_id,
        draft.channel,
        draft.working_group,
        draft.participant,
        "pending" if draft.text else "none",
    )


_INSERT = (
    "INSERT INTO pins (token, quarter_id, lon, lat, category, time_band, severity, text,"
    " created_at, session_id, channel, working_group, participant, text_status)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token) DO NOTHING"
)


def _new_pin(pin_id: int, draft: PinDraft, created_at: str) -> Pin:
    """The pin just inserted, as a read would return it (no supports, not hidden)."""
    text_status = "pending" if draft.text else "none"
    where = (pin_id, draft.quarter_id, draft.lon, draft.lat)
    what = (draft.category, draft.time_band, draft.severity, draft.text, created_at, draft.token)
    lab = (draft.session_id, draft.channel, draft.working_group, text_status)
    return row_to_pin((*where, *what, *lab, False, 0))


# One statement for the common case, a new pin that keeps the rules: the probe's
# answers decide whether the row is inserted at all (read back above on refusal).
# SQLite runs it alone (BEGIN IMMEDIATE), so the rate limit is exact. On PostgreSQL
# two saves of one participant at the very same instant may both pass it; the app
# saves one session's notes one after another, so only a second tab could.
_INSERT_CHECKED = (
    f"WITH probe (existing, status, session_quarter, recent) AS ({_PROBE})"
    " INSERT INTO pins (token, quarter_id, lon, lat, category, time_band, severity, text,"
    " created_at, session_id, channel, working_group, participant, text_status)"
    " SELECT ?, ?, CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), ?, ?,"
    " CAST(? AS INTEGER), ?, ?, CAST(? AS INTEGER), ?, ?, ?, ?"
    " FROM probe WHERE probe.existing IS NULL AND probe.recent < CAST(? AS INTEGER)"
    " AND (CAST(? AS INTEGER) = 0"
    " OR (probe.status = 'open' AND probe.session_quarter = CAST(? AS TEXT)))"
    " ON CONFLICT (token) DO NOTHING RETURNING id"
)


class PinStore(StoreBase):
    pins_per_minute: int = PINS_PER_MINUTE

    def add_pin(self, draft: PinDraft) -> Pin:
        """Store a validated draft once. A repeated token returns the pin stored first
        (a double-click or a retry); a closed session or the rate limit refuse it."""
        created_at = now_text()
        added = self.db.write_one(
            _INSERT_CHECKED,
            (*_probe_params(draft), *_insert_row(draft, created_at), *self._rules(draft)),
        )
        if added is not None:
            return _new_pin(added[0], draft, created_at)
        # Not inserted: stored before (a double-click or a retry), or refused.
        with self.db.read() as conn:
            existing, status, quarter_id, recent = conn.execute(
                _PROBE, _probe_params(draft)
            ).fetchone()
            if existing is None:
                _session_refusal(draft, status, quarter_id)
                _rate_refusal(int(recent), self.pins_per_minute)
            row = conn.execute(f"{PIN_SELECT} WHERE p.token = ?", (draft.token,)).fetchone()
        if row is None:  # refused for a reason the probe no longer sees: say "try again"
            raise StoreError(N_("The note could not be saved; please try again."))
        return row_to_pin(row)

    def _rules(self, draft: PinDraft) -> tuple[object, ...]:
        """The parameters of _INSERT_CHECKED's conditions."""
        return (self.pins_per_minute, int(draft.session_id is not None), draft.quarter_id)

    def add_pins(
        self, drafts: Sequence[PinDraft], *, created_at: Sequence[datetime] | None = None
    ) -> int:
        """Store many validated drafts in one transaction (imports, demo data).

        Returns how many were new; repeated tokens are skipped.
        """
        stamps = created_at or [datetime.now(UTC)] * len(drafts)
        if len(stamps) != len(drafts):
            raise ValueError("'created_at' must have one timestamp per draft")
        rows = [
            _insert_row(d, stamp.astimezone(UTC).isoformat(timespec="milliseconds"))
            for d, stamp in zip(drafts, stamps, strict=True)
        ]
        with self.db.write() as conn:
            return conn.executemany(_INSERT, rows)

    def pins_in_quarter(self, quarter_id: str) -> list[Pin]:
        """The visible pins of one quarter, oldest first."""
        return self.pins_in_quarters([quarter_id])

    def pins_in_quarters(self, quarter_ids: Sequence[str]) -> list[Pin]:
        """The visible pins of several quarters, oldest first."""
        return [row_to_pin(row) for row in self._visible_rows(quarter_ids)]

    def pins_frame(self, quarter_ids: Sequence[str]) -> gpd.GeoDataFrame:
        """The visible pins of several quarters as geo.pins.pins_frame makes them, read
        straight into columns (no Pin objects): the fast path for maps and analyses."""
        return pin_rows_to_frame(self._visible_rows(quarter_ids))

    def _visible_rows(self, quarter_ids: Sequence[str]) -> list[tuple[Any, ...]]:
        if not quarter_ids:
            return []
        marks = ", ".join("?" * len(quarter_ids))
        with self.db.read() as conn:
            return conn.execute(
                f"{_MANY_PINS_SELECT} WHERE p.quarter_id IN ({marks}) AND {VISIBLE} ORDER BY p.id",
                tuple(quarter_ids),
            ).fetchall()

    def pin(self, pin_id: int) -> Pin | None:
        """One pin, hidden or not (for moderators and "what became of my pin")."""
        with self.db.read() as conn:
            row = conn.execute(f"{PIN_SELECT} WHERE p.id = ?", (pin_id,)).fetchone()
        return None if row is None else row_to_pin(row)

    def count_pins(self, quarter_id: str | None = None) -> int:
        """Number of visible pins, of one quarter or of all."""
        with self.db.read() as conn:
            if quarter_id is None:
                row = conn.execute(f"SELECT count(*) FROM pins p WHERE {VISIBLE}").fetchone()
            else:
                row = conn.execute(
                    f"SELECT count(*) FROM pins p WHERE p.quarter_id = ? AND {VISIBLE}",
                    (quarter_id,),
                ).fetchone()
        return int(row[0])

    def data_version(self) -> str:
        """Changes whenever pins, supports, moderation (audited) or layers change:
        a cheap key for caches of what the store holds."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM pins), (SELECT coalesce(max(id), 0) FROM pins),"
                " (SELECT count(*) FROM supports), (SELECT coalesce(max(id), 0) FROM audit_log),"
                " (SELECT count(*) FROM layers), (SELECT coalesce(max(created_at), '') FROM layers)"
            ).fetchone()
        return ":".join(str(value) for value in row)

    def add_support(self, pin_id: int, participant: str, *, session_id: int | None = None) -> int:
        """Record "me too" from a participant, once each; returns the support count.

        With `session_id` (the participant's lab), that lab must be open and in the
        pin's quarter: the same rule as for new pins.
        """
        if not participant:
            raise ValueError("'participant' must be a non-empty session id")
        with self.db.write() as conn:
            found = conn.execute(
                f"SELECT p.quarter_id FROM pins p WHERE p.id = ? AND {VISIBLE}", (pin_id,)
            ).fetchone()
            if found is None:
                raise ValidationError(N_("This note is no longer on the map."))
            if session_id is not None:
                probe = PinDraft(found[0], 0.0, 0.0, None, None, session_id=session_id)
                _check_session(conn, probe)
            conn.execute(
                "INSERT INTO supports (pin_id, participant, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (pin_id, participant, now_text()),
            )
            (count,) = conn.execute(
                "SELECT count(*) FROM supports WHERE pin_id = ?", (pin_id,)
            ).fetchone()
        return int(count)
