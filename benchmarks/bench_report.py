"""Claim: the plan-of-measures report for the three lab quarters, with 10,000 pins,
is made in under 10 s (PDF and HTML together).

Measured on a fresh SQLite store with 10,000 seeded demo pins and one measure per
quarter; includes reading the pins, Gi* per quarter (999 random spreads), the
indicators, three static maps and both documents (services.plan_report.make_report).
Last line: one JSON object.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datapack.loading import load_districts
from geo.demo import demo_pins, quarter_areas
from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from services.i18n import DEFAULT_LANGUAGE
from services.plan_report import make_report
from store import SqliteStore

PINS = 10_000
REPEATS = 3
TARGET_S = 10.0
PASSWORD = "ein-langes-benchmark-passwort"


def main() -> None:
    pack = load_districts()
    ids = pack.district_ids
    made = demo_pins(quarter_areas(pack.districts, ids), per_quarter=PINS // len(ids) + 1)[:PINS]
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.sqlite")
        store.add_pins([p.draft for p in made], created_at=[p.created_at for p in made])
        store.create_user("ada", PASSWORD, Role.ADMIN, actor=None)
        store.create_user("pia", PASSWORD, Role.PLANNER, actor=Actor("ada", Role.ADMIN))
        for qid in ids:
            store.create_measure(
                MeasureDraft(f"Beleuchtung {qid}", "lighting", qid, pack.geometry(qid).centroid),
                actor=Actor("pia", Role.PLANNER),
            )
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            report = make_report(
                pack,
                store,
                ids,
                population={},
                lamps=None,
                accidents=None,
                sources=[],
                lang=DEFAULT_LANGUAGE,
            )
            timings.append(time.perf_counter() - started)
    seconds = statistics.median(timings)
    figures = {
        "pins": PINS,
        "seconds": round(seconds, 3),
        "seconds_max": round(max(timings), 3),
        "pdf_bytes": len(report.pdf),
        "html_bytes": len(report.html),
        "target_s": TARGET_S,
        "meets_target": seconds < TARGET_S,
    }
    print("report: " + ", ".join(f"{t:.2f} s" for t in timings))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
