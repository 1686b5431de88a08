"""Claim: the measures page's small maps stay cheap with 50 measures.

The small maps are static SVG drawn on the server (layers.measure_thumbs), no map
widget per entry: 50 of them, for 50 measures of 3 demo notes each across the three
quarters, cost well under 0.3 s (`thumbs_50_s`, the median of 3 rounds; target;
`thumbs_50_cpu_s` the process's CPU time, which a busy machine does not inflate).
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

from shapely.geometry import Point

from datapack.loading import load_districts
from layers.measure_thumbs import place_thumbnail
from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from services.demo import fill_demo
from store import SqliteStore

MEASURES = 50
REPEATS = 3
TARGET_THUMBS_S = 0.3
PASSWORD = "ein-langes-benchmark-passwort"


def main() -> None:
    pack = load_districts()
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.sqlite")
        fill_demo(store)
        store.create_user("ada", PASSWORD, Role.ADMIN, actor=None)
        store.create_user("pia", PASSWORD, Role.PLANNER, actor=Actor("ada", Role.ADMIN))

        planner = Actor("pia", Role.PLANNER)
        made = []
        for number in range(MEASURES):
            quarter = pack.district_ids[number % len(pack.district_ids)]
            pins = store.pins_in_quarter(quarter)[number : number + 3]
            made.append(
                store.create_measure(
                    MeasureDraft(
                        f"Maßnahme {number}",
                        "lighting",
                        quarter,
                        Point(pins[0].lon, pins[0].lat),
                        pin_ids=tuple(p.id for p in pins),
                    ),
                    actor=planner,
                )
            )
        points = {
            p.id: Point(p.lon, p.lat) for q in pack.district_ids for p in store.pins_in_quarter(q)
        }
        thumbs, cpu = [], []
        for _ in range(REPEATS):
            started, started_cpu = time.perf_counter(), time.process_time()
            for measure in made:
                notes = [points[i] for i in measure.pin_ids]
                outline = pack.geometry(measure.quarter_id)
                place_thumbnail(outline, measure.place, notes, label="Karte")
            thumbs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        store.close()
    thumbs_s = statistics.median(thumbs)
    figures = {
        "measures": MEASURES,
        "thumbs_50_s": round(thumbs_s, 3),
        "thumbs_50_cpu_s": round(statistics.median(cpu), 3),
        "target_thumbs_s": TARGET_THUMBS_S,
        "meets_target": thumbs_s < TARGET_THUMBS_S,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
