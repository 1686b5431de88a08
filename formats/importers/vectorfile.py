"""Turn a GeoDataFrame read by GDAL into the importers' raw table."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from formats.importers.base import ImportFileError, RawTable
from rules.errors import N_


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
