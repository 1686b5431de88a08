"""Copy every table from one store to another: SQLite -> PostGIS and back.

    python -m store.copy --from var/lab.sqlite --to postgresql://user@host/db

The target must be empty (a new database; the schema is made on opening). All rows
keep their ids; the copy runs in one transaction on the target, so it lands whole
or not at all; afterwards every table is compared row by row with the source.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from rules.errors import N_, SQError, StoreError
from store.db import Connection, Database

# Parents before children, so foreign keys hold at every row.
TABLES: Final = (
    "users",
    "lab_sessions",
    "pins",
    "supports",
    "flags",
    "layers",
    "layer_features",
    "audit_log",
    "population",
    "measures",
    "measure_pins",
    "measure_history",
    "measure_supports",
    "measure_comments",
    "comment_phases",
    "pin_photos",
    "follows",
    "follow_mails",
)
_ID_TABLES: Final = (
    "lab_sessions",
    "pins",
    "flags",
    "audit_log",
    "measures",
    "measure_history",
    "measure_comments",
    "pin_photos",
    "follows",
)  # ids the database counts up
_LATER: Final = {"pins": "merged_into"}  # a column pointing into its own table: set afterwards


class TargetNotEmptyError(StoreError):
    """The copy's target holds data already."""


@dataclass(frozen=True, slots=True)
class TableCopy:
    table: str
    rows: int
    digest: str  # of the rows as read from the target after the copy


def columns(db: Database, conn: Connection, table: str) -> list[str]:
    """The table's stored columns, in order; generated ones (PostGIS `geom`) left out."""
    if db.dialect == "sqlite":
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})").fetchall()]
    found = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [row[0] for row in found]


def _read(conn: Connection, table: str, names: Sequence[str]) -> list[tuple[Any, ...]]:
    """Every row, in an order that does not depend on the database's collation."""
    rows = conn.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall()
    plain = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
    return sorted(plain, key=repr)


def _digest(rows: Sequence[tuple[Any, ...]]) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def copy_store(source: Database, target: Database) -> list[TableCopy]:
    """Copy every row of `source` into the empty `target`, then compare them."""
    with source.read() as src:
        names = {table: columns(source, src, table) for table in TABLES}
        data = {table: _read(src, table, names[table]) for table in TABLES}
    with target.write() as dst:
        for table in TABLES:
            if dst.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
                raise TargetNotEmptyError(
                    N_("The target database {name} holds data already; copy into an empty one."),
                    name=target.label,
                )
        for table in TABLES:
            _insert(dst, table, names[table], data[table])
        if target.dialect == "postgresql":
            for table in _ID_TABLES:  # the next new row continues after the copied ids
                dst.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
    with target.read() as dst:
        copied = {table: _read(dst, table, names[table]) for table in TABLES}
    for table in TABLES:
        if copied[table] != data[table]:
            raise StoreError(N_("The copy of table {table} differs from its source."), table=table)
    return [TableCopy(t, len(copied[t]), _digest(copied[t])) for t in TABLES]


def _insert(conn: Connection, table: str, names: list[str], rows: list[tuple[Any, ...]]) -> None:
    later = _LATER.get(table)
    kept = [i for i, name in enumerate(names) if name != later]
    marks = ", ".join("?" if name != later else "NULL" for name in names)
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
        [tuple(row[i] for i in kept) for row in rows],
    )
    if later is not None:
        at, key = names.index(later), names.index("id")
        conn.executemany(
            f"UPDATE {table} SET {later} = ? WHERE id = ?",
            [(row[at], row[key]) for row in rows if row[at] is not None],
        )


def main(argv: Sequence[str] | None = None) -> int:
    from store import open_store  # here: store's package imports the backends

    parser = argparse.ArgumentParser(prog="python -m store.copy", description=__doc__)
    parser.add_argument("--from", dest="source", required=True, help="database URL or SQLite file")
    parser.add_argument("--to", dest="target", required=True, help="database URL or SQLite file")
    args = parser.parse_args(argv)
    try:
        source, target = open_store(args.source), open_store(args.target)
        report = copy_store(source.db, target.db)
    except SQError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    for entry in report:
        print(f"copy: {entry.table}: {entry.rows} rows, checked (sha256 {entry.digest})")
    print(f"copy: {source.db.label} -> {target.db.label}: complete")
    source.close()
    target.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
