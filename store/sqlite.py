"""SQLite backend: WAL journal, busy timeout, one transaction per write."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.errors import N_, SchemaVersionError, StoreError, StoreUnavailableError
from geo.layer import LayerMeta
from geo.pins import Pin, PinDraft
from store._frames import frame_to_rows, rows_to_frame

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 10_000

# Each entry migrates from version i to i + 1; the app creates and upgrades its schema.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE pins (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        token       TEXT NOT NULL UNIQUE,
        quarter_id  TEXT NOT NULL,
        lon         REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
        lat         REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
        category    TEXT NOT NULL,
        time_band   TEXT NOT NULL,
        severity    INTEGER CHECK (severity BETWEEN 1 AND 3),
        text        TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL
    );
    CREATE INDEX pins_by_quarter ON pins (quarter_id, id);
    """,
    """
    CREATE TABLE layers (
        id            TEXT PRIMARY KEY,
        name_de       TEXT NOT NULL,
        name_en       TEXT NOT NULL,
        layer_type    TEXT NOT NULL,
        kind          TEXT NOT NULL,
        source        TEXT NOT NULL,
        licence       TEXT NOT NULL,
        attribution   TEXT NOT NULL,
        data_date     TEXT,
        demo          INTEGER NOT NULL,
        feature_count INTEGER NOT NULL,
        dtypes        TEXT NOT NULL,
        created_at    TEXT NOT NULL
    );
    CREATE TABLE layer_features (
        layer_id TEXT NOT NULL REFERENCES layers (id) ON DELETE CASCADE,
        fid      INTEGER NOT NULL,
        wkb      BLOB NOT NULL,
        props    TEXT NOT NULL,
        PRIMARY KEY (layer_id, fid)
    );
    """,
)

_LAYER_COLUMNS = (
    "id, name_de, name_en, layer_type, kind, source, licence, attribution, data_date, demo,"
    " feature_count"
)
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


class LayerExistsError(StoreError):
    """A layer with this id is stored already."""


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction; taken at once so concurrent writers queue, not fail."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class SqliteStore:
    """Pins in one SQLite file. Safe for many threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(
                N_("The database is not available right now ({detail})."), detail=str(exc)
            ) from exc
        self._migrate()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per operation: cheap for SQLite and safe across
        # Streamlit's script threads. isolation_level=None: we issue BEGIN ourselves.
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailableError(
                N_("The database is not available right now ({detail})."), detail=str(exc)
            ) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            yield conn
        except sqlite3.Error as exc:
            raise StoreUnavailableError(
                N_("The database is not available right now ({detail})."), detail=str(exc)
            ) from exc
        finally:
            conn.close()

    def _migrate(self) -> None:
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            with _transaction(conn):
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise SchemaVersionError(
                        N_(
                            "The database {path} has schema version {found}; this app knows "
                            "up to {known}. Update the app before using this database."
                        ),
                        path=str(self.path),
                        found=version,
                        known=SCHEMA_VERSION,
                    )
                for step in range(version, SCHEMA_VERSION):
                    for statement in _MIGRATIONS[step].split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {step + 1}")

    def schema_version(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def add_pin(self, draft: PinDraft) -> Pin:
        created_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        with self._connect() as conn, _transaction(conn):
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
        with self._connect() as conn, _transaction(conn):
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

    # --- layers ---------------------------------------------------------------

    def add_layer(self, meta: LayerMeta, frame: gpd.GeoDataFrame) -> LayerMeta:
        """Store a layer and its features in one transaction; an existing id is refused."""
        dtypes, rows = frame_to_rows(frame)
        meta = replace(meta, feature_count=len(rows))
        with self._connect() as conn, _transaction(conn):
            exists = conn.execute("SELECT 1 FROM layers WHERE id = ?", (meta.id,)).fetchone()
            if exists:
                raise LayerExistsError(
                    N_(
                        "A layer named {name} exists already. Remove it first or choose "
                        "another name."
                    ),
                    name=meta.name_de,
                )
            conn.execute(
                f"INSERT INTO layers ({_LAYER_COLUMNS}, dtypes, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    meta.id,
                    meta.name_de,
                    meta.name_en,
                    meta.layer_type,
                    meta.kind,
                    meta.source,
                    meta.licence,
                    meta.attribution,
                    meta.data_date,
                    int(meta.demo),
                    meta.feature_count,
                    json.dumps(dtypes),
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )
            conn.executemany(
                "INSERT INTO layer_features (layer_id, fid, wkb, props) VALUES (?, ?, ?, ?)",
                [(meta.id, fid, wkb, props) for fid, (wkb, props) in enumerate(rows)],
            )
        return meta

    def list_layers(self) -> list[LayerMeta]:
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {_LAYER_COLUMNS} FROM layers ORDER BY name_de").fetchall()
        return [
            LayerMeta(
                id=r[0],
                name_de=r[1],
                name_en=r[2],
                layer_type=r[3],
                kind=r[4],
                source=r[5],
                licence=r[6],
                attribution=r[7],
                data_date=r[8],
                demo=bool(r[9]),
                feature_count=r[10],
            )
            for r in rows
        ]

    def layer_frame(self, layer_id: str) -> gpd.GeoDataFrame:
        with self._connect() as conn:
            found = conn.execute("SELECT dtypes FROM layers WHERE id = ?", (layer_id,)).fetchone()
            if found is None:
                raise KeyError(layer_id)
            rows = conn.execute(
                "SELECT wkb, props FROM layer_features WHERE layer_id = ? ORDER BY fid",
                (layer_id,),
            ).fetchall()
        return rows_to_frame(json.loads(found[0]), rows)

    def remove_layer(self, layer_id: str) -> None:
        with self._connect() as conn, _transaction(conn):
            conn.execute("DELETE FROM layers WHERE id = ?", (layer_id,))

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
