"""Vector layers: GeoJSON, GeoPackage, zipped shapefiles and CSV, attributes kept."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from shapely.ops import nearest_points

from formats.importers import OUTSIDE_CITY, Dropped, ImportFileError, read_layer
from geo.crs import (
    METRIC_CRS,
    STORAGE_CRS,
    geometry_to_metric,
    geometry_to_storage,
    metric_to_lonlat,
)
from tests.formats.importers.helpers import (
    BOCHUM,
    BOEVINGHAUSEN,
    BRACKEL,
    BRACKEL_M,
    CITY_CENTRE,
    HOERDE,
    csv_bytes,
    feature,
    fixture_bytes,
    geojson,
    point,
    zip_bytes,
)


def read(data: bytes, city, filename: str = "layer.geojson", **options):
    return read_layer(data, filename=filename, layer_type="vector", city=city, **options)


def square(lon: float, lat: float, half: float = 0.001) -> dict:
    return shapely.geometry.mapping(box(lon - half, lat - half, lon + half, lat + half))


# --- GeoJSON ----------------------------------------------------------------------


def test_geojson_is_read_with_its_attributes_and_outside_rows_dropped(city):
    preview = read(fixture_bytes("places.geojson"), city, "places.geojson")
    frame = preview.frame
    assert frame.crs == STORAGE_CRS
    assert list(frame.columns) == ["name", "kind", "geometry"]
    assert list(frame["name"]) == ["Brackel Markt", "Hörde Bahnhof", "Stadtgarten", "Weg am See"]
    assert list(frame.geom_type) == ["Point", "Point", "Polygon", "LineString"]
    assert preview.dropped == (Dropped(row=3, reason=OUTSIDE_CITY),)
    assert preview.dropped[0].reason == "outside Dortmund"
    assert (preview.source_crs, preview.crs_assumed, preview.layer_type) == (
        "EPSG:4326",
        True,
        "vector",
    )
    assert list(frame.index) == [0, 1, 2, 3]


def test_geojson_in_utm_is_reprojected(city):
    data = geojson([feature(point(*BRACKEL_M), name="Brackel")], crs="urn:ogc:def:crs:EPSG::25832")
    preview = read(data, city)
    assert preview.source_crs == "EPSG:25832"
    assert not preview.crs_assumed
    geom = preview.frame.geometry.iloc[0]
    assert geom.x == pytest.approx(BRACKEL[0], abs=1e-7)
    assert geom.y == pytest.approx(BRACKEL[1], abs=1e-7)


def test_a_single_feature_and_a_bare_geometry_are_read(city):
    single = json.dumps(feature(point(*HOERDE), name="x")).encode()
    assert len(read(single, city).frame) == 1
    bare = json.dumps(point(*HOERDE)).encode()
    assert len(read(bare, city).frame) == 1


def test_utm_coordinates_in_a_file_without_crs_are_refused_with_a_hint(city):
    data = geojson([feature(point(*BRACKEL)), feature(point(*BRACKEL_M))])
    with pytest.raises(ImportFileError, match=r"^Row 2: .* are not degrees.*EPSG:25832") as info:
        read(data, city)
    assert info.value.params["row"] == 2
    assert info.value.params["crs"] == "EPSG:4326"
    assert info.value.params["x"] == pytest.approx(BRACKEL_M[0])


def test_degrees_in_a_file_that_claims_utm_are_refused(city):
    data = geojson([feature(point(*BRACKEL))], crs="EPSG:25832")
    with pytest.raises(ImportFileError, match=r"^Row 1: .* look like degrees, but the file says"):
        read(data, city)


def test_an_unknown_crs_name_is_refused(city):
    data = geojson([feature(point(*BRACKEL))], crs="urn:ogc:def:crs:EPSG::999999")
    with pytest.raises(ImportFileError, match="is not known") as info:
        read(data, city)
    assert info.value.params["crs"] == "urn:ogc:def:crs:EPSG::999999"


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b'{"type": "FeatureCollection", "features": [', 1, 44),
        (b'{"type": "FeatureCollection",\n "features": [}', 2, 15),
        (b"{'type': 'Feature'}", 1, 2),
    ],
)
def test_malformed_json_names_line_and_column(data, line, column, city):
    with pytest.raises(ImportFileError, match=r"is not valid JSON \(line \d+, column \d+") as info:
        read(data, city, "broken.geojson")
    assert (info.value.params["line"], info.value.params["column"]) == (line, column)


def test_json_that_is_not_geojson_is_refused(city):
    with pytest.raises(ImportFileError, match=r"is not GeoJSON: expected .* found Topology"):
        read(b'{"type": "Topology", "objects": {}}', city)
    with pytest.raises(ImportFileError, match=r"found list"):
        read(b"[1, 2, 3]", city, "list.json")


def test_a_geojson_that_is_not_utf8_is_refused(city):
    data = geojson([feature(point(*BRACKEL), name="Hörde")]).decode().encode("utf-16")
    with pytest.raises(ImportFileError, match="is not UTF-8 text"):
        read(data, city)


def test_a_geojson_without_features_is_refused(city):
    with pytest.raises(
        ImportFileError, match=r"^The file layer\.geojson has no rows or features\.$"
    ):
        read(geojson([]), city)


def test_a_feature_without_geometry_is_refused(city):
    data = geojson([feature(point(*BRACKEL)), feature(None, name="nowhere")])
    with pytest.raises(ImportFileError, match=r"^Row 2 has no geometry\.$"):
        read(data, city)


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"type": "Point", "coordinates": ["a", "b"]}, "the geometry cannot be read"),
        ({"type": "LineString", "coordinates": [[7.5, 51.5]]}, "the geometry cannot be read"),
        ({"type": "Blob", "coordinates": []}, "the geometry cannot be read"),
        (
            {"type": "Polygon", "coordinates": [[[7.5, 51.5], [7.51, 51.5], [7.5, 51.5]]]},
            "the geometry is invalid and cannot be repaired",
        ),
    ],
)
def test_a_geometry_that_cannot_be_read_names_its_row(broken, message, city):
    data = geojson([feature(point(*BRACKEL)), feature(point(*HOERDE)), feature(broken)])
    with pytest.raises(ImportFileError, match=f"^Row 3: {message}") as info:
        read(data, city)
    assert info.value.params["row"] == 3


def test_coordinates_that_are_not_numbers_are_refused(city):
    text = geojson([feature(point(*BRACKEL)), feature(point(math.nan, 51.5))]).decode()
    assert "NaN" in text
    with pytest.raises(ImportFileError, match=r"^Row 2 has coordinates that are not numbers"):
        read(text.encode(), city)


def test_a_self_crossing_polygon_is_repaired_and_reported(city):
    x, y = CITY_CENTRE
    bowtie = Polygon([(x, y), (x + 0.002, y + 0.002), (x + 0.002, y), (x, y + 0.002)])
    assert not bowtie.is_valid
    data = geojson([feature(point(*BRACKEL)), feature(shapely.geometry.mapping(bowtie))])
    preview = read(data, city)
    assert preview.repaired == (2,)
    repaired = preview.frame.geometry.iloc[1]
    assert isinstance(repaired, MultiPolygon)
    assert repaired.is_valid
    assert repaired.area == pytest.approx(0.002 * 0.002 / 2)


def test_a_polygon_that_collapses_to_a_line_is_refused(city):
    x, y = CITY_CENTRE
    flat = {"type": "Polygon", "coordinates": [[[x, y], [x + 0.01, y], [x + 0.02, y], [x, y]]]}
    with pytest.raises(ImportFileError, match=r"^Row 1: the geometry is invalid and cannot be"):
        read(geojson([feature(flat)]), city)


def test_a_polygon_across_the_city_boundary_is_cut(city):
    inside = geometry_to_metric(Point(*BOEVINGHAUSEN))
    across = geometry_to_metric(Point(*BOCHUM))
    line = LineString([inside.coords[0], across.coords[0]])
    strip = geometry_to_storage(line.buffer(50))  # a long thin polygon from Bövinghausen to Bochum
    preview = read(geojson([feature(shapely.geometry.mapping(strip), name="strip")]), city)
    assert preview.clipped == (1,)
    assert preview.dropped == ()
    cut = preview.frame.geometry.iloc[0]
    assert cut.area < strip.area
    assert city.buffer(1e-9).covers(cut)


def test_points_just_outside_the_outline_are_kept_and_farther_ones_dropped(city):
    boundary_point, _ = nearest_points(city.exterior, Point(*BOCHUM))
    start = geometry_to_metric(boundary_point)
    far = geometry_to_metric(Point(*BOCHUM))
    dx, dy = far.x - start.x, far.y - start.y
    norm = math.hypot(dx, dy)

    def outward(distance_m: float) -> tuple[float, float]:
        return metric_to_lonlat(start.x + dx / norm * distance_m, start.y + dy / norm * distance_m)

    data = geojson(
        [feature(point(*BRACKEL)), feature(point(*outward(5))), feature(point(*outward(100)))]
    )
    preview = read(data, city)
    assert len(preview.frame) == 2
    assert preview.dropped == (Dropped(row=3, reason=OUTSIDE_CITY),)


def test_a_file_with_every_row_outside_dortmund_is_refused(city):
    data = geojson([feature(point(*BOCHUM)), feature(point(7.689, 51.536))])
    with pytest.raises(ImportFileError, match=r"^No row of far\.geojson lies in Dortmund") as info:
        read(data, city, "far.geojson")
    assert info.value.params["count"] == 2


def test_swapped_latitude_and_longitude_get_a_hint(city):
    data = geojson([feature(point(BRACKEL[1], BRACKEL[0])), feature(point(HOERDE[1], HOERDE[0]))])
    with pytest.raises(ImportFileError, match="latitude and longitude swapped") as info:
        read(data, city)
    assert info.value.params["count"] == 2


def test_the_input_city_is_not_changed(city):
    before = city.wkb
    read(fixture_bytes("places.geojson"), city)
    assert city.wkb == before


# --- GeoPackage -------------------------------------------------------------------


def _gpkg(tmp_path, layers: dict[str, gpd.GeoDataFrame]) -> bytes:
    path = tmp_path / "plan.gpkg"
    for name, frame in layers.items():
        frame.to_file(path, layer=name, driver="GPKG")
    return path.read_bytes()


def _metric_points(names: list[str], places: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame({"name": names}, geometry=[Point(p) for p in places], crs=STORAGE_CRS)
    return frame.to_crs(METRIC_CRS)


def test_a_geopackage_layer_is_read_and_reprojected(city, tmp_path):
    data = _gpkg(tmp_path, {"orte": _metric_points(["a", "b", "c"], [BRACKEL, BOCHUM, HOERDE])})
    preview = read(data, city, "plan.gpkg")
    assert preview.source_crs == "EPSG:25832"
    assert list(preview.frame["name"]) == ["a", "c"]
    assert preview.dropped == (Dropped(row=2, reason=OUTSIDE_CITY),)
    assert preview.frame.geometry.iloc[0].x == pytest.approx(BRACKEL[0], abs=1e-7)


def test_a_geopackage_with_several_layers_needs_a_name(city, tmp_path):
    layers = {
        "lampen": _metric_points(["a"], [BRACKEL]),
        "wege": _metric_points(["b", "c"], [HOERDE, CITY_CENTRE]),
    }
    data = _gpkg(tmp_path, layers)
    with pytest.raises(ImportFileError, match="has several layers") as info:
        read(data, city, "plan.gpkg")
    assert info.value.params["layers"] == ("lampen", "wege")
    assert len(read(data, city, "plan.gpkg", layer="wege").frame) == 2
    with pytest.raises(ImportFileError, match=r"has no layer strassen\. Its layers: lampen, wege"):
        read(data, city, "plan.gpkg", layer="strassen")


def test_a_broken_geopackage_is_refused_in_the_apps_own_words(city, tmp_path):
    from services.i18n import error_message

    data = _gpkg(tmp_path, {"orte": _metric_points(["a"], [BRACKEL])})
    with pytest.raises(ImportFileError, match=r"plan\.gpkg cannot be read") as refused:
        read(data[:2000], city, "plan.gpkg")
    # Neither the server's temporary path nor GDAL's English reaches the person.
    assert set(refused.value.params) == {"filename"}
    german = error_message(refused.value, "de")
    assert german.startswith("Die Datei plan.gpkg kann nicht gelesen werden")
    assert "sq-import" not in german and "/tmp" not in german


# --- zipped shapefiles ---------------------------------------------------------------


def _shapefile_zip(tmp_path, frame: gpd.GeoDataFrame, *, leave_out: tuple[str, ...] = ()) -> bytes:
    folder = tmp_path / "shape"
    folder.mkdir()
    frame.to_file(folder / "wege.shp")
    members = {
        f"export/{path.name}": path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.suffix not in leave_out
    }
    return zip_bytes(members)


def test_a_zipped_shapefile_is_read_and_reprojected(city, tmp_path):
    frame = _metric_points(["a", "b"], [HOERDE, BOCHUM])
    preview = read(_shapefile_zip(tmp_path, frame), city, "wege.zip")
    assert preview.source_crs == "EPSG:25832"
    assert list(preview.frame["name"]) == ["a"]
    assert preview.dropped == (Dropped(row=2, reason=OUTSIDE_CITY),)


def test_a_shapefile_without_prj_is_refused(city, tmp_path):
    data = _shapefile_zip(tmp_path, _metric_points(["a"], [HOERDE]), leave_out=(".prj",))
    with pytest.raises(ImportFileError, match=r"has no \.prj file, so its coordinate system"):
        read(data, city, "wege.zip")


def test_a_shapefile_without_dbf_is_refused(city, tmp_path):
    data = _shapefile_zip(tmp_path, _metric_points(["a"], [HOERDE]), leave_out=(".dbf",))
    with pytest.raises(ImportFileError, match=r"is incomplete: export/wege\.dbf is missing"):
        read(data, city, "wege.zip")


# --- CSV ------------------------------------------------------------------------------


def test_a_german_csv_with_decimal_commas_is_read(city):
    preview = read(fixture_bytes("places_semicolon.csv"), city, "orte.csv")
    frame = preview.frame
    assert list(frame.columns) == ["Name", "Bemerkung", "geometry"]
    assert list(frame["Name"]) == ["Brackel Markt", "Hörde Bahnhof", "Bövinghausen"]
    assert frame["Bemerkung"].iloc[2] == "Weg; unbeleuchtet"
    assert frame.geometry.iloc[0].coords[0] == pytest.approx(BRACKEL)
    # The header is row 1, so Lünen on the fourth line is row 4.
    assert preview.dropped == (Dropped(row=4, reason=OUTSIDE_CITY),)
    assert (preview.source_crs, preview.crs_assumed) == ("EPSG:4326", True)


def test_a_csv_saved_by_a_german_excel_is_decoded(city):
    data = fixture_bytes("places_semicolon.csv").decode("utf-8").encode("cp1252")
    assert read(data, city, "orte.csv").frame["Name"].iloc[1] == "Hörde Bahnhof"


def test_a_csv_with_a_wkt_column_is_read(city):
    preview = read(fixture_bytes("places_wkt.csv"), city, "orte.csv")
    assert list(preview.frame.columns) == ["id", "note", "geometry"]
    assert list(preview.frame.geom_type) == ["Point", "Polygon"]
    assert preview.dropped == (Dropped(row=4, reason=OUTSIDE_CITY),)


def test_a_csv_with_metres_in_x_and_y_is_refused_with_a_hint(city):
    data = csv_bytes([["id", "x", "y"], [1, *BRACKEL_M]])
    with pytest.raises(ImportFileError, match=r"^Row 2: the coordinates .* EPSG:25832"):
        read(data, city, "orte.csv")


def test_a_csv_without_location_columns_names_expected_and_found(city):
    data = csv_bytes([["Name", "Strasse"], ["a", "b"]])
    with pytest.raises(ImportFileError, match="has no columns for the location") as info:
        read(data, city, "orte.csv")
    assert info.value.params["found"] == ("Name", "Strasse")
    assert len(info.value.params["expected"]) == 2
    assert "breite/laenge" in info.value.params["expected"][0]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", r"^Row 3: Breite is “abc”, which is not a number\.$"),
        ("", r"^Row 3: Breite is empty\.$"),
    ],
)
def test_a_bad_coordinate_names_row_and_column(cell, message, city):
    data = csv_bytes([["Breite", "Länge"], ["51,527", "7,555"], [cell, "7,507"]])
    with pytest.raises(ImportFileError, match=message):
        read(data, city, "orte.csv")


def test_a_row_with_too_few_fields_is_refused(city):
    data = b"lat,lon,name\n51.527,7.555,a\n\n51.488,7.507\n"
    with pytest.raises(
        ImportFileError, match=r"^Row 4 of orte\.csv has 2 fields; the header has 3"
    ):
        read(data, city, "orte.csv")


def test_trailing_empty_fields_are_tolerated(city):
    data = b"lat;lon;name\n51,527;7,555;a;;\n"
    assert list(read(data, city, "orte.csv").frame["name"]) == ["a"]


def test_a_header_with_a_repeated_column_is_refused(city):
    with pytest.raises(ImportFileError, match="has the column lat twice"):
        read(b"lat,lat,lon\n1,2,3\n", city, "orte.csv")


def test_a_csv_with_only_a_header_is_refused(city):
    with pytest.raises(ImportFileError, match="has no rows or features"):
        read(b"lat;lon\n", city, "orte.csv")


def test_two_equally_good_location_columns_are_refused(city):
    data = csv_bytes(
        [["_a_latitude", "_b_latitude", "lon"], [BRACKEL[1], BRACKEL[1], BRACKEL[0]]], sep=","
    )
    with pytest.raises(ImportFileError, match="several columns could hold latitude") as info:
        read(data, city, "orte.csv")
    assert info.value.params["columns"] == ("_a_latitude", "_b_latitude")


def test_unreadable_wkt_names_its_row(city):
    data = csv_bytes([["wkt"], ["POINT (7.555 51.527)"], ["POLYGON ((1 2, 3"]])
    with pytest.raises(ImportFileError, match=r"^Row 3: the geometry cannot be read"):
        read(data, city, "orte.csv")
