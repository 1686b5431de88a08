"""The pin store on both backends: reads, idempotent writes, concurrency, spatial filters."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rules.pins import Pin
from rules.roles import Actor, Role
from rules.text import clean_text
from store import open_store
from store.migrate import head
from tests.factories import make_draft

WORKERS = 20
MODERATOR = Actor(name="mo", role=Role.MODERATOR)
TOKENS = 10


@pytest.fixture
def store(stores):
    return stores.open()


# --- writes and reads ------------------------------------------------------------


def test_add_pin_returns_the_stored_pin(store):
    before = datetime.now(UTC)
    pin = store.add_pin(make_draft("t1", text="Dunkle Unterführung"))
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
    assert store.add_pin(make_draft("t1", severity=None)).severity is None


def test_pins_in_quarter_returns_only_that_quarter_oldest_first(store):
    a1 = store.add_pin(make_draft("a1", quarter_id="brackel"))
    b1 = store.add_pin(make_draft("b1", quarter_id="hoerde"))
    a2 = store.add_pin(make_draft("a2", quarter_id="brackel"))
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
        store.add_pin(make_draft(token, quarter_id=quarter))
    assert store.count_pins() == 3
    assert store.count_pins("brackel") == 2
    assert store.count_pins("hoerde") == 1
    assert store.count_pins("nowhere") == 0


def test_same_token_is_stored_once(store):
    first = store.add_pin(make_draft("retry", text="first"))
    again = store.add_pin(make_draft("retry", text="second", quarter_id="hoerde"))
    assert again == first
    assert again.text == "first"
    assert store.count_pins() == 1
    assert store.pins_in_quarter("hoerde") == []
    assert store.is_stored("retry") and not store.is_stored("never-sent")


def test_pins_survive_reopening(stores):
    url = stores.new_url()
    pin = stores.open(url).add_pin(make_draft("t1"))
    reopened = stores.open(url)
    assert reopened.schema_revision() == head()
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
def test_text_round_trips_unchanged(stores, text):
    url = stores.new_url()
    stores.open(url).add_pin(make_draft("t1", text=text))
    (pin,) = stores.open(url).pins_in_quarter("brackel")
    assert pin.text == text


# --- concurrency -------------------------------------------------------------------


def _token(i: int) -> str:
    return f"token-{i % TOKENS}"


def _check_idempotent(url: str, outcomes: list[tuple[str, int]]) -> None:
    """Every token stored once, and every submission of a token got the same pin."""
    assert len(outcomes) == WORKERS
    ids_by_token: dict[str, set[int]] = {}
    for token, pin_id in outcomes:
        ids_by_token.setdefault(token, set()).add(pin_id)
    assert len(ids_by_token) == TOKENS
    assert all(len(ids) == 1 for ids in ids_by_token.values()), ids_by_token
    assert len({next(iter(ids)) for ids in ids_by_token.values()}) == TOKENS
    store = open_store(url)
    assert store.count_pins() == TOKENS
    stored = {p.token: p.id for p in store.pins_in_quarter("brackel")}
    assert stored == {token: next(iter(ids)) for token, ids in ids_by_token.items()}
    store.close()


@pytest.mark.timeout(60)
def test_parallel_threads_store_each_token_once(stores):
    url = stores.new_url()
    barrier = threading.Barrier(WORKERS)
    outcomes: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit(i: int) -> None:
        try:
            store = stores.open(url)
            barrier.wait(timeout=30)
            pin = store.add_pin(make_draft(_token(i), text=f"submission {i}"))
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
    _check_idempotent(url, outcomes)


def _submit_in_process(path: str, i: int, barrier: Any, results: Any) -> None:
    """Run in a spawned process: open the store, wait for all, submit once."""
    try:
        store = open_store(path)
        barrier.wait(timeout=60)
        pin = store.add_pin(make_draft(_token(i), text=f"submission {i}"))
        results.put((_token(i), pin.id))
        store.close()
    except BaseException as exc:
        results.put(("error", repr(exc)))


@pytest.mark.timeout(120)
def test_parallel_processes_store_each_token_once(stores):
    url = stores.new_url()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=_submit_in_process, args=(url, i, barrier, results))
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
    _check_idempotent(url, outcomes)


# --- pins straight into a frame ------------------------------------------------------


def test_the_fast_frame_equals_the_frame_of_pin_objects(store):
    from geo.pins import pins_frame

    for i, (quarter, text) in enumerate(
        [("brackel", "a"), ("brackel", ""), ("hoerde", "b"), ("brackel", "Straße 😱")]
    ):
        store.add_pin(make_draft(f"t{i}", quarter_id=quarter, text=text, severity=[1, None][i % 2]))
    store.add_support(1, "p-x")
    store.hide_pin(2, actor=MODERATOR, reason="Test")
    fast = store.pins_frame(["brackel", "hoerde"])
    slow = pins_frame(store.pins_in_quarters(["brackel", "hoerde"]))
    assert fast.columns.tolist() == slow.columns.tolist()
    assert fast.dtypes.to_dict() == slow.dtypes.to_dict()
    assert fast.drop(columns="geometry").equals(slow.drop(columns="geometry"))
    assert fast.geometry.geom_equals_exact(slow.geometry, tolerance=0).all()
    assert fast.crs == slow.crs
    assert fast["supports"].tolist() == [1, 0, 0]
    assert store.pins_frame([]).columns.tolist() == slow.columns.tolist()
    assert len(store.pins_frame(["nowhere"])) == 0


def test_the_fast_frame_keeps_every_text_as_written(store):
    # Texts a CSV or a type guess could garble: separators, quotes, line breaks, an
    # empty text beside a missing value; and a column whose first 2,000 values are
    # missing (a reader that guesses types from the first rows takes it for numbers).
    store.add_pins([make_draft(f"early{i}") for i in range(2_000)])
    texts = ['a, "b"', "", "zwei\nZeilen\r\nund ;", '"', "\\N", "NULL"]
    for i, text in enumerate(texts):
        store.add_pin(
            make_draft(f"x{i}", text=text, working_group=None if i < 5 else "public_spaces")
        )
    fast = store.pins_frame(["brackel"])
    # As stored: cleaned by the one text rule (a CR LF line break becomes LF).
    assert fast["text"].tolist()[2_000:] == [clean_text(text) for text in texts]
    assert fast["working_group"].tolist()[1_995:] == [None] * 10 + ["public_spaces"]
    assert fast["severity"].tolist() == [2] * (2_000 + len(texts))
    assert fast["session_id"].isna().all()


def test_the_fast_frame_gives_back_every_coordinate_to_the_last_bit(store):
    # Seventeen significant digits, the most a double needs; a reader that writes
    # numbers with fewer (SQLite's JSON writes 15) would move these by a few ulps.
    places = [(7.512345678901234, 51.51234567890123), (7.1, 51.0), (7.499999999999999, 51.5)]
    for i, (lon, lat) in enumerate(places):
        store.add_pin(make_draft(f"c{i}", lon=lon, lat=lat))
    fast = store.pins_frame(["brackel"])
    assert list(zip(fast.geometry.x, fast.geometry.y, strict=True)) == places
