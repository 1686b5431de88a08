"""Pins: idempotent writes keyed by the client's submission token,
checked against the lab session and the participant's rate limit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

import geopandas as gpd

from rules.errors import N_, StoreError, ValidationError
from rules.pin_schema import (
    FRAME_FIELDS,
    INSERT_FIELDS,
    ROW_FIELDS,
    insert_columns,
    insert_values,
    select_list,
)
from rules.pins import Pin, PinDraft, initial_text_status
from rules.text import clean_text
from store._frames import PIN_TABLE_SCHEMA, pin_table_to_frame
from store.base import StoreBase
from store.db import Connection
from store.timestamps import from_stored, now_stored, to_stored

PINS_PER_MINUTE: Final = 6
# Merges are made by people one at a time; a longer chain would be a loop.
_MERGE_CHAIN_LIMIT: Final = 20

# A store row (rules.pin_schema.ROW_FIELDS) of one pin, and of many: for many pins the
# supports are counted in one pass, not per pin.
PIN_FIELDS_SQL = select_list()
PIN_SELECT = f"SELECT {PIN_FIELDS_SQL} FROM pins p"
_SUPPORTS_JOIN = (
    " FROM pins p LEFT JOIN"
    " (SELECT pin_id, count(*) AS n FROM supports GROUP BY pin_id) s ON s.pin_id = p.id"
)
_MANY_PINS_SELECT = f"SELECT {select_list(supports='coalesce(s.n, 0)')}{_SUPPORTS_JOIN}"
# The columns of a pins frame (rules.pin_schema.FRAME_FIELDS), of many pins.
_FRAME_SELECT = (
    f"SELECT {select_list(names=FRAME_FIELDS, named=True, supports='coalesce(s.n, 0)')}"
    f"{_SUPPORTS_JOIN}"
)
# A bulk load this large refreshes the planner's statistics (add_pins).
_MANY_ROWS = 10_000
# What everyone sees: neither hidden nor merged into another pin.
VISIBLE = "p.hidden_reason IS NULL AND p.merged_into IS NULL"


def _in_quarters(quarter_ids: Sequence[str]) -> str:
    """The SQL condition "in one of these quarters", one parameter each (none: false)."""
    if not quarter_ids:
        return "1 = 0"
    return f"p.quarter_id IN ({', '.join('?' * len(quarter_ids))})"


class SessionClosedError(ValidationError):
    """The lab session is closed (or unknown): it takes no new pins."""


class RateLimitError(ValidationError):
    """Too many pins from one participant in a short time."""


# How a row's values become Pin's (the rest are taken as they come).
_READERS: Final[dict[str, Callable[[Any], Any]]] = {
    "created_at": from_stored,
    "hidden": bool,
    "supports": int,
}


def row_to_pin(row: Sequence[Any]) -> Pin:
    values = dict(zip(ROW_FIELDS, row, strict=True))
    for name, read in _READERS.items():
        values[name] = read(values[name])
    return Pin(**values)


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
    since = now_stored(ago=timedelta(minutes=1)) if draft.participant else _FAR_FUTURE
    return (draft.token, draft.session_id, draft.session_id, draft.participant, since)


def _insert_values(draft: PinDraft, created_at: str) -> dict[str, object]:
    """A new pin's stored values by field: the draft's, its time, its text cleaned
    (whoever called) and that text's status."""
    text = clean_text(draft.text)
    made = {"created_at": created_at, "text": text, "text_status": initial_text_status(text)}
    return {name: made[name] if name in made else getattr(draft, name) for name in INSERT_FIELDS}


def _insert_row(draft: PinDraft, created_at: str) -> tuple[object, ...]:
    return tuple(_insert_values(draft, created_at).values())


_INSERT = (
    f"INSERT INTO pins ({insert_columns()}) VALUES ({insert_values(cast=False)})"
    " ON CONFLICT (token) DO NOTHING"
)


def _new_pin(pin_id: int, draft: PinDraft, created_at: str) -> Pin:
    """The pin just inserted, as a read would return it (no supports, not hidden)."""
    values = {**_insert_values(draft, created_at), "id": pin_id, "hidden": False, "supports": 0}
    return row_to_pin(tuple(values[name] for name in ROW_FIELDS))


# One statement for the common case, a new pin that keeps the rules: the probe's
# answers decide whether the row is inserted at all (read back above on refusal).
# SQLite runs it alone (BEGIN IMMEDIATE), so the rate limit is exact. On PostgreSQL
# two saves of one participant at the very same instant may both pass it; the app
# saves one session's notes one after another, so only a second tab could.
_INSERT_CHECKED = (
    f"WITH probe (existing, status, session_quarter, recent) AS ({_PROBE})"
    f" INSERT INTO pins ({insert_columns()}) SELECT {insert_values(cast=True)}"
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
        created_at = now_stored()
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

    def is_stored(self, token: str) -> bool:
        """Whether a pin with this submission token is stored (hidden ones included)."""
        with self.db.read() as conn:
            return (
                conn.execute("SELECT 1 FROM pins WHERE token = ?", (token,)).fetchone() is not None
            )

    def _rules(self, draft: PinDraft) -> tuple[object, ...]:
        """The parameters of _INSERT_CHECKED's conditions."""
        return (self.pins_per_minute, int(draft.session_id is not None), draft.quarter_id)

    def add_pins(
        self, drafts: Sequence[PinDraft], *, created_at: Sequence[datetime] | None = None
    ) -> int:
        """Store many validated drafts in one transaction (imports, demo data).

        Returns how many were new; repeated tokens are skipped.
        """
        stamps = [to_stored(s) for s in created_at] if created_at else [now_stored()] * len(drafts)
        if len(stamps) != len(drafts):
            raise ValueError("'created_at' must have one timestamp per draft")
        rows = [_insert_row(d, stamp) for d, stamp in zip(drafts, stamps, strict=True)]
        with self.db.write() as conn:
            added = conn.executemany(_INSERT, rows)
        if added >= _MANY_ROWS:
            # Fresh statistics for the query planner at once: with the old ones PostgreSQL
            # reads a quarter grown by 100,000 pins by a nested loop, 1.5 times as slow,
            # until autovacuum comes by (within a minute or so; sooner for small loads).
            with self.db.read() as conn:
                conn.execute("ANALYZE pins")
        return added

    def pins_in_quarter(self, quarter_id: str) -> list[Pin]:
        """The visible pins of one quarter, oldest first."""
        return self.pins_in_quarters([quarter_id])

    def pins_in_quarters(self, quarter_ids: Sequence[str]) -> list[Pin]:
        """The visible pins of several quarters, oldest first."""
        return [row_to_pin(row) for row in self._visible_rows(quarter_ids)]

    def pins_frame(self, quarter_ids: Sequence[str]) -> gpd.GeoDataFrame:
        """The visible pins of several quarters as geo.pins.pins_frame makes them, read
        straight into columns (no Python object per value): the fast path for maps and
        analyses."""
        table = self.db.read_table(
            f"{_FRAME_SELECT} WHERE {_in_quarters(quarter_ids)} AND {VISIBLE}",
            tuple(quarter_ids),
            PIN_TABLE_SCHEMA,
        )
        # Oldest first, sorted here: PostgreSQL sorts 100,000 rows on disk (work_mem).
        return pin_table_to_frame(table.sort_by("id"))

    def _visible_rows(self, quarter_ids: Sequence[str]) -> list[tuple[Any, ...]]:
        with self.db.read() as conn:
            return conn.execute(
                f"{_MANY_PINS_SELECT} WHERE {_in_quarters(quarter_ids)} AND {VISIBLE}"
                " ORDER BY p.id",
                tuple(quarter_ids),
            ).fetchall()

    def pin(self, pin_id: int) -> Pin | None:
        """One pin, hidden or not (for moderators and "what became of my pin")."""
        with self.db.read() as conn:
            row = conn.execute(f"{PIN_SELECT} WHERE p.id = ?", (pin_id,)).fetchone()
        return None if row is None else row_to_pin(row)

    def pin_ids_of(self, participant: str, session_id: int) -> list[int]:
        """The pins one participant placed in one lab, oldest first: their own numbers,
        shown again after a reload."""
        if not participant:
            return []  # staff transcriptions have no participant
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT id FROM pins WHERE participant = ? AND session_id = ? ORDER BY id",
                (participant, session_id),
            ).fetchall()
        return [int(row[0]) for row in rows]

    def merged_into(self, pin_id: int) -> int | None:
        """The pin the moderation merged this one into, followed to the last of a chain
        (a merged pin may be merged again); None for a pin not merged."""
        target = None
        with self.db.read() as conn:
            for _step in range(_MERGE_CHAIN_LIMIT):
                row = conn.execute(
                    "SELECT merged_into FROM pins WHERE id = ?", (target or pin_id,)
                ).fetchone()
                if row is None or row[0] is None:
                    break
                target = int(row[0])
        return target

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

    def pins_version(self) -> str:
        """Changes whenever pins, supports or moderation (audited) change: a cheap key
        for caches of the pins, untouched by new layers."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM pins), (SELECT coalesce(max(id), 0) FROM pins),"
                " (SELECT count(*) FROM supports), (SELECT coalesce(max(id), 0) FROM audit_log"
                "  WHERE action LIKE 'pin.%' OR action LIKE 'text.%' OR action LIKE 'retention.%')"
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
                (pin_id, participant, now_stored()),
            )
            (count,) = conn.execute(
                "SELECT count(*) FROM supports WHERE pin_id = ?", (pin_id,)
            ).fetchone()
        return int(count)
