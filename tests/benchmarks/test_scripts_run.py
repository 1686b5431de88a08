"""Every benchmark script still runs and ends with its JSON line.

Speed is not asserted here (tests must not fail on a slow machine); the figures
are read from the scripts' own output in the closing notes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

EXPECTED_KEYS = {
    "bench_map.py": {
        "pins",
        "build_s",
        "html_bytes",
        "naive_build_s",
        "naive_html_bytes",
        "speedup",
    },
    "bench_density.py": {"speedup_vs_scipy", "l1_diff"},
    "bench_hotspots.py": {"seconds", "max_abs_z_diff_vs_esda"},
    "bench_lighting.py": {"seconds"},
    "bench_planner.py": {"rerun_s"},
    "bench_compare.py": {"pins", "seconds"},
    "bench_report.py": {"pins", "seconds"},
    "bench_store.py": {"sqlite_p95_ms_50", "postgis_p95_ms_50", "read_100k_s", "lost"},
    "bench_pages.py": {"pages", "max_s", "participant_s", "moderation_release_s", "notes"},
    "bench_measure_list.py": {"measures", "thumbs_50_s", "thumbs_50_cpu_s", "meets_target"},
    "bench_operations.py": {"request_overhead_us", "script_run_overhead_us", "meets_target"},
    "bench_lab.py": {
        "participants",
        "staff",
        "save_p95_s",
        "visible_p95_s",
        "staff_action_p95_s",
        "server_cpu_pct",
        "server_rss_mb",
        "rss_per_session_mb",
        "lost",
        "duplicated",
        "harness_cpu_pct",
        "targets",
    },
}
# Figures that are correctness, not speed: they hold on any machine.
EXACT = {
    "bench_store.py": {"lost": 0, "errors": 0},
    "bench_lab.py": {"lost": 0, "duplicated": 0},
}
# Benchmarks with a short form for the tests (the full scenario is for the closing notes).
SHORT_ENV = {"bench_lab.py": {"SQ_BENCH_SHORT": "1"}, "bench_pages.py": {"SQ_BENCH_SHORT": "1"}}


def test_every_benchmark_is_listed() -> None:
    assert {p.name for p in (PROJECT_DIR / "benchmarks").glob("bench_*.py")} == set(EXPECTED_KEYS)


@pytest.mark.parametrize("script", sorted(EXPECTED_KEYS))
def test_the_benchmark_prints_its_json_line_last(script: str) -> None:
    result = subprocess.run(
        [sys.executable, f"benchmarks/{script}"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        env={**os.environ, **SHORT_ENV.get(script, {})},
    )
    last = result.stdout.strip().splitlines()[-1]
    figures = json.loads(last)
    assert EXPECTED_KEYS[script] <= set(figures)
    assert "meets_target" in figures
    for key, value in EXACT.get(script, {}).items():
        assert figures[key] == value, (key, figures)
    if script == "bench_lab.py":  # every participant saved every note, whatever it took
        why = [run["first_errors"] for run in figures["runs"].values()]  # first in the message
        assert figures["saved"] == figures["expected_saves"] > 0, (why, figures)
        for run in figures["runs"].values():
            assert run["participants_all_saved"] == run["participants"], run
    if script == "bench_pages.py":  # every page and action was reached and timed
        assert {"join", "tap", "save", "moderation_release", "massnahmen"} <= set(figures["pages"])
        assert all(seconds > 0 for seconds in figures["pages"].values()), figures["pages"]
