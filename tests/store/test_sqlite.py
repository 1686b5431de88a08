"""The SQLite pin store: schema, reads, idempotent writes, concurrency, failures."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from geo.errors import SchemaVersionError, StoreUnavailableError
from geo.pins import Pin, PinDraft
from store.sqlite import SCHEMA_VERSION, SqliteStore

WORKERS = 20
TOKENS = 10


def _draft(token: str, quarter_id: str = "brackel", text: str = "", severity: int | None = 2):
    return PinDraft(
        quarter_id=quarter_id,
        lon=7.5512,
        lat=51.5187,
        category="dark",
        time_band="night",
        severity=severity,
        text=text,
        token=token,
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "pins.sqlite"


@pytest.fixture
def store(db_path: Path) -> SqliteStore:
    return SqliteStore(db_path)


# --- schema ----------------------------------------------------------------------


def test_schema_is_created_in_wal_mode(store, db_path):
    assert store.schema_version() == SCHEMA_VERSION
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert "pins" in tables


def test_newer_schema_version_is_refused(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaVersionError) as exc_info:
        SqliteStore(db_path)
    assert exc_info.value.params["found"] == 99
    assert exc_info.value.params["known"] == SCHEMA_VERSION
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    finally:
        conn.close()


# --- writes and reads ------------------------------------------------------------


def test_add_pin_returns_the_stored_pin(store):
    before = datetime.now(UTC)
    pin = store.add_pin(_draft("t1", text="Dunkle Unterführung"))
    after = datetime.now(UTC)
    assert isinstance(pin, Pin)
    assert isinstance(pin.id, int)
    assert pin.id > 0
    assert pin.created_at.tzinfo is not None
    # created_at is stored to the millisecond.
    assert before - timedelta(milliseconds=1) <= pin.created_at <= after
    assert (pin.quarter_id, pin.lon, pin.lat) == ("brackel", 7.5512, 51.5187)
    assert (pin.category, pin.time_band, pin.severity) == ("dark", "night", 2)
    assert (pin.text, pin.token) == ("Dunkle Unterführung", "t1")


def test_severity_may_be_empty(store):
    assert store.add_pin(_draft("t1", severity=None)).severity is None


def test_pins_in_quarter_returns_only_that_quarter_oldest_first(store):
    a1 = store.add_pin(_draft("a1", quarter_id="brackel"))
    b1 = store.add_pin(_draft("b1", quarter_id="hoerde"))
    a2 = store.add_pin(_draft("a2", quarter_id="brackel"))
    brackel = store.pins_in_quarter("brackel")
    assert [p.token for p in brackel] == ["a1", "a2"]
    assert brackel == [a1, a2]
    assert brackel[0].id < brackel[1].id
    assert brackel[0].created_at <= brackel[1].created_at
    assert store.pins_in_quarter("hoerde") == [b1]
    assert store.pins_in_quarter("nowhere") == []


def test_count_pins(store):
    assert store.count_pins() == 0
    for token, quarter in [("a1", "brackel"), ("b1", "hoerde"), ("a2", "brackel")]:
        store.add_pin(_draft(token, quarter_id=quarter))
    assert store.count_pins() == 3
    assert store.count_pins("brackel") == 2
    assert store.count_pins("hoerde") == 1
    assert store.count_pins("nowhere") == 0


def test_same_token_is_stored_once(store):
    first = store.add_pin(_draft("retry", text="first"))
    again = store.add_pin(_draft("retry", text="second", quarter_id="hoerde"))
    assert again == first
    assert again.text == "first"
    assert store.count_pins() == 1
    assert store.pins_in_quarter("hoerde") == []


def test_pins_survive_reopening(db_path):
    pin = SqliteStore(db_path).add_pin(_draft("t1"))
    reopened = SqliteStore(db_path)
    assert reopened.schema_version() == SCHEMA_VERSION
    assert reopened.pins_in_quarter("brackel") == [pin]


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "it's \"quoted\" and 'single'",
        "`rm -rf /` and ``code``",
        "Robert'); DROP TABLE pins;--",
        "Angst 😱 👩\u200d🚒 🇩🇪 Straße",
        "Zeile 1\nZeile 2\tmit Tab",
        "%s %d {0} ? :name",
    ],
)
def test_text_round_trips_unchanged(db_path, text):
    SqliteStore(db_path).add_pin(_draft("t1", text=text))
    (pin,) = SqliteStore(db_path).pins_in_quarter("brackel")
    assert pin.text == text


# --- concurrency -------------------------------------------------------------------


def _token(i: int) -> str:
    return f"token-{i % TOKENS}"


def _check_idempotent(db_path: Path, outcomes: list[tuple[str, int]]) -> None:
    """Every token stored once, and every submission of a token got the same pin."""
    assert len(outcomes) == WORKERS
    ids_by_token: dict[str, set[int]] = {}
    for token, pin_id in outcomes:
        ids_by_token.setdefault(token, set()).add(pin_id)
    assert len(ids_by_token) == TOKENS
    assert all(len(ids) == 1 for ids in ids_by_token.values()), ids_by_token
    assert len({next(iter(ids)) for ids in ids_by_token.values()}) == TOKENS
    store = SqliteStore(db_path)
    assert store.count_pins() == TOKENS
    stored = {p.token: p.id for p in store.pins_in_quarter("brackel")}
    assert stored == {token: next(iter(ids)) for token, ids in ids_by_token.items()}


@pytest.mark.timeout(60)
def test_parallel_threads_store_each_token_once(db_path):
    barrier = threading.Barrier(WORKERS)
    outcomes: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit(i: int) -> None:
        try:
            store = SqliteStore(db_path)
            barrier.wait(timeout=30)
            pin = store.add_pin(_draft(_token(i), text=f"submission {i}"))
            with lock:
                outcomes.append((_token(i), pin.id))
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=50)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    _check_idempotent(db_path, outcomes)


def _submit_in_process(path: str, i: int, barrier: Any, results: Any) -> None:
    """Run in a spawned process: open the store, wait for all, submit once."""
    try:
        store = SqliteStore(Path(path))
        barrier.wait(timeout=60)
        pin = store.add_pin(_draft(_token(i), text=f"submission {i}"))
        results.put((_token(i), pin.id))
    except BaseException as exc:
        results.put(("error", repr(exc)))


@pytest.mark.timeout(120)
def test_parallel_processes_store_each_token_once(db_path):
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=_submit_in_process, args=(str(db_path), i, barrier, results))
        for i in range(WORKERS)
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=90) for _ in range(WORKERS)]
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    assert [o for o in outcomes if o[0] == "error"] == []
    assert [p.exitcode for p in processes] == [0] * WORKERS
    _check_idempotent(db_path, outcomes)


# --- unavailable -------------------------------------------------------------------


def _parent_is_a_file(tmp_path: Path) -> Path:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    return blocker / "pins.sqlite"


def _path_is_a_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pins.sqlite"
    folder.mkdir()
    return folder


def _under_proc(tmp_path: Path) -> Path:
    return Path("/proc/sichere-quartiere-test/pins.sqlite")


def _not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "pins.sqlite"
    path.write_bytes(b"this is not an SQLite file" * 100)
    return path


@pytest.mark.parametrize(
    "make_path", [_parent_is_a_file, _path_is_a_folder, _under_proc, _not_a_database]
)
def test_unwritable_database_is_unavailable(tmp_path, make_path):
    path = make_path(tmp_path)
    with pytest.raises(StoreUnavailableError) as exc_info:
        SqliteStore(path)
    assert "not available" in str(exc_info.value)
    assert exc_info.value.params["detail"]


def test_database_replaced_after_opening_is_unavailable(tmp_path):
    folder = tmp_path / "data"
    store = SqliteStore(folder / "pins.sqlite")
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()
    folder.write_text("now a file", encoding="utf-8")
    with pytest.raises(StoreUnavailableError):
        store.add_pin(_draft("t1"))


@pytest.mark.timeout(60)
def test_many_processes_may_open_a_new_file_at_the_same_moment(tmp_path):
    """Opening creates the schema and switches to WAL; a crowd of openers must all
    get a working store (SQLite answers "locked" at once to the WAL switch)."""
    path = tmp_path / "fresh.sqlite"
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def open_at_once() -> None:
        try:
            barrier.wait(timeout=30)
            SqliteStore(path).count_pins()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_at_once) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=50)
    assert errors == []
    assert SqliteStore(path).schema_version() == SCHEMA_VERSION
