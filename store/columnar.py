"""Reading many rows straight into Arrow columns, one way per backend.

A plain fetch makes a Python object of every value: 1.4 million of them for the
100,000 pins of a busy quarter, most of a second. Here the values go from the
database into Arrow arrays without that: SQLite through ADBC's SQLite driver,
PostgreSQL as `COPY ... TO STDOUT` in CSV parsed by Arrow's CSV reader.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import adbc_driver_manager
import adbc_driver_sqlite.dbapi
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv

# ADBC's SQLite driver infers each column's type from the first batch of rows; a column
# that starts with NULLs would come out as integers and then fail on the first text.
# One batch as large as any read we make lets it see every value first.
_SQLITE_BATCH_ROWS: Final = 10_000_000


def sqlite_table(
    path: Path, sql: str, params: Sequence[Any], schema: pa.Schema, *, busy_timeout_ms: int
) -> pa.Table:
    """The rows of `sql` on the SQLite file at `path` as a table of `schema` (the
    query's columns in order). Raises sqlite3.OperationalError as the sqlite3 module
    would, so that the caller reports it in one way."""
    try:
        with adbc_driver_sqlite.dbapi.connect(str(path)) as conn, conn.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.adbc_statement.set_options(
                **{adbc_driver_sqlite.StatementOptions.BATCH_ROWS.value: str(_SQLITE_BATCH_ROWS)}
            )
            cursor.execute(sql, tuple(params))
            table = cursor.fetch_arrow_table()
    except adbc_driver_manager.Error as exc:
        raise sqlite3.OperationalError(str(exc).strip().splitlines()[0]) from exc
    return _as_schema(table, schema)


def postgres_table(
    conn: psycopg.Connection[Any], sql: str, params: Sequence[Any], schema: pa.Schema
) -> pa.Table:
    """The rows of `sql` (psycopg placeholders) as a table of `schema` (the query's
    columns in order). Timestamps and other types Arrow's CSV reader cannot tell
    apart arrive as the text PostgreSQL writes; say `pa.string()` for them."""
    data = bytearray()
    with conn.cursor().copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", tuple(params)) as copy:
        while chunk := copy.read():
            data += chunk
    if not data:
        return schema.empty_table()
    return pacsv.read_csv(
        pa.py_buffer(data),
        read_options=pacsv.ReadOptions(column_names=schema.names),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        # PostgreSQL writes NULL as nothing and an empty text as "": keep them apart.
        convert_options=pacsv.ConvertOptions(
            column_types=schema,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )


def _as_schema(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table`'s columns under `schema`'s names and types (a column SQLite left all NULL
    arrives as integers)."""
    if table.num_columns != len(schema):
        raise ValueError(f"the query gave {table.num_columns} columns, expected {len(schema)}")
    columns = [
        column if column.type == field.type else column.cast(field.type)
        for column, field in zip(table.columns, schema, strict=True)
    ]
    return pa.Table.from_arrays(columns, schema=schema)
