"""Claim: the store keeps every confirmed pin and stays fast with many writers.

Targets: p95 write latency under 50 ms with 50 concurrent writers on PostGIS (issue
"PostGIS for many users"); 100,000 pins of one quarter read into a GeoDataFrame in
0.3 s at most, on both backends (issue "Fifty people in one hall"); nothing lost.

Writers are threads over five stores (as sessions over app processes), each placing
pins one by one with no pause, every tenth save double-clicked (devtools/load.py).
Both backends run in the same process on this machine: SQLite on a file in a temporary
folder, PostGIS on a throwaway cluster on 127.0.0.1 (devtools/pg_cluster.py), both
durable as in production (SQLite WAL with synchronous=NORMAL, PostgreSQL with
fsync and synchronous_commit on). Last line: one JSON object.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devtools.load import QUARTER, LoadResult, draft, missing, run_writers
from devtools.pg_cluster import PgCluster
from store import open_store

READ_PINS = 100_000
OTHER_QUARTER_PINS = 20_000  # in another quarter: the read must leave them out
READ_REPEATS = 3
READ_TARGET_S = 0.3


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def _figures(result: LoadResult) -> dict[str, Any]:
    return {
        "writes": len(result.latencies_s),
        "writes_per_s": round(result.writes_per_s, 1),
        "p50_ms": _ms(result.latencies_s, 0.50),
        "p95_ms": _ms(result.latencies_s, 0.95),
        "errors": len(result.errors),
    }


def _read_100k(url: str) -> float:
    """Seconds to read the quarter's 100,000 pins into a GeoDataFrame (median), by the
    path the map and the planner use (Store.pins_frame)."""
    store = open_store(url)
    rng = random.Random(3)
    drafts = [draft(i // 200, i, rng) for i in range(READ_PINS)]
    store.add_pins(drafts)
    others = [draft(10_000 + i // 200, i, rng) for i in range(OTHER_QUARTER_PINS)]
    store.add_pins([replace(d, quarter_id="530") for d in others])
    times = []
    for _ in range(READ_REPEATS):
        started = time.perf_counter()
        frame = store.pins_frame([QUARTER])
        times.append(time.perf_counter() - started)
        assert len(frame) == READ_PINS, len(frame)
        del frame  # freeing it is not part of the next read
    store.close()
    return round(statistics.median(times), 3)


def main() -> None:
    figures: dict[str, Any] = {}
    lost = 0
    with tempfile.TemporaryDirectory() as tmp, PgCluster() as cluster:
        urls = {
            "sqlite": lambda name: str(Path(tmp) / f"{name}.sqlite"),
            "postgis": cluster.create_database,
        }
        for backend, new_url in urls.items():
            for writers, pins_each in ((1, 1_000), (50, 200)):
                url = new_url(f"w{writers}")
                open_store(url).close()  # schema made before the clock starts
                result = run_writers(url, writers=writers, pins_each=pins_each)
                gone = missing(url, result.confirmed)
                lost += len(gone)
                figures[f"{backend}_{writers}"] = {**_figures(result), "lost": len(gone)}
                print(f"{backend}, {writers} writer(s): {figures[f'{backend}_{writers}']}")
            figures[f"read_100k_s_{backend}"] = _read_100k(new_url("read"))
            print(f"{backend}: 100,000 pins read in {figures[f'read_100k_s_{backend}']} s")
    summary = {
        "sqlite_p95_ms_50": figures["sqlite_50"]["p95_ms"],
        "postgis_p95_ms_50": figures["postgis_50"]["p95_ms"],
        "sqlite_p95_ms_1": figures["sqlite_1"]["p95_ms"],
        "postgis_p95_ms_1": figures["postgis_1"]["p95_ms"],
        "sqlite_writes_per_s_50": figures["sqlite_50"]["writes_per_s"],
        "postgis_writes_per_s_50": figures["postgis_50"]["writes_per_s"],
        "read_100k_s": max(figures["read_100k_s_sqlite"], figures["read_100k_s_postgis"]),
        "read_100k_s_sqlite": figures["read_100k_s_sqlite"],
        "read_100k_s_postgis": figures["read_100k_s_postgis"],
        "lost": lost,
        "errors": sum(v["errors"] for v in figures.values() if isinstance(v, dict)),
        "meets_target": figures["postgis_50"]["p95_ms"] < 50
        and max(figures["read_100k_s_sqlite"], figures["read_100k_s_postgis"]) <= READ_TARGET_S
        and lost == 0,
        "runs": figures,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
