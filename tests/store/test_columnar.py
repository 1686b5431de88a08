"""The SQLite reader that fills Arrow buffers (store/_sqlite_columns.c) against what
Python's own sqlite3 module reads from the same file."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from pathlib import Path

import pyarrow as pa
import pytest

from store.columnar import sqlite_table

SCHEMA = pa.schema([("n", pa.int64()), ("x", pa.float64()), ("t", pa.string())])
ROWS = [
    (1, 7.512345678901234, "Straße 😱"),
    (None, None, None),
    (-(2**63), 5e-324, ""),
    (2**63 - 1, -0.0, 'a, "b"\nzwei Zeilen'),
    (4, float("inf"), "x" * 5_000),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, n INTEGER, x REAL, t TEXT)")
        conn.executemany("INSERT INTO t (n, x, t) VALUES (?, ?, ?)", ROWS)
    return path


def _read(path: Path, sql: str, params: tuple[object, ...] = ()) -> pa.Table:
    return sqlite_table(path, sql, params, SCHEMA, timeout_ms=1_000)


def test_every_value_reads_as_python_sqlite_reads_it(db: Path) -> None:
    table = _read(db, "SELECT n, x, t FROM t ORDER BY k")
    assert table.schema == SCHEMA
    assert list(zip(*(c.to_pylist() for c in table.columns), strict=True)) == ROWS
    assert [c.null_count for c in table.columns] == [1, 1, 1]


def test_parameters_of_each_type_are_bound(db: Path) -> None:
    sql = "SELECT n, x, t FROM t WHERE n = ? OR x = ? OR t = ? OR (n IS ? AND t IS NULL) ORDER BY k"
    table = _read(db, sql, (1, -0.0, "", None))
    assert table.column("n").to_pylist() == [1, None, -(2**63), 2**63 - 1]


def test_no_rows_give_empty_columns_of_the_schema(db: Path) -> None:
    table = _read(db, "SELECT n, x, t FROM t WHERE k > ?", (99,))
    assert table.num_rows == 0
    assert table.schema == SCHEMA


def test_a_column_of_another_storage_type_is_converted_as_sqlite_converts(db: Path) -> None:
    # SQLite's columns may hold any type; the reader asks for the schema's type.
    table = _read(db, "SELECT '42', 3, 2.5 FROM t WHERE k = 1")
    assert [c.to_pylist() for c in table.columns] == [[42], [3.0], ["2.5"]]


def test_errors_are_sqlite_errors_and_plain_mistakes_are_refused(db: Path) -> None:
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _read(db, "SELECT n, x, t FROM nowhere")
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        _read(db.parent / "missing" / "t.sqlite", "SELECT 1, 2, 3")
    with pytest.raises(ValueError, match="2 columns, 3 kinds"):
        _read(db, "SELECT n, x FROM t")
    with pytest.raises(TypeError, match="parameter 1: cannot bind list"):
        _read(db, "SELECT n, x, t FROM t WHERE n = ?", ([1],))
    with pytest.raises(KeyError):
        sqlite_table(db, "SELECT 1", (), pa.schema([("b", pa.bool_())]), timeout_ms=1)


def test_reads_beside_a_writer_each_see_one_whole_snapshot(db: Path) -> None:
    # Every read is one statement on a connection of its own: it sees a row count the
    # writer committed, never a part of a transaction (10 rows each).
    sql = "SELECT count(*), sum(x), max(t) FROM t WHERE t = 'w'"
    done = threading.Event()

    def write() -> None:
        with sqlite3.connect(db, isolation_level=None) as conn:
            for _ in range(50):
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT INTO t (n, x, t) VALUES (1, 1.0, 'w')", [()] * 10)
                conn.execute("COMMIT")
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    counts = []
    while not done.is_set():
        counts.append(_read(db, sql).column(0)[0].as_py())
    writer.join()
    assert all(count % 10 == 0 for count in counts)
    assert _read(db, sql).column(0)[0].as_py() == 500


def test_the_reader_links_the_sqlite_library_python_uses() -> None:
    # A second copy of SQLite working on the same files would not see the first one's
    # POSIX file locks (SQLite's "multiple copies" hazard). (pyproj brings a copy of
    # its own, but only for its own read-only proj.db.)
    import _sqlite3

    import store._sqlite_columns as reader

    def linked(module: str) -> list[str]:
        out = subprocess.run(["ldd", module], capture_output=True, text=True, check=True)
        return [line.split()[2] for line in out.stdout.splitlines() if "libsqlite3" in line]

    assert linked(reader.__file__) == linked(_sqlite3.__file__) != []
