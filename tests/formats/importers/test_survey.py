"""Survey answers from KoboToolbox and ODK exports."""

from __future__ import annotations

import pandas as pd
import pytest

from formats.importers import OUTSIDE_CITY, Dropped, ImportFileError, read_layer
from rules.vocab import TIME_BANDS
from tests.formats.importers.helpers import BRACKEL, HOERDE, csv_bytes, fixture_bytes

KOBO = fixture_bytes("kobo_survey.csv")


def read(data: bytes, city, filename: str = "umfrage.csv"):
    return read_layer(data, filename=filename, layer_type="survey", city=city)


def answers(*rows: list[object], header: tuple[str, ...] = ("lat", "lon", "safety", "time_band")):
    return csv_bytes([list(header), *[list(r) for r in rows]], sep=",")


def test_a_kobo_export_with_a_geopoint_and_german_answers_is_read(city):
    preview = read(KOBO, city, "kobo.csv")
    frame = preview.frame
    assert list(frame.columns) == ["rating", "time_band", "answered_at", "geometry"]
    assert list(frame["rating"]) == [1, 3, 2]  # sehr unsicher, teils/teils, Eher unsicher
    assert list(frame["time_band"]) == ["evening", "day", "night"]
    assert set(frame["time_band"]) <= set(TIME_BANDS)
    assert frame["answered_at"].iloc[0] == pd.Timestamp("2024-05-03T16:04:12", tz="UTC")
    assert pd.isna(frame["answered_at"].iloc[2])
    assert str(frame["answered_at"].dtype) == "datetime64[ns, UTC]"
    assert frame.geometry.iloc[0].coords[0] == pytest.approx(BRACKEL)
    assert preview.dropped == (Dropped(row=4, reason=OUTSIDE_CITY),)


def test_an_odk_export_with_latitude_longitude_pairs_is_read(city):
    preview = read(fixture_bytes("odk_survey.csv"), city, "odk.csv")
    frame = preview.frame
    assert list(frame["rating"]) == [2, 5]
    assert list(frame["time_band"]) == ["evening", "day"]
    assert frame["answered_at"].iloc[0] == pd.Timestamp("2024-06-01T19:20:31.120", tz="UTC")
    assert preview.dropped == (Dropped(row=4, reason=OUTSIDE_CITY),)


def test_kobo_location_pairs_win_over_the_geopoint(city):
    data = csv_bytes(
        [
            ["safety", "time_band", "location", "_location_latitude", "_location_longitude"],
            [4, "day", "0 0 0 0", BRACKEL[1], BRACKEL[0]],
        ],
        sep=",",
    )
    assert read(data, city).frame.geometry.iloc[0].coords[0] == pytest.approx(BRACKEL)


def test_kobo_geolocation_as_a_list_is_read(city):
    data = csv_bytes(
        [["_geolocation", "rating", "when"], [f"[{HOERDE[1]}, {HOERDE[0]}]", 5, "always"]],
        sep=";",
    )
    frame = read(data, city).frame
    assert frame.geometry.iloc[0].coords[0] == pytest.approx(HOERDE)
    assert (frame["rating"].iloc[0], frame["time_band"].iloc[0]) == (5, "always")


def test_plain_lat_lon_and_numbers_are_read_without_submission_time(city):
    frame = read(answers([BRACKEL[1], BRACKEL[0], "4", "immer"]), city).frame
    assert (frame["rating"].iloc[0], frame["time_band"].iloc[0]) == (4, "always")
    assert pd.isna(frame["answered_at"].iloc[0])


@pytest.mark.parametrize("value", ["6", "0", "2.5", "gut"])
def test_a_rating_outside_the_scale_is_refused(value, city):
    data = answers([BRACKEL[1], BRACKEL[0], "3", "day"], [BRACKEL[1], BRACKEL[0], value, "day"])
    with pytest.raises(
        ImportFileError, match=r"^Row 3: safety is “.*”; expected one of: 1"
    ) as info:
        read(data, city)
    assert "sehr sicher" in info.value.params["allowed"]
    assert info.value.params["value"] == value


def test_an_empty_rating_is_refused(city):
    with pytest.raises(ImportFileError, match=r"^Row 2: safety is empty\.$"):
        read(answers([BRACKEL[1], BRACKEL[0], "", "day"]), city)


def test_an_unknown_time_band_is_refused(city):
    with pytest.raises(ImportFileError, match=r"time_band is “morgens”; expected one of") as info:
        read(answers([BRACKEL[1], BRACKEL[0], "3", "morgens"]), city)
    assert "tagsüber" in info.value.params["allowed"]


def test_a_missing_rating_column_names_expected_and_found(city):
    data = csv_bytes([["lat", "lon", "note", "tageszeit"], [BRACKEL[1], BRACKEL[0], "x", "abends"]])
    with pytest.raises(ImportFileError, match="lacks the columns perceived safety") as info:
        read(data, city)
    assert len(info.value.params["missing"]) == 1
    assert info.value.params["found"] == ("lat", "lon", "note", "tageszeit")


def test_a_survey_without_location_is_refused(city):
    data = csv_bytes([["safety", "time_band"], ["3", "day"]])
    with pytest.raises(ImportFileError, match="has no columns for the location"):
        read(data, city)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("51.527", r"^Row 2: the location “51\.527” in location cannot be read"),
        ("", r"^Row 2: location is empty\.$"),
    ],
)
def test_a_bad_geopoint_names_its_row(cell, message, city):
    data = csv_bytes([["location", "safety", "time_band"], [cell, "3", "day"]])
    with pytest.raises(ImportFileError, match=message):
        read(data, city)


def test_a_bad_submission_time_is_refused(city):
    data = csv_bytes(
        [
            ["lat", "lon", "safety", "time_band", "_submission_time"],
            [BRACKEL[1], BRACKEL[0], "3", "day", "gestern"],
        ]
    )
    with pytest.raises(ImportFileError, match=r"_submission_time is “gestern”; expected a date"):
        read(data, city)


def test_geopoints_written_lon_first_get_a_swap_hint(city):
    data = csv_bytes(
        [["location", "safety", "time_band"], [f"{BRACKEL[0]} {BRACKEL[1]}", 3, "day"]]
    )
    with pytest.raises(ImportFileError, match="latitude and longitude swapped"):
        read(data, city)


def test_the_files_own_column_names_are_not_translated(city):
    """ "name" is in the catalogue ("Name"); a file's column of that name stays "name"."""
    from services.i18n import error_message

    data = csv_bytes([["lat", "lon", "name"], [BRACKEL[1], BRACKEL[0], "x"]])
    with pytest.raises(ImportFileError) as info:
        read(data, city)
    german = error_message(info.value, "de")
    assert "Gefunden: lat, lon, name." in german
    assert "gefühlte Sicherheit" in german  # the expected ones are the app's labels, in German
