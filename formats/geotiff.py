"""GeoTIFF files: a Raster written and read (single band, deflate-compressed)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Literal

import numpy as np
import rasterio
from rasterio.errors import RasterioIOError

from geo.raster import Raster
from rules.errors import N_, ValidationError


def write_geotiff(
    raster: Raster,
    path: str | os.PathLike[str],
    *,
    dtype: Literal["float32", "float64"] = "float64",
) -> None:
    """Write `raster` as a single-band, deflate-compressed GeoTIFF.

    float64 (the default) keeps values exactly; float32 halves the file and
    keeps about 7 significant digits. CRS, transform and nodata are written.
    """
    if dtype not in ("float32", "float64"):
        raise ValidationError(N_("'dtype' should be float32 or float64, got {value}."), value=dtype)
    rows, cols = raster.shape
    if rows == 0 or cols == 0:
        raise ValidationError(N_("An empty raster cannot be written as a GeoTIFF."))
    profile = {
        "driver": "GTiff",
        "height": rows,
        "width": cols,
        "count": 1,
        "dtype": dtype,
        "crs": raster.crs,
        "transform": raster.transform,
        "nodata": raster.nodata,
        "compress": "deflate",
        "predictor": 3,  # the floating-point predictor: smooth surfaces compress far better
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(raster.values.astype(dtype), 1)


def geotiff_bytes(raster: Raster, *, dtype: Literal["float32", "float64"] = "float32") -> bytes:
    """`raster` as the bytes of a GeoTIFF file (for a download)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "raster.tif"
        write_geotiff(raster, path, dtype=dtype)
        return path.read_bytes()


def read_geotiff(path: str | os.PathLike[str]) -> Raster:
    """Read band 1 of a single-band GeoTIFF as a float64 Raster."""
    try:
        with rasterio.open(path) as src:
            if src.count != 1:
                raise ValidationError(
                    N_("{path} has {count} bands; a single band was expected."),
                    path=str(path),
                    count=src.count,
                )
            if src.crs is None:
                raise ValidationError(N_("{path} has no CRS."), path=str(path))
            values = src.read(1).astype(np.float64)
            transform = src.transform
            crs = src.crs.to_string()
            nodata = None if src.nodata is None else float(src.nodata)
    except RasterioIOError as exc:
        raise ValidationError(
            N_("{path} could not be read as a GeoTIFF: {reason}"), path=str(path), reason=exc
        ) from exc
    return Raster(values=values, transform=transform, crs=crs, nodata=nodata)
