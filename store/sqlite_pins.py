"""Pins in SQLite: idempotent writes keyed by the client's submission token."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from geo.pins import Pin, PinDraft
from store.sqlite_base import SqliteBase, transaction

_PIN_COLUMNS = "id, quarter_id, lon, lat, category, time_band, severity, text, created_at, token"


def _row_to_pin(row: tuple[Any, ...]) -> Pin:
    pin_id, quarter_id, lon, lat, category, time_band, severity, text, created_at, token = row
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
    )


class SqlitePins(SqliteBase):
    def add_pin(self, draft: PinDraft) -> Pin:
        created_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        with self._connect() as conn, transaction(conn):
            conn.execute(
                "INSERT INTO pins (token, quarter_id, lon, lat, category, time_band,"
                " severity, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (token) DO NOTHING",
                (
                    draft.token,
                    draft.quarter_id,
                    draft.lon,
                    draft.lat,
                    draft.category,
                    draft.time_band,
                    draft.severity,
                    draft.text,
                    created_at,
                ),
            )
            row = conn.execute(
                f"SELECT {_PIN_COLUMNS} FROM pins WHERE token = ?", (draft.token,)
            ).fetchone()
        return _row_to_pin(row)

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
            (
                d.token,
                d.quarter_id,
                d.lon,
                d.lat,
                d.category,
                d.time_band,
                d.severity,
                d.text,
                stamp.astimezone(UTC).isoformat(timespec="milliseconds"),
            )
            for d, stamp in zip(drafts, stamps, strict=True)
        ]
        with self._connect() as conn, transaction(conn):
            before = conn.total_changes
            conn.executemany(
                "INSERT INTO pins (token, quarter_id, lon, lat, category, time_band,"
                " severity, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (token) DO NOTHING",
                rows,
            )
            return conn.total_changes - before

    def pins_in_quarters(self, quarter_ids: Sequence[str]) -> list[Pin]:
        """All pins of several quarters, oldest first."""
        if not quarter_ids:
            return []
        marks = ", ".join("?" * len(quarter_ids))
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {_PIN_COLUMNS} FROM pins WHERE quarter_id IN ({marks}) ORDER BY id",
                tuple(quarter_ids),
            ).fetchall()
        return [_row_to_pin(row) for row in rows]

    def pins_in_quarter(self, quarter_id: str) -> list[Pin]:
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {_PIN_COLUMNS} FROM pins WHERE quarter_id = ? ORDER BY id", (quarter_id,)
            ).fetchall()
        return [_row_to_pin(row) for row in rows]

    def count_pins(self, quarter_id: str | None = None) -> int:
        with self._connect() as conn:
            if quarter_id is None:
                row = conn.execute("SELECT count(*) FROM pins").fetchone()
            else:
                row = conn.execute(
                    "SELECT count(*) FROM pins WHERE quarter_id = ?", (quarter_id,)
                ).fetchone()
        return int(row[0])
