"""What the comparison page computes: the quarters' facts, their indicator table, the
common grid, and the same per lab session: plain Python, no widgets (they are in
ui/comparison, the words of its tables in services/indicator_text)."""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from config.settings import data_pack_dir
from datapack.loading import load_manifest
from geo.classes import shared_breaks
from geo.comparison import CELL_M, by_session, quarter_grids
from geo.crs import to_metric
from geo.districts import DistrictPack
from geo.grid import square_grid
from geo.hotspots import TooFewPointsError, hotspots, prepare
from geo.indicators import MIN_COUNT, QuarterFacts, quarter_indicators
from rules.errors import N_, SQError, ValidationError
from rules.labs import LabSession
from rules.population import Residents, read_population_csv
from rules.roles import Actor
from store import Store

HOTSPOT_CELL_M = 50.0


@dataclass(frozen=True, slots=True)
class Comparison:
    facts: list[QuarterFacts]
    table: pd.DataFrame  # geo.indicators.INDICATOR_COLUMNS
    grids: dict[str, gpd.GeoDataFrame]
    breaks: np.ndarray  # the shared class bounds of the small multiples
    hot: dict[str, gpd.GeoDataFrame | None]  # significant hot cells (None: too few notes)


def residents(store: Store) -> dict[str, Residents]:
    """Residents per district: the data pack's table, with what planners imported in
    place of the districts they imported."""
    return {**_packed_residents(), **store.population()}


def _packed_residents() -> dict[str, Residents]:
    path = data_pack_dir() / load_manifest().dataset("population").file
    if not path.is_file():
        return {}
    try:
        return {r.district_id: r for r in read_population_csv(path.read_bytes())}
    except SQError:
        return {}


def import_residents(
    store: Store, data: bytes, *, source: str, actor: Actor, pack: DistrictPack
) -> int:
    """Store the residents per district of the city's table (CSV bytes) in place of
    the data pack's, for the districts it names; the number of districts stored.
    Raises SQError on a bad file, a district number `pack` does not know, or when
    `actor` may not."""
    rows = read_population_csv(data)
    known = set(pack.districts["district_id"])
    unknown = sorted({r.district_id for r in rows} - known)
    if unknown:
        raise ValidationError(
            N_("The table names districts this city does not have: {districts}."),
            districts=tuple(unknown[:10]) + (("…",) if len(unknown) > 10 else ()),
        )
    return store.set_population(rows, source=source, actor=actor)


def hot_cells(
    pins: gpd.GeoDataFrame, quarter_id: str, area: BaseGeometry
) -> gpd.GeoDataFrame | None:
    """The quarter's significant hot cells (Gi*, 50 m cells, 999 random spreads, as on
    the planning map); None below the hotspot analysis' own minimum of notes.

    Remembered for the same notes: the comparison, the candidate places and the plan's
    report each ask for them, and the 999 random spreads are most of their time.
    Callers must not change the frame."""
    mine = pins.loc[pins["quarter_id"].to_numpy() == quarter_id]
    key = (quarter_id, _fingerprint(mine, area))
    with _HOT_LOCK:
        if key in _HOT_SEEN:
            _HOT_SEEN.move_to_end(key)
            return _HOT_SEEN[key]
    try:
        result = hotspots(mine, area, cell_m=HOTSPOT_CELL_M)
    except TooFewPointsError:
        cells = None
    else:
        cells = result.cells.loc[result.cells["label"] == "hot"]
    with _HOT_LOCK:
        _HOT_SEEN[key] = cells
        while len(_HOT_SEEN) > _HOT_KEEP:
            _HOT_SEEN.popitem(last=False)
    return cells


def hot_cells_by_quarter(
    pins: gpd.GeoDataFrame, areas: Mapping[str, BaseGeometry]
) -> dict[str, gpd.GeoDataFrame | None]:
    """hot_cells of each quarter in `areas` (quarter id -> outline), the quarters side by
    side on the machine's cores: the random spreads spend their time in numpy, which
    lets other threads run meanwhile."""
    if len(areas) < 2:
        return {qid: hot_cells(pins, qid, area) for qid, area in areas.items()}
    futures = {qid: _HOT_POOL.submit(hot_cells, pins, qid, area) for qid, area in areas.items()}
    return {qid: future.result() for qid, future in futures.items()}


_HOT_POOL = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)))
_HOT_KEEP = 32
_HOT_SEEN: OrderedDict[tuple[str, str], gpd.GeoDataFrame | None] = OrderedDict()
_HOT_LOCK = threading.Lock()


def prepare_quarters(pack: DistrictPack, store: Store | None = None) -> None:
    """Make the lab quarters' hotspot grids ahead of the first analysis (at the server's
    start): cutting a quarter into cells takes longer than the analysis itself. With a
    store, also their hot cells from the notes stored now (remembered, see hot_cells):
    the first comparison then redoes only the quarters that got new notes since."""
    for district_id in pack.district_ids:
        area = pack.geometry(district_id)
        prepare(area, cell_m=HOTSPOT_CELL_M)
        square_grid(area, cell_m=CELL_M)  # the comparison's maps
        if store is not None:
            hot_cells(store.pins_frame([district_id]), district_id, area)


def forget_hot_cells() -> None:
    """Drop the remembered hot cells (benchmarks time the work itself)."""
    with _HOT_LOCK:
        _HOT_SEEN.clear()


def _fingerprint(pins: gpd.GeoDataFrame, area: BaseGeometry) -> str:
    """What Gi* depends on: the places of the notes (in metres to the millimetre, so the
    comparison's metric frame and the candidates' frame in degrees agree) and the outline."""
    metric = to_metric(pins).geometry
    digest = hashlib.blake2b(digest_size=16)
    for values in (metric.x, metric.y):
        digest.update(np.round(values.to_numpy(dtype=np.float64), 3).tobytes())
    digest.update(area.wkb)
    return digest.hexdigest()


def _count(cells: gpd.GeoDataFrame | None) -> int | None:
    return None if cells is None else len(cells)


def compare(
    pack: DistrictPack,
    pins: gpd.GeoDataFrame,
    quarter_ids: Sequence[str],
    *,
    population: dict[str, Residents],
    lamps: gpd.GeoDataFrame | None,
    accidents: gpd.GeoDataFrame | None,
    measures: Sequence[tuple[str, str]] | None = None,
    min_count: int = MIN_COUNT,
) -> Comparison:
    """Everything the page (and the plan's report) shows for `quarter_ids`, from the
    pins of the chosen period."""
    # Measured once in metres: hotspots, lamps and the grid would each reproject them.
    pins = to_metric(pins)
    lamps = to_metric(lamps) if lamps is not None else None
    hot = hot_cells_by_quarter(pins, {qid: pack.geometry(qid) for qid in quarter_ids})
    facts = [
        QuarterFacts(
            quarter_id=qid,
            area=pack.geometry(qid),
            residents=population[qid].residents if qid in population else None,
            significant_hotspots=_count(hot[qid]),
        )
        for qid in quarter_ids
    ]
    table = quarter_indicators(
        facts, pins, lamps=lamps, accidents=accidents, measures=measures, min_count=min_count
    )
    grids = quarter_grids(facts, pins)
    breaks = shared_breaks([g["count"].to_numpy() for g in grids.values()])
    return Comparison(facts=facts, table=table, grids=grids, breaks=breaks, hot=hot)


def session_table(
    pack: DistrictPack,
    pins: gpd.GeoDataFrame,
    quarter_id: str,
    sessions: Sequence[LabSession],
    *,
    population: dict[str, Residents],
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """The quarter's indicators once per lab session (oldest first): change over time."""
    quarter = QuarterFacts(
        quarter_id=quarter_id,
        area=pack.geometry(quarter_id),
        residents=population[quarter_id].residents if quarter_id in population else None,
    )
    ordered = sorted(sessions, key=lambda s: (s.held_on, s.id))
    facts, session_pins = by_session(quarter, pins, [(s.id, s.title) for s in ordered])
    return quarter_indicators(facts, session_pins, min_count=min_count)
