"""Preparing a lab laptop: the background map of the lab quarters fetched into the app's
tile cache while online, so a hall without internet still shows streets.

    python -m services.prepare_tiles                       # every lab quarter, zoom 12-16
    python -m services.prepare_tiles --quarter brackel --max-zoom 18 --yes

It says how many tiles and about how many megabytes first, asks, and then fetches one
tile at a time with a pause (the services' usage policies); deeper zooms than a service's
policy allows to fetch in bulk are refused.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from config.settings import load_settings
from datapack.loading import load_districts
from geo.districts import DistrictPack
from geo.tiles import Bounds, tiles_for_areas
from services.tile_cache import app_tile_cache

MIN_ZOOM = 12
# An OpenStreetMap tile of a town is about 20 KB (measured on Dortmund's tiles).
TYPICAL_TILE_KB = 20
PAUSE_S = 0.5
# Around the quarter, so a lab can pan a street beyond its edge.
MARGIN_DEG = 0.005


def lab_quarter_bounds(pack: DistrictPack, slugs: Sequence[str]) -> tuple[list[Bounds], list[str]]:
    """The bounds around each chosen lab quarter (all when none is named); their labels."""
    chosen = [q for q in pack.quarters if not slugs or q.slug in slugs]
    unknown = set(slugs) - {q.slug for q in pack.quarters}
    if unknown or not chosen:
        known = ", ".join(q.slug for q in pack.quarters)
        raise SystemExit(f"unknown quarter {', '.join(sorted(unknown))}: choose from {known}")
    areas = []
    for quarter in chosen:
        west, south, east, north = pack.geometry(quarter.district_id).bounds
        areas.append((west - MARGIN_DEG, south - MARGIN_DEG, east + MARGIN_DEG, north + MARGIN_DEG))
    return areas, [q.label for q in chosen]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.prepare_tiles")
    parser.add_argument("--quarter", action="append", default=[], help="slug; repeatable")
    parser.add_argument("--max-zoom", type=int, default=None)
    parser.add_argument("--yes", action="store_true", help="do not ask before fetching")
    parser.add_argument("--pause", type=float, default=PAUSE_S, help="seconds between tiles")
    args = parser.parse_args(argv)

    settings = load_settings()
    if settings.basemap is None:
        print("SQ_BASEMAP=none: the maps have no tiles to prepare.")
        return 0
    basemap = settings.basemap
    max_zoom = basemap.prefetch_max_zoom if args.max_zoom is None else args.max_zoom
    if max_zoom > basemap.prefetch_max_zoom:
        print(
            f"{basemap.operator} allows fetching ahead only up to zoom "
            f"{basemap.prefetch_max_zoom} ({basemap.policy_url}); deeper zooms are enlarged "
            "from it offline."
        )
        return 1
    pack = load_districts()
    areas, labels = lab_quarter_bounds(pack, args.quarter)
    tiles = tiles_for_areas(areas, range(MIN_ZOOM, max_zoom + 1))
    count = len(tiles)
    megabytes = count * TYPICAL_TILE_KB / 1000
    print(
        f"{', '.join(labels)}: {count} tiles of {basemap.operator} at zoom {MIN_ZOOM}-{max_zoom},"
        f" about {megabytes:.0f} MB, into {settings.tile_cache_dir}."
    )
    if not args.yes and input("Fetch them now? [y/N] ").strip().lower() not in ("y", "j"):
        return 1
    tally = {"kept": 0, "fetched": 0, "failed": 0}
    cache = app_tile_cache(settings, pack)
    assert cache is not None  # a basemap is set and the data pack was read above
    for number, (_tile, outcome) in enumerate(cache.prefetch(tiles, args.pause), 1):
        tally[outcome] += 1
        if number % 50 == 0 or number == count:
            print(f"{number}/{count}: {tally}", flush=True)
    print(
        f"done: {tally['fetched']} fetched, {tally['kept']} already there, {tally['failed']} failed"
    )
    return 1 if tally["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
