"""Stops: GTFS feeds (stops.txt) and vector files with stop_id/stop_name."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, mapping

from formats.importers import NOT_A_STOP, OUTSIDE_CITY, Dropped, ImportFileError, read_layer
from tests.formats.importers.helpers import (
    BRACKEL,
    HOERDE,
    feature,
    fixture_bytes,
    geojson,
    point,
    zip_bytes,
)

STOPS_TXT = fixture_bytes("gtfs/stops.txt")
AGENCY_TXT = fixture_bytes("gtfs/agency.txt")
HEADER = "stop_id,stop_name,stop_lat,stop_lon"


def read(data: bytes, city, filename: str = "gtfs.zip"):
    return read_layer(data, filename=filename, layer_type="stops", city=city)


def feed(stops: bytes = STOPS_TXT, *, folder: str = "") -> bytes:
    return zip_bytes({f"{folder}agency.txt": AGENCY_TXT, f"{folder}stops.txt": stops})


def test_a_gtfs_feed_gives_stops_and_stations(city):
    preview = read(feed(), city)
    frame = preview.frame
    assert list(frame.columns) == ["stop_id", "name", "location_type", "geometry"]
    assert list(frame["stop_id"]) == [
        "de:05913:320",
        "de:05913:320:1:1",
        "de:05913:320:1:2",
        "de:05913:320:E1",
        "de:05913:530",
    ]
    assert list(frame["location_type"]) == [1, 0, 0, 2, 1]  # empty means 0
    assert frame["name"].iloc[4] == "Hörde Bahnhof"  # as residents say "DO Hörde Bf"
    assert frame.geometry.iloc[0].coords[0] == pytest.approx(BRACKEL)
    # Row 6 is a generic node (location type 3) without position, row 8 is Unna.
    assert preview.dropped == (
        Dropped(row=6, reason=NOT_A_STOP),
        Dropped(row=8, reason=OUTSIDE_CITY),
    )
    assert (preview.source_crs, preview.crs_assumed) == ("EPSG:4326", False)


def test_a_feed_zipped_with_its_folder_is_read(city):
    assert len(read(feed(folder="vrr_gtfs/"), city).frame) == 5


def test_stops_txt_on_its_own_is_read(city):
    preview = read(STOPS_TXT, city, "stops.txt")
    assert len(preview.frame) == 5
    assert preview.crs_assumed


def test_location_type_is_optional(city):
    data = f"{HEADER}\nA,Brackel,{BRACKEL[1]},{BRACKEL[0]}\n".encode()
    frame = read(data, city, "stops.txt").frame
    assert list(frame.columns) == ["stop_id", "name", "geometry"]


def test_a_zip_without_stops_txt_is_refused(city):
    data = zip_bytes({"agency.txt": AGENCY_TXT, "routes.txt": b"route_id\n1\n"})
    with pytest.raises(ImportFileError, match=r"gtfs\.zip holds no .* It contains") as info:
        read(data, city)
    assert info.value.params["expected"][0] == "GTFS stops.txt"
    assert info.value.params["found"] == ("agency.txt", "routes.txt")


def test_stops_txt_without_coordinates_names_the_missing_columns(city):
    data = b"stop_id,stop_name,parent_station\nA,Brackel,\n"
    with pytest.raises(ImportFileError, match="lacks the columns stop_lat, stop_lon") as info:
        read(feed(data), city)
    assert info.value.params["expected"] == ["stop_id", "stop_name", "stop_lat", "stop_lon"]
    assert info.value.params["found"] == ("stop_id", "stop_name", "parent_station")


def test_a_repeated_stop_id_is_refused(city):
    data = (
        f"{HEADER}\nA,Brackel,{BRACKEL[1]},{BRACKEL[0]}\nA,Hörde,{HOERDE[1]},{HOERDE[0]}\n"
    ).encode()
    with pytest.raises(ImportFileError, match=r"^Row 3: stop_id A occurs more than once\.$"):
        read(feed(data), city)


def test_a_stop_without_name_is_refused(city):
    data = f"{HEADER}\nA,,{BRACKEL[1]},{BRACKEL[0]}\n".encode()
    with pytest.raises(ImportFileError, match=r"^Row 2: stop_name is empty\.$"):
        read(feed(data), city)


def test_a_stop_without_coordinates_is_refused(city):
    data = f"{HEADER},location_type\nA,Brackel,,,0\n".encode()
    with pytest.raises(ImportFileError, match=r"^Row 2: stop_lat is empty\.$"):
        read(feed(data), city)


def test_an_unknown_location_type_is_refused(city):
    data = f"{HEADER},location_type\nA,Brackel,{BRACKEL[1]},{BRACKEL[0]},7\n".encode()
    with pytest.raises(
        ImportFileError, match=r"location_type is 7; expected a whole number from 0"
    ):
        read(feed(data), city)


def test_a_feed_of_stops_all_outside_dortmund_is_refused(city):
    data = f"{HEADER}\nU,Unna,51.536,7.689\n".encode()
    with pytest.raises(ImportFileError, match=r"No row of gtfs\.zip lies in Dortmund"):
        read(feed(data), city)


def test_a_vector_file_of_stops_is_read(city):
    data = geojson(
        [
            feature(point(*BRACKEL), stop_id="de:05913:320", stop_name="Brackel", lines="U63"),
            feature(point(7.689, 51.536), stop_id="de:05978:1", stop_name="Unna", lines=""),
        ]
    )
    preview = read(data, city, "haltestellen.geojson")
    assert list(preview.frame.columns) == ["stop_id", "name", "geometry"]
    assert preview.dropped == (Dropped(row=2, reason=OUTSIDE_CITY),)


def test_a_vector_file_without_stop_names_is_refused(city):
    data = geojson([feature(point(*BRACKEL), stop_id="A", label="Brackel")])
    with pytest.raises(ImportFileError, match="lacks the columns stop_name") as info:
        read(data, city, "haltestellen.geojson")
    assert info.value.params["found"] == ("stop_id", "label")


def test_a_stop_that_is_a_line_is_refused(city):
    line = mapping(LineString([BRACKEL, HOERDE]))
    data = geojson(
        [
            feature(point(*BRACKEL), stop_id="A", stop_name="a"),
            feature(line, stop_id="B", stop_name="b"),
        ]
    )
    with pytest.raises(
        ImportFileError, match=r"^Row 2 is a LineString; this layer takes only points"
    ):
        read(data, city, "haltestellen.geojson")
