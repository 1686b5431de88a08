"""Accidents: the Unfallatlas CSV (both coordinate systems) and vector files with its columns."""

from __future__ import annotations

import pytest

from formats.importers import OUTSIDE_CITY, Dropped, ImportFileError, read_layer
from tests.formats.importers.helpers import (
    BRACKEL,
    feature,
    fixture_bytes,
    geojson,
    point,
    zip_bytes,
)

ATLAS_2023 = fixture_bytes("unfallatlas_2023.csv")
COLUMNS = [
    "object_id",
    "year",
    "month",
    "hour",
    "weekday",
    "category",
    "light",
    "pedestrian",
    "cyclist",
    "geometry",
]


def read(data: bytes, city, filename: str = "Unfallorte2023.csv"):
    return read_layer(data, filename=filename, layer_type="accidents", city=city)


def with_cell(data: bytes, *, row: int, column: str, value: str) -> bytes:
    """The CSV with one cell replaced; `row` counts as a spreadsheet does (header = 1)."""
    lines = data.decode().split("\r\n")
    header = lines[0].split(";")
    cells = lines[row - 1].split(";")
    cells[header.index(column)] = value
    lines[row - 1] = ";".join(cells)
    return "\r\n".join(lines).encode()


def without_columns(data: bytes, *names: str) -> bytes:
    rows = [line.split(";") for line in data.decode().split("\r\n") if line]
    keep = [i for i, name in enumerate(rows[0]) if name not in names]
    return "\r\n".join(";".join(row[i] for i in keep) for row in rows).encode()


def test_the_atlas_csv_gives_the_standard_columns(city):
    preview = read(ATLAS_2023, city)
    frame = preview.frame
    assert list(frame.columns) == COLUMNS
    assert list(frame["object_id"]) == ["1001", "1002", "1003", "1005"]
    assert list(frame["year"]) == [2023] * 4
    assert list(frame["month"]) == [1, 3, 11, 12]
    assert list(frame["hour"]) == [17, 8, 22, 18]
    assert list(frame["weekday"]) == [2, 4, 7, 6]
    assert list(frame["category"]) == [3, 2, 3, 3]
    assert list(frame["light"]) == ["dusk", "day", "dark", "dark"]
    assert list(frame["pedestrian"]) == [False, True, True, False]
    assert list(frame["cyclist"]) == [True, False, False, True]
    assert frame["pedestrian"].dtype == bool
    assert frame.geometry.iloc[0].coords[0] == pytest.approx(BRACKEL)
    assert preview.dropped == (Dropped(row=5, reason=OUTSIDE_CITY),)
    assert (preview.source_crs, preview.crs_assumed) == ("EPSG:4326", False)


def test_the_older_upper_case_csv_in_utm_is_read(city):
    preview = read(fixture_bytes("unfallatlas_2019_linref.csv"), city)
    assert preview.source_crs == "EPSG:25832"
    assert list(preview.frame["light"]) == ["day", "dusk"]
    assert list(preview.frame["cyclist"]) == [True, False]
    assert preview.frame.geometry.iloc[0].coords[0] == pytest.approx(BRACKEL, abs=1e-7)
    assert preview.dropped == (Dropped(row=4, reason=OUTSIDE_CITY),)


def test_the_zipped_official_download_is_read(city):
    data = zip_bytes(
        {
            "csv/Unfallorte2023_LinRef.csv": ATLAS_2023,
            "Datensatzbeschreibung.txt": b"see the atlas website",
        }
    )
    assert len(read(data, city, "Unfallorte2023_EPSG25832_CSV.zip").frame) == 4


def test_without_wgs84_columns_linref_is_used(city):
    data = without_columns(ATLAS_2023, "XGCSWGS84", "YGCSWGS84")
    preview = read(data, city)
    assert preview.source_crs == "EPSG:25832"
    assert len(preview.frame) == 4


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("UMONAT", "13", r"^Row 3: UMONAT is 13; expected a whole number from 1 to 12\.$"),
        ("USTUNDE", "24", r"^Row 3: USTUNDE is 24; expected a whole number from 0 to 23\.$"),
        ("UWOCHENTAG", "0", r"UWOCHENTAG is 0; expected a whole number from 1 to 7"),
        ("UKATEGORIE", "4", r"UKATEGORIE is 4; expected a whole number from 1 to 3"),
        ("ULICHTVERH", "3", r"ULICHTVERH is 3; expected a whole number from 0 to 2"),
        ("IstFuss", "2", r"IstFuss is 2; expected a whole number from 0 to 1"),
        ("UART", "10", r"UART is 10; expected a whole number from 0 to 9"),
        ("UTYP1", "2,5", r"UTYP1 is 2,5; expected a whole number from 1 to 7"),
        ("UKATEGORIE", "leicht", r"^Row 3: UKATEGORIE is “leicht”, which is not a number\.$"),
        ("UJAHR", "", r"^Row 3: UJAHR is empty\.$"),
    ],
)
def test_a_code_out_of_range_names_row_and_column(column, value, message, city):
    data = with_cell(ATLAS_2023, row=3, column=column, value=value)
    with pytest.raises(ImportFileError, match=message) as info:
        read(data, city)
    assert (info.value.params["row"], info.value.params["column"]) == (3, column)


def test_codes_of_rows_outside_the_city_are_not_checked(city):
    data = with_cell(ATLAS_2023, row=5, column="UMONAT", value="99")
    assert len(read(data, city).frame) == 4


def test_missing_columns_are_named_with_what_was_expected_and_found(city):
    data = without_columns(ATLAS_2023, "UJAHR", "IstFuss")
    with pytest.raises(ImportFileError, match=r"lacks the columns UJAHR, ISTFUSS\.") as info:
        read(data, city)
    assert info.value.params["missing"] == ["UJAHR", "ISTFUSS"]
    assert "ULICHTVERH" in info.value.params["expected"]
    assert "IstRad" in info.value.params["found"]


def test_a_csv_without_coordinates_is_refused(city):
    data = without_columns(ATLAS_2023, "XGCSWGS84", "YGCSWGS84", "LINREFX", "LINREFY")
    with pytest.raises(ImportFileError, match="has no columns for the location") as info:
        read(data, city)
    assert "LINREFX and LINREFY (EPSG:25832)" in info.value.params["expected"]


def test_metres_in_the_wgs84_columns_are_refused(city):
    data = with_cell(ATLAS_2023, row=2, column="XGCSWGS84", value="399760,2585")
    data = with_cell(data, row=2, column="YGCSWGS84", value="5709421,6328")
    with pytest.raises(ImportFileError, match=r"^Row 2: the coordinates .* are not degrees"):
        read(data, city)


def test_a_vector_file_with_the_atlas_columns_is_read(city):
    codes = {
        "OBJECTID": "7",
        "UJAHR": 2024,
        "UMONAT": "02",
        "USTUNDE": "06",
        "UWOCHENTAG": "2",
        "UKATEGORIE": "2",
        "ULICHTVERH": "1",
        "ISTRAD": "0",
        "ISTFUSS": "1",
    }
    preview = read(geojson([feature(point(*BRACKEL), **codes)]), city, "unfaelle.geojson")
    row = preview.frame.iloc[0]
    assert (row["object_id"], row["year"], row["month"], row["hour"]) == ("7", 2024, 2, 6)
    assert (row["light"], row["pedestrian"], row["cyclist"]) == ("dusk", True, False)
