"""Claim: the measures page stays quick with 50 measures, each with its small map.

The small maps are static SVG drawn on the server (layers.measure_thumbs), no map
widget per entry: 50 of them cost well under 0.3 s (`thumbs_50_s`, target). The whole
page's script run on demo data (360 notes) is timed in AppTest as a planner with no
measures and with 50 measures of 3 notes each (`page_0_s`, `page_50_s`: the median of
3 runs after a first one that fills the caches), to show what the 50 entries add.
Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

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
PAGE = "pages/stadt/massnahmen.py"


def _page_seconds() -> list[float]:
    from ui.auth import USER_KEY, StaffLogin

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state[USER_KEY] = StaffLogin(
        username="pia", role=Role.PLANNER, last_seen=datetime.now(UTC)
    )
    at.switch_page(PAGE)
    at.run()  # the first run fills the caches (candidates, layers)
    assert not at.exception, at.exception
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    pack = load_districts()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        os.environ["SQ_DB"] = str(path)
        store = SqliteStore(path)
        fill_demo(store)
        store.create_user("ada", PASSWORD, Role.ADMIN, actor=None)
        store.create_user("pia", PASSWORD, Role.PLANNER, actor=Actor("ada", Role.ADMIN))
        page_0 = _page_seconds()

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
        thumbs = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            for measure in made:
                notes = [points[i] for i in measure.pin_ids]
                outline = pack.geometry(measure.quarter_id)
                place_thumbnail(outline, measure.place, notes, label="Karte")
            thumbs.append(time.perf_counter() - started)
        page_50 = _page_seconds()
        store.close()
    thumbs_s = statistics.median(thumbs)
    figures = {
        "measures": MEASURES,
        "thumbs_50_s": round(thumbs_s, 3),
        "page_0_s": round(statistics.median(page_0), 3),
        "page_50_s": round(statistics.median(page_50), 3),
        "target_thumbs_s": TARGET_THUMBS_S,
        "meets_target": thumbs_s < TARGET_THUMBS_S,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
