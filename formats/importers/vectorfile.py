"""Read a vector file with GDAL (pyogrio) and turn the frame into the importers' raw table."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyogrio

from formats.importers.base import UNREADABLE, ImportFileError, RawTable
from rules.errors import N_

_log = logging.getLogger(__name__)


def read_frame(path: Path, *, filename: str, layer: str | None = None) -> gpd.GeoDataFrame:
    """The features of `path` (one `layer` of it); a file GDAL cannot read raises
    ImportFileError naming `filename` (what the person uploaded), not the temp path."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame: gpd.GeoDataFrame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # pyogrio raises several unrelated types for broken files
        # GDAL's English words and the server's temporary path go to the log only.
        _log.info("vector file %s unreadable: %s", filename, exc)
        raise ImportFileError(UNREADABLE, filename=filename) from exc
    return frame


def frame_to_raw(frame: gpd.GeoDataFrame, *, filename: str, rows: npt.ArrayLike) -> RawTable:
    """Split a read frame into attributes and geometries; the CRS must be known."""
    if frame.empty:
        raise ImportFileError(N_("The file {filename} has no rows or features."), filename=filename)
    if frame.crs is None:
        raise ImportFileError(
            N_("The file {filename} does not say which coordinate system it uses."),
            filename=filename,
        )
    authority = frame.crs.to_authority()
    crs = f"{authority[0]}:{authority[1]}" if authority else frame.crs.to_wkt()
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
    geometry = np.asarray(frame.geometry.to_numpy(), dtype=object)
    return RawTable(
        table=table,
        rows=np.asarray(rows, dtype=np.int64),
        geometry=geometry,
        crs=crs,
        crs_assumed=False,
        kind="vector",
    )
