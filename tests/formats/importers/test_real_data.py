"""The mirror's real files, read as they are and round-tripped through the official formats."""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import pytest

from formats.importers import read_layer
from geo.crs import lonlat_to_metric
from rules.stop_names import readable_stop_name
from tests.formats.importers.helpers import MIRROR_DIR, zip_bytes

STOPS_FILE = "haltestellen_vrr.geojson"
ACCIDENTS_FILE = "unfallatlas_quartiere.geojson"


def mirror_bytes(name: str) -> bytes:
    path = MIRROR_DIR / name
    if not path.is_file():
        pytest.skip(f"real Dortmund data mirror not found at {MIRROR_DIR} (set SQ_DATA_MIRROR)")
    return path.read_bytes()


@pytest.fixture(scope="module")
def stops_bytes() -> bytes:
    return mirror_bytes(STOPS_FILE)


@pytest.fixture(scope="module")
def accidents_bytes() -> bytes:
    return mirror_bytes(ACCIDENTS_FILE)


def check_accidents(frame: gpd.GeoDataFrame) -> None:
    assert len(frame) == 1504
    assert frame["light"].value_counts().to_dict() == {"day": 1114, "dark": 312, "dusk": 78}
    assert int(frame["pedestrian"].sum()) == 233
    assert int(frame["cyclist"].sum()) == 416
    assert set(frame["category"]) <= {1, 2, 3}
    assert set(frame["year"]) == set(range(2019, 2025))


def test_the_real_stops_are_all_read(stops_bytes, city):
    preview = read_layer(stops_bytes, filename=STOPS_FILE, layer_type="stops", city=city)
    frame = preview.frame
    # One stop (Nelkenstraße) lies 2.8 m outside the OSM outline; the edge tolerance keeps it.
    assert len(frame) == 1004
    assert preview.dropped == ()
    assert list(frame.columns) == ["stop_id", "name", "geometry"]
    assert frame["stop_id"].is_unique
    assert frame["stop_id"].str.startswith("de:05913:").all()
    assert preview.source_crs == "OGC:CRS84"


def test_the_real_stops_round_trip_through_a_gtfs_feed(stops_bytes, city):
    source = gpd.read_file(io.BytesIO(stops_bytes))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type"])
    for row in source.itertuples():
        writer.writerow([row.stop_id, row.stop_name, row.geometry.y, row.geometry.x, 1])
    feed = zip_bytes({"stops.txt": text.getvalue().encode()})
    frame = read_layer(feed, filename="vrr.zip", layer_type="stops", city=city).frame
    assert len(frame) == 1004
    # Every name arrives, as residents say it ("DO-Barop S" as "Barop (S-Bahn)").
    assert list(frame["name"]) == [readable_stop_name(name) for name in source["stop_name"]]


def test_the_real_accidents_are_read_with_their_counts(accidents_bytes, city):
    preview = read_layer(
        accidents_bytes, filename=ACCIDENTS_FILE, layer_type="accidents", city=city
    )
    assert preview.dropped == ()
    check_accidents(preview.frame)


def test_the_real_accidents_round_trip_through_the_atlas_csv(accidents_bytes, city):
    """Written as the official CSV (semicolons, decimal commas, "IstRad" case, EPSG:25832)."""
    source = gpd.read_file(io.BytesIO(accidents_bytes))
    codes = ["OBJECTID", "UJAHR", "UMONAT", "USTUNDE", "UWOCHENTAG", "UKATEGORIE", "UART"]
    codes += ["UTYP1", "ULICHTVERH"]
    flags = {"IstRad": "ISTRAD", "IstPKW": "ISTPKW", "IstFuss": "ISTFUSS"}
    lines = [";".join([*codes, *flags, "LINREFX", "LINREFY"])]
    for _, row in source.iterrows():
        x, y = lonlat_to_metric(row.geometry.x, row.geometry.y)
        cells = [str(row[c]) for c in codes] + [str(row[c]) for c in flags.values()]
        cells += [f"{x:.4f}".replace(".", ","), f"{y:.4f}".replace(".", ",")]
        lines.append(";".join(cells))
    data = "\r\n".join(lines).encode("cp1252")
    preview = read_layer(data, filename="Unfallorte.csv", layer_type="accidents", city=city)
    assert preview.source_crs == "EPSG:25832"
    check_accidents(preview.frame)


def test_the_real_districts_are_read_as_a_vector_layer(city):
    data = mirror_bytes("statistische_bezirke.geojson")
    preview = read_layer(data, filename="bezirke.geojson", layer_type="vector", city=city)
    assert len(preview.frame) == 62
    assert preview.dropped == ()
    assert "statistischer_bezirk_nr" in preview.frame.columns
