"""GeoTIFF files of a Raster: round trip, a real compressed GeoTIFF, refusals, download bytes."""

from __future__ import annotations

import math

import numpy as np
import pytest
import rasterio

from formats.geotiff import geotiff_bytes, read_geotiff, write_geotiff
from geo.crs import METRIC_CRS
from geo.raster import Raster, north_up
from rules.errors import ValidationError
from tests.geo.test_raster import TRANSFORM, small_raster


@pytest.mark.parametrize("nodata", [None, -9999.0, math.nan])
def test_geotiff_round_trip_keeps_values_transform_crs_and_nodata(tmp_path, nodata):
    values = small_raster().values.copy()
    values[1, 2] = nodata if nodata is not None else 0.0
    raster = Raster(values=values, transform=TRANSFORM, crs=METRIC_CRS, nodata=nodata)
    path = tmp_path / "surface.tif"
    write_geotiff(raster, path)
    back = read_geotiff(path)
    np.testing.assert_array_equal(back.values, raster.values)  # NaN equals NaN here
    assert back.transform == TRANSFORM
    assert back.crs == METRIC_CRS
    if nodata is None:
        assert back.nodata is None
    elif math.isnan(nodata):
        assert back.nodata is not None and math.isnan(back.nodata)
    else:
        assert back.nodata == nodata


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_geotiff_is_a_real_compressed_geotiff(tmp_path, dtype):
    path = tmp_path / "surface.tif"
    write_geotiff(small_raster(nodata=-1.0), path, dtype=dtype)
    assert path.read_bytes()[:4] in (b"II*\x00", b"MM\x00*")
    with rasterio.open(path) as src:
        assert src.driver == "GTiff"
        assert src.count == 1
        assert src.dtypes == (dtype,)
        assert src.compression is not None and src.compression.value == "DEFLATE"
        assert src.crs.to_epsg() == 25832
        assert src.transform == TRANSFORM
        assert src.nodata == -1.0
        np.testing.assert_allclose(src.read(1), small_raster().values, rtol=1e-6)


def test_empty_raster_cannot_be_written(tmp_path):
    empty = Raster(values=np.zeros((0, 0)), transform=TRANSFORM, crs=METRIC_CRS)
    with pytest.raises(ValidationError, match="empty raster"):
        write_geotiff(empty, tmp_path / "empty.tif")
    assert not (tmp_path / "empty.tif").exists()


def test_reading_something_else_is_a_validation_error(tmp_path):
    path = tmp_path / "not-a-tiff.tif"
    path.write_text("hello")
    with pytest.raises(ValidationError, match="could not be read as a GeoTIFF"):
        read_geotiff(path)


def test_reading_a_multi_band_file_is_refused(tmp_path):
    path = tmp_path / "two.tif"
    profile = {
        "driver": "GTiff",
        "height": 2,
        "width": 2,
        "count": 2,
        "dtype": "float32",
        "crs": METRIC_CRS,
        "transform": TRANSFORM,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.zeros((2, 2, 2), dtype="float32"))
    with pytest.raises(ValidationError, match="has 2 bands"):
        read_geotiff(path)


def test_geotiff_bytes_are_a_real_geotiff_with_the_same_surface(tmp_path) -> None:
    values = np.arange(12, dtype="float64").reshape(3, 4) / 7.0
    values[0, 0] = np.nan
    raster = Raster(
        values=values,
        transform=north_up(390_000.0, 5_710_000.0, cell_m=10.0),
        crs="EPSG:25832",
        nodata=math.nan,
    )
    path = tmp_path / "download.tif"
    path.write_bytes(geotiff_bytes(raster))
    back = read_geotiff(path)
    assert back.crs == "EPSG:25832"
    assert back.transform == raster.transform
    np.testing.assert_allclose(back.values, values, rtol=1e-6, equal_nan=True)
