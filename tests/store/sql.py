"""Looking into a store's tables from a test, on either backend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
)


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a fixed order: to show that nothing changed."""
    return {table: rows(store, f"SELECT * FROM {table} ORDER BY 1, 2") for table in TABLES}
