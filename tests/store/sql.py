"""Looking into a store's tables from a test, on either backend."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from typing import Any

import psycopg

from store import Store


def rows(store: Store, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of a query (`?` placeholders), as tuples."""
    with store.db.read() as conn:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]


def change(store: Store, sql: str, params: Sequence[Any] = ()) -> None:
    """Change rows behind the store's back (to set up a state, e.g. an old hash)."""
    with store.db.write() as conn:
        conn.execute(sql, params)


TABLES = (
    "pins",
    "supports",
    "flags",
    "lab_sessions",
    "layers",
    "layer_features",
    "users",
    "audit_log",
    "population",
    "measures",
    "measure_pins",
    "measure_history",
)


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a fixed order: to show that nothing changed."""
    return {table: rows(store, f"SELECT * FROM {table} ORDER BY 1, 2") for table in TABLES}


def raw_rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    """The rows of a query straight through the driver: no store, so no migration."""
    if url.startswith("postgresql://"):
        with psycopg.connect(url) as conn:
            return [tuple(row) for row in conn.execute(sql).fetchall()]
    with closing(sqlite3.connect(url)) as conn:
        return [tuple(row) for row in conn.execute(sql).fetchall()]
