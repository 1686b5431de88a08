"""Reading many rows straight into Arrow columns, one way per backend.

A plain fetch makes a Python object of every value: 1.4 million of them for the
100,000 pins of a busy quarter, most of a second. PostgreSQL's values go into Arrow
arrays without that, as `COPY ... TO STDOUT` in CSV parsed by Arrow's CSV reader.
SQLite's are fetched as rows (ADBC's SQLite driver read twice as fast, but the app
server under fifty sessions crashed with it; see the closing note of that change).
"""

from __future__ import annotations

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


def rows_to_table(rows: Sequence[Sequence[Any]], schema: pa.Schema) -> pa.Table:
    """Rows fetched the plain way as a table of `schema` (columns in order)."""
    if not rows:
        return schema.empty_table()
    columns = list(zip(*rows, strict=True))
    return pa.Table.from_arrays(
        [pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)],
        schema=schema,
    )
