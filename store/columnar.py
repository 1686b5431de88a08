"""Reading many rows straight into Arrow columns, one way per backend.

A plain fetch makes a Python object of every value: 1.4 million of them for the
100,000 pins of a busy quarter, most of a second. PostgreSQL's values go into Arrow
arrays without that, as `COPY ... TO STDOUT` in CSV parsed by Arrow's CSV reader.
SQLite gathers each column into one JSON array in a single pass of the query, which
Python's JSON reader turns into a list several times faster than the rows are fetched
(ADBC's SQLite driver read faster still, but the app server under fifty sessions
crashed with it; see the closing note of that change).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv


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


def sqlite_table(
    conn: sqlite3.Connection, sql: str, params: Sequence[Any], schema: pa.Schema
) -> pa.Table:
    """The rows of `sql` (`?` placeholders; its columns named as the fields of
    `schema`, floats finite or NULL) as a table of `schema`. Every column's aggregate
    runs over the same rows in the same order, so the arrays line up."""
    gathered = []
    for field in schema:
        name = '"' + field.name.replace('"', '""') + '"'
        if pa.types.is_floating(field.type):
            # SQLite's JSON writes 15 digits; 17 give back the very same double.
            text = f"CASE WHEN {name} IS NULL THEN 'null' ELSE printf('%!.17g', {name}) END"
            gathered.append(f"'[' || coalesce(group_concat({text}), '') || ']'")
        else:
            gathered.append(f"json_group_array({name})")
    row = conn.execute(f"SELECT {', '.join(gathered)} FROM ({sql})", tuple(params)).fetchone()
    columns = [json.loads(text) for text in row]
    return pa.Table.from_arrays(
        [pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)],
        schema=schema,
    )
