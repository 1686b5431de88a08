"""Reading many rows straight into Arrow columns, one way per backend.

A plain fetch makes a Python object of every value: 1.4 million of them for the
100,000 pins of a busy quarter, most of a second. PostgreSQL's values go into Arrow
arrays without that, as `COPY ... TO STDOUT` in CSV parsed by Arrow's CSV reader.
SQLite's go there through a small C module (store/_sqlite_columns.c) that steps
through the rows and fills Arrow's buffers directly. It links the system's libsqlite3,
the one Python's sqlite3 module uses: a second copy of SQLite in the process (as ADBC's
and other wheels bundle) would not see the first one's file locks, and the app server
under fifty sessions crashed with ADBC's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv

from store._sqlite_columns import read_columns


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


# The letter of each Arrow type the SQLite reader fills (store/_sqlite_columns.c).
_KINDS = {pa.float64(): "d", pa.int64(): "q", pa.string(): "s"}


def sqlite_table(
    path: Path, sql: str, params: Sequence[Any], schema: pa.Schema, *, timeout_ms: int
) -> pa.Table:
    """The rows of `sql` (`?` placeholders) on the SQLite file `path` as a table of
    `schema` (the query's columns in order; float64, int64 and string fields), read
    by store/_sqlite_columns.c on a connection of its own: one consistent snapshot,
    waiting up to `timeout_ms` for a lock like the store's own connections."""
    kinds = "".join(_KINDS[field.type] for field in schema)
    rows, columns = read_columns(str(path), sql, tuple(params), kinds, timeout_ms)
    arrays = [
        pa.Array.from_buffers(field.type, rows, [pa.py_buffer(b) for b in buffers])
        for field, buffers in zip(schema, columns, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
