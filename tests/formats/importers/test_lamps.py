"""Street lamps: points with height, power and status, from any vector format."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
from shapely.geometry import LineString, MultiPoint, Point, mapping

from formats.importers import OUTSIDE_CITY, Dropped, ImportFileError, read_layer
from geo.crs import METRIC_CRS, STORAGE_CRS
from tests.formats.importers.helpers import (
    BRACKEL,
    HOERDE,
    csv_bytes,
    feature,
    fixture_bytes,
    geojson,
    point,
    zip_bytes,
)


def read(data: bytes, city, filename: str = "lampen.geojson"):
    return read_layer(data, filename=filename, layer_type="lamps", city=city)


def test_lamps_with_german_columns_are_read(city):
    preview = read(fixture_bytes("lamps.geojson"), city)
    frame = preview.frame
    assert list(frame.columns) == ["lamp_id", "height_m", "power_w", "status", "geometry"]
    assert list(frame["lamp_id"]) == ["BR-0001", "BR-0002", "HO-0001", "HO-0002"]
    assert list(frame["status"]) == ["ok", "defect", "defect", "unknown"]
    assert frame["height_m"].iloc[0] == 6.5
    assert math.isnan(frame["height_m"].iloc[2])
    assert list(frame["power_w"].fillna(-1)) == [36.0, 24.0, -1, 100.0]
    assert list(frame.geom_type) == ["Point"] * 4  # a one-point MultiPoint becomes a Point
    assert preview.dropped == (Dropped(row=3, reason=OUTSIDE_CITY),)
    assert (preview.source_crs, preview.crs_assumed) == ("EPSG:4326", False)


def test_lamps_from_csv_are_read(city):
    frame = read(fixture_bytes("lamps.csv"), city, "lamps.csv").frame
    assert list(frame["lamp_id"]) == ["L1", "L2", "L3"]
    assert list(frame["status"]) == ["ok", "defect", "unknown"]
    assert frame["height_m"].dtype == float


def test_lamps_without_attributes_get_defaults(city):
    frame = read(geojson([feature(point(*BRACKEL)), feature(point(*HOERDE))]), city).frame
    assert list(frame["lamp_id"]) == ["1", "2"]
    assert frame["height_m"].isna().all()
    assert frame["power_w"].isna().all()
    assert list(frame["status"]) == ["unknown", "unknown"]


@pytest.mark.parametrize(
    "geometry",
    [LineString([BRACKEL, HOERDE]), MultiPoint([BRACKEL, HOERDE])],
    ids=["line", "two-points"],
)
def test_a_lamp_that_is_not_a_point_is_refused(geometry, city):
    data = geojson([feature(point(*BRACKEL)), feature(mapping(geometry))])
    with pytest.raises(ImportFileError, match=r"^Row 2 is a \w+; this layer takes only points"):
        read(data, city)


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({"status": "blinkt"}, r"^Row 1: status is “blinkt”; expected one of: ok, defect"),
        ({"hoehe": 120}, r"^Row 1: hoehe is 120; expected a number from 0\.5 to 50\.0\.$"),
        ({"hoehe": "hoch"}, r"^Row 1: hoehe is “hoch”, which is not a number\.$"),
        ({"leistung_w": -5}, r"^Row 1: leistung_w is -5; expected a number from 1\.0 to 5000"),
    ],
)
def test_a_bad_attribute_names_row_and_column(properties, message, city):
    with pytest.raises(ImportFileError, match=message):
        read(geojson([feature(point(*BRACKEL), **properties)]), city)


def test_lamps_in_a_zipped_utm_shapefile_are_reprojected(city, tmp_path):
    frame = gpd.GeoDataFrame(
        {"nr": ["1", "2"], "zustand": ["defekt", "in Ordnung"], "lph": [5.0, 8.0]},
        geometry=[Point(BRACKEL), Point(HOERDE)],
        crs=STORAGE_CRS,
    ).to_crs(METRIC_CRS)
    frame.to_file(tmp_path / "lampen.shp")
    data = zip_bytes({p.name: p.read_bytes() for p in sorted(tmp_path.glob("lampen.*"))})
    preview = read(data, city, "lampen.zip")
    assert preview.source_crs == "EPSG:25832"
    assert list(preview.frame["status"]) == ["defect", "ok"]
    assert list(preview.frame["height_m"]) == [5.0, 8.0]
    assert preview.frame.geometry.iloc[1].coords[0] == pytest.approx(HOERDE, abs=1e-7)


def test_lamps_all_outside_dortmund_are_refused(city):
    data = csv_bytes([["lat", "lon"], [51.4818, 7.2162]])
    with pytest.raises(ImportFileError, match=r"No row of lampen\.csv lies in Dortmund"):
        read(data, city, "lampen.csv")
