"""What the public map may show of the pins.

Three rules turn the stored pins into the public view (`public_view`):

1. Places are coarsened. Every pin is moved to the centre of its cell on one
   square grid of `cell_m` metres (PRIVACY_CELL_M = 25 m) laid in METRIC_CRS
   (EPSG:25832) and anchored at (0, 0). The grid does not depend on the pins,
   the quarter or the request, so showing the same pin twice, or among other
   pins, never gives away more than its cell; and no column of the result holds
   a pin's exact place. A pin moves by at most cell_m * sqrt(2) / 2 (17.7 m).
   Columns outside PIN_COLUMNS are dropped, so a caller's extra columns (an
   exact `lon`, say) cannot slip through.

2. Free text is shown only after a moderator released it (the rule of
   rules.pins.PUBLIC_TEXT_STATUSES); otherwise the `text` column holds "".

3. Few pins, one lab: cells are left out. When the pins passed in are sparse
   (fewer than `sparse_below`, SPARSE_BELOW = 30, pins in all), pins in a cell
   whose pins come from fewer than `k_sessions` (K_SESSIONS = 2) distinct lab
   sessions are not shown. Why: a cell holding pins from one lab only, in a
   quarter with few pins, could point at the people in that lab - at where they
   live or walk - even after snapping. Once a cell mixes sessions, or the
   quarter has many pins, no pin can be tied to one group of people. A pin
   without a session (an online pin) counts as a session of its own, since each
   one may come from someone else. Pins of `own_session`, the viewer's own lab
   session, are always shown: the viewer was in the room when they were made.

The sparse count is taken over the frame passed in: pass one quarter's pins
(as the public map shows them) for the rule to mean "a quarter with few pins".
Pins without a location are neither shown (there is nowhere to draw them) nor counted.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import geometries_to_storage, to_metric, to_storage
from geo.pins import PIN_COLUMNS
from rules.pins import PUBLIC_TEXT_STATUSES

PRIVACY_CELL_M = 25.0  # side of the public map's grid cells, in metres
K_SESSIONS = 2  # distinct sessions a cell needs to be shown when pins are sparse
SPARSE_BELOW = 30  # fewer pins than this in all count as sparse

_REQUIRED_COLUMNS = ("text", "text_status", "session_id")


def snap_to_grid(frame: gpd.GeoDataFrame, *, cell_m: float = PRIVACY_CELL_M) -> gpd.GeoDataFrame:
    """A copy of `frame` (points) with each point moved to the centre of its grid cell.

    The grid has square cells of `cell_m` metres in EPSG:25832, anchored at
    (0, 0): the cell of easting x spans [k * cell_m, (k + 1) * cell_m) and its
    centre is (k + 0.5) * cell_m, the same for every frame and every request.
    The result is in EPSG:4326 with the same columns and index; missing or empty
    geometries stay as they were. The input is not changed.

    >>> from geo.pins import pins_frame
    >>> snap_to_grid(pins_frame([])).columns.tolist() == [*PIN_COLUMNS, "geometry"]
    True
    """
    _check_frame(frame, "frame")
    _check_cell_m(cell_m)
    snapped, _ = _snap(frame, cell_m)
    return snapped


def public_view(
    pins: gpd.GeoDataFrame,
    *,
    cell_m: float = PRIVACY_CELL_M,
    k_sessions: int = K_SESSIONS,
    sparse_below: int = SPARSE_BELOW,
    own_session: int | None = None,
) -> gpd.GeoDataFrame:
    """The pins (a pins_frame) as the public map may show them.

    Applies the module's three rules: places snapped to the `cell_m` grid,
    texts "" unless released, and - when there are fewer than `sparse_below`
    pins - cells with pins from fewer than `k_sessions` distinct sessions left
    out, except for the pins of `own_session`. Returns a new GeoDataFrame in
    EPSG:4326 with the columns of PIN_COLUMNS the input has, plus geometry, in
    the input's order. The input is not changed; no pins give an empty frame
    with those columns.
    """
    _check_frame(pins, "pins")
    _check_cell_m(cell_m)
    _check_count(k_sessions, "k_sessions", minimum=1)
    _check_count(sparse_below, "sparse_below", minimum=0)
    if own_session is not None and (isinstance(own_session, bool) or not _is_int(own_session)):
        raise TypeError(f"'own_session' should be an int or None, got {type(own_session)}")
    missing = [name for name in _REQUIRED_COLUMNS if name not in pins.columns]
    if missing:
        raise ValueError(f"'pins' lacks the columns {missing}; build it with pins_frame()")

    geometry_name = pins.geometry.name
    columns = [name for name in pins.columns if name in PIN_COLUMNS]
    geoms = pins.geometry.to_numpy()
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    shown = gpd.GeoDataFrame(pins.loc[located, [*columns, geometry_name]].copy())
    shown, cells = _snap(shown, cell_m)

    if len(shown) < sparse_below:
        keep = _enough_sessions(shown["session_id"], cells, k_sessions=k_sessions)
        if own_session is not None:
            keep |= (shown["session_id"] == own_session).fillna(False).to_numpy(dtype=bool)
        shown = shown.loc[keep].copy()

    _blank_unreleased(shown)
    return shown


def _blank_unreleased(frame: gpd.GeoDataFrame) -> None:
    """Blank (in place) every text a moderator has not released; a frame without
    text_status has none released."""
    if "text" not in frame.columns:
        return
    if "text_status" in frame.columns:
        released = frame["text_status"].isin(PUBLIC_TEXT_STATUSES).to_numpy(dtype=bool)
    else:
        released = np.zeros(len(frame), dtype=bool)
    frame["text"] = frame["text"].where(released, "").fillna("")


def _snap(frame: gpd.GeoDataFrame, cell_m: float) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """`frame` snapped (EPSG:4326) and each row's (column, row) grid cell.

    Rows without a location get the cell (-1, -1) in the returned (n, 2) array
    and keep their missing or empty geometry.
    """
    result = to_storage(frame).copy()
    cells = np.full((len(frame), 2), -1, dtype=np.int64)
    if len(frame) == 0:
        return result, cells
    metric = to_metric(frame).geometry.to_numpy()
    present = ~(shapely.is_missing(metric) | shapely.is_empty(metric))
    if set(shapely.get_type_id(metric[present]).tolist()) - {0}:
        raise ValueError("'frame' should hold Point geometries only")
    column = np.floor(shapely.get_x(metric[present]) / cell_m).astype(np.int64)
    row = np.floor(shapely.get_y(metric[present]) / cell_m).astype(np.int64)
    cells[present, 0] = column
    cells[present, 1] = row
    snapped = metric.copy()
    snapped[present] = shapely.points((column + 0.5) * cell_m, (row + 0.5) * cell_m)
    result[result.geometry.name] = geometries_to_storage(snapped)
    return result, cells


def _enough_sessions(sessions: pd.Series, cells: np.ndarray, *, k_sessions: int) -> np.ndarray:
    """Whether each pin's cell holds pins from at least `k_sessions` distinct sessions.

    A pin without a session counts as a session of its own.
    """
    if len(sessions) == 0:
        return np.zeros(0, dtype=bool)
    absent = sessions.isna().to_numpy(dtype=bool)
    named = ["session:" + str(value) for value in sessions.astype("string").fillna("")]
    unique = [f"pin:{position}" for position in range(len(sessions))]
    key = np.where(absent, unique, named)
    table = pd.DataFrame({"column": cells[:, 0], "row": cells[:, 1], "key": key})
    distinct = table.groupby(["column", "row"])["key"].transform("nunique")
    result: np.ndarray = distinct.to_numpy() >= k_sessions
    return result


def _check_frame(frame: object, name: str) -> None:
    if not isinstance(frame, gpd.GeoDataFrame):
        raise TypeError(f"'{name}' should be a GeoDataFrame, got {type(frame)}")
    if frame.crs is None:
        raise ValueError(f"'{name}' has no CRS; set it with set_crs() (pins are EPSG:4326)")


def _check_cell_m(cell_m: float) -> None:
    if isinstance(cell_m, bool) or not (
        isinstance(cell_m, int | float) and math.isfinite(cell_m) and cell_m > 0
    ):
        raise ValueError(f"'cell_m' should be a positive number of metres, got {cell_m!r}")


def _check_count(value: int, name: str, *, minimum: int) -> None:
    if isinstance(value, bool) or not _is_int(value) or value < minimum:
        raise ValueError(f"'{name}' should be a whole number of at least {minimum}, got {value!r}")


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer)


def released_texts_only(pins: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy with every text not yet released by a moderator blanked."""
    result = pins.copy()
    _blank_unreleased(result)
    return result
