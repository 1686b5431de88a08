"""Fill a separate demo database with seeded demo pins, survey answers and lamps.

    python -m services.demo [--db var/demo.sqlite]

Real lab data never goes into this database, and demo data never into the real one:
the app runs on either (SQ_DEMO=1 or SQ_DB), never both.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from datapack.loading import load_districts
from geo.demo import demo_lamps, demo_pins, demo_survey, quarter_areas
from rules.layer_meta import LayerMeta
from rules.roles import Actor, Role
from store import Store, open_store

# The demo generator acts as the system; only the demo database ever sees it.
DEMO_ACTOR = Actor(name="system:demo", role=Role.ADMIN)
DEMO_SOURCE = "Sichere Quartiere, seeded demo generator (geo/demo.py)"


def _demo_meta(layer_id: str, layer_type: str, name_de: str, name_en: str) -> LayerMeta:
    return LayerMeta(
        id=layer_id,
        name_de=name_de,
        name_en=name_en,
        layer_type=layer_type,
        kind="points",
        source=DEMO_SOURCE,
        licence="CC0 (invented data)",
        attribution="Demodaten, erfunden",
        data_date=None,
        demo=True,
    )


SURVEY_META = _demo_meta("demo-survey", "survey", "Befragung (Demo)", "Survey answers (demo)")
LAMPS_META = _demo_meta("demo-lamps", "lamps", "Straßenlaternen (Demo)", "Street lamps (demo)")


def fill_demo(store: Store, *, quarter_ids: Sequence[str] | None = None) -> dict[str, int]:
    """Add the demo data once; running again adds nothing (tokens and layer ids repeat)."""
    pack = load_districts()
    ids = list(quarter_ids or pack.district_ids)
    areas = quarter_areas(pack.districts, ids)
    pins = demo_pins(areas)
    added = store.add_pins([p.draft for p in pins], created_at=[p.created_at for p in pins])
    existing = {meta.id for meta in store.list_layers()}
    counts = {"pins": added}
    for meta, frame in ((SURVEY_META, demo_survey(areas)), (LAMPS_META, demo_lamps(areas))):
        if meta.id not in existing:
            counts[meta.id] = store.add_layer(meta, frame, actor=DEMO_ACTOR).feature_count
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.demo", description=__doc__)
    parser.add_argument("--db", default="var/demo.sqlite", help="database URL or SQLite file")
    args = parser.parse_args(argv)
    counts = fill_demo(open_store(args.db))
    print(f"demo: {args.db}: " + ", ".join(f"{k} +{v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
