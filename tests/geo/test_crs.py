"""The CRS rule: store in EPSG:4326, measure in EPSG:25832."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo.crs import (
    METRIC_CRS,
    STORAGE_CRS,
    geometry_to_metric,
    geometry_to_storage,
    lonlat_to_metric,
    metric_to_lonlat,
    to_metric,
    to_storage,
)

POINTS = [
    (7.55, 51.52),  # Brackel
    (7.3289, 51.5214),  # Bövinghausen
    (7.4669, 51.4897),  # Hörde
    (9.0, 51.5),  # UTM 32 central meridian
    (6.1, 50.8),  # western edge of the zone
]


@pytest.mark.parametrize(("lon", "lat"), POINTS)
def test_lonlat_metric_round_trip(lon, lat):
    x, y = lonlat_to_metric(lon, lat)
    back_lon, back_lat = metric_to_lonlat(x, y)
    assert back_lon == pytest.approx(lon, abs=1e-9)
    assert back_lat == pytest.approx(lat, abs=1e-9)


@pytest.mark.parametrize("lat", [0.0, 51.5])
def test_central_meridian_has_false_easting(lat):
    # UTM zone 32 is centred on 9°E, where the easting is the false easting 500 km.
    x, _ = lonlat_to_metric(9.0, lat)
    assert x == pytest.approx(500_000.0, abs=1e-6)


def test_equator_has_northing_zero():
    _, y = lonlat_to_metric(9.0, 0.0)
    assert y == pytest.approx(0.0, abs=1e-6)


def test_metric_is_metres():
    # One degree of latitude is about 111.2 km near 51.5°N.
    _, y0 = lonlat_to_metric(7.5, 51.0)
    _, y1 = lonlat_to_metric(7.5, 52.0)
    assert y1 - y0 == pytest.approx(111_250, rel=0.002)


def test_geometry_round_trip():
    square = box(7.54, 51.51, 7.56, 51.53)
    back = geometry_to_storage(geometry_to_metric(square))
    assert back.equals_exact(square, tolerance=1e-9)
    # About 1.39 km x 2.22 km.
    assert geometry_to_metric(square).area == pytest.approx(1.386e3 * 2.224e3, rel=0.01)


def test_to_metric_refuses_a_frame_without_crs():
    frame = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(7.55, 51.52)])
    with pytest.raises(ValueError, match="'gdf'"):
        to_metric(frame)


def test_to_metric_does_not_change_its_input():
    frame = gpd.GeoDataFrame(
        {"name": ["a", "b"]}, geometry=[Point(7.55, 51.52), Point(7.33, 51.52)], crs=STORAGE_CRS
    )
    before = frame.copy()
    metric = to_metric(frame)
    assert metric.crs == METRIC_CRS
    assert metric is not frame
    assert frame.crs == STORAGE_CRS
    assert frame.geometry.geom_equals_exact(before.geometry, tolerance=0).all()
    expected = [c for p in frame.geometry for c in lonlat_to_metric(p.x, p.y)]
    assert [c for p in metric.geometry for c in (p.x, p.y)] == pytest.approx(expected, abs=1e-6)


def test_to_storage_projects_a_metric_frame_back_and_keeps_a_storage_frame():
    stored = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(7.55, 51.52)], crs=STORAGE_CRS)
    assert to_storage(stored) is stored
    back = to_storage(to_metric(stored))
    assert back.crs == STORAGE_CRS
    assert (back.geometry.x.iloc[0], back.geometry.y.iloc[0]) == pytest.approx((7.55, 51.52))
    with pytest.raises(ValueError, match="'gdf'"):
        to_storage(gpd.GeoDataFrame(geometry=[Point(7.55, 51.52)]))


def test_frames_move_between_the_two_crs_exactly_as_geopandas_moves_them() -> None:
    import threading

    from shapely.geometry import LineString, Point, box

    from geo.crs import geometries_to_storage, to_metric, to_storage

    frame = gpd.GeoDataFrame(
        {"a": [1, 2, 3, 4]},
        geometry=[
            Point(7.5, 51.5),
            None,
            box(7.4, 51.4, 7.41, 51.41),
            LineString([(7.5, 51.5), (7.6, 51.6)]),
        ],
        crs="EPSG:4326",
        index=[10, 11, 12, 13],
    )
    results: list[gpd.GeoDataFrame] = []
    # In a thread of its own, as every Streamlit script run is.
    worker = threading.Thread(target=lambda: results.append(to_metric(frame)))
    worker.start()
    worker.join()
    (metric,) = results
    expected = frame.to_crs("EPSG:25832")
    assert metric.crs == "EPSG:25832" and frame.crs == "EPSG:4326"  # the input unchanged
    assert metric.index.tolist() == [10, 11, 12, 13] and metric["a"].tolist() == [1, 2, 3, 4]
    present = expected.geometry.notna()
    assert metric.geometry.isna().tolist() == (~present).tolist()
    assert metric.geometry[present].geom_equals_exact(expected.geometry[present], tolerance=0).all()
    back = to_storage(metric)
    assert back.geometry[present].geom_equals_exact(frame.geometry[present], tolerance=1e-9).all()
    arrays = geometries_to_storage(metric.geometry.to_numpy())
    assert arrays[1] is None and arrays[0].equals_exact(back.geometry.iloc[0], 0)
