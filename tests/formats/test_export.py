"""Exports hold exactly the filtered rows and come back unchanged through the importers."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from datapack.loading import load_city, load_districts
from formats.export import FORMATS, CsvLabels, csv_bytes, export
from formats.importers import read_layer
from geo.demo import demo_pins, quarter_areas
from geo.filters import PinFilter, filter_pins
from geo.pins import pins_frame
from rules.pins import Pin
from rules.vocab import TIME_BANDS
from services.csv_labels import pins_csv_labels
from services.i18n import translate

SOURCES = ["Hinweise: Sichere Quartiere", "Bezirke: Stadt Dortmund"]


@pytest.fixture(scope="module")
def filtered() -> gpd.GeoDataFrame:
    areas = quarter_areas(load_districts().districts, ["320", "530"])
    pins = [
        Pin(
            id=i + 1,
            quarter_id=d.draft.quarter_id,
            lon=d.draft.lon,
            lat=d.draft.lat,
            category=str(d.draft.category),
            time_band=str(d.draft.time_band),
            severity=d.draft.severity,
            text=d.draft.text,
            created_at=d.created_at,
            token=d.draft.token,
        )
        for i, d in enumerate(demo_pins(areas, per_quarter=60))
    ]
    everything = pins_frame(pins)
    chosen = filter_pins(
        everything,
        PinFilter(
            ("320",), ("dark", "traffic"), ("night", "day", "evening", "always"), (0, 1, 2, 3)
        ),
    )
    assert 0 < len(chosen) < len(everything)
    return chosen


def reimport(data: bytes, fmt: str) -> gpd.GeoDataFrame:
    name = {"geojson": "pins.geojson", "gpkg": "pins.gpkg", "csv": "pins.csv.zip"}[fmt]
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = archive.read("pins.csv")
            name = "pins.csv"
    layer = "pins" if fmt == "gpkg" else None
    preview = read_layer(data, filename=name, layer_type="vector", city=load_city(), layer=layer)
    assert preview.dropped == ()
    return preview.frame


GIS_FORMATS = tuple(f for f in FORMATS if f != "csv")  # the CSV is for German Excel: below


@pytest.mark.parametrize("fmt", GIS_FORMATS)
def test_an_export_reimports_losslessly_with_only_the_filtered_rows(filtered, fmt: str) -> None:
    data = export(filtered, fmt, name="pins", sources=SOURCES, about={"filter": "test"})
    back = reimport(data, fmt)
    assert len(back) == len(filtered)
    back_ids = pd.to_numeric(back["id"]).astype(int).tolist()
    assert back_ids == filtered["id"].tolist()
    for column in ("quarter_id", "category", "time_band", "text"):
        assert back[column].fillna("").astype(str).tolist() == filtered[column].astype(str).tolist()
    severity = pd.to_numeric(back["severity"]).tolist()
    expected = filtered["severity"].astype("float64").tolist()
    assert severity == pytest.approx(expected, nan_ok=True)
    created = pd.to_datetime(back["created_at"], utc=True, format="ISO8601")
    assert created.tolist() == filtered["created_at"].tolist()
    assert back.geometry.x.to_numpy() == pytest.approx(filtered.geometry.x.to_numpy(), abs=1e-9)
    assert back.geometry.y.to_numpy() == pytest.approx(filtered.geometry.y.to_numpy(), abs=1e-9)


def test_every_format_carries_the_sources(filtered, tmp_path) -> None:
    geojson = json.loads(export(filtered, "geojson", name="pins", sources=SOURCES, about={}))
    assert geojson["metadata"]["sources"] == SOURCES
    path = tmp_path / "x.gpkg"
    path.write_bytes(export(filtered, "gpkg", name="pins", sources=SOURCES, about={}))
    layers = dict(pyogrio.list_layers(path).tolist())
    assert set(layers) == {"pins", "sources"}
    assert gpd.read_file(path, layer="sources")["source"].tolist() == SOURCES
    with zipfile.ZipFile(
        io.BytesIO(export(filtered, "csv", name="pins", sources=SOURCES, about={}))
    ) as archive:
        assert sorted(archive.namelist()) == ["SOURCES.txt", "pins.csv"]
        notes = archive.read("SOURCES.txt").decode()
    assert all(source in notes for source in SOURCES)


def test_an_empty_export_is_still_a_valid_file(filtered) -> None:
    data = export(filtered.iloc[:0], "geojson", name="pins", sources=SOURCES, about={})
    assert json.loads(data)["features"] == []


def test_an_unknown_format_is_refused(filtered) -> None:
    with pytest.raises(ValueError, match="'fmt'"):
        export(filtered, "xlsx", name="pins", sources=SOURCES, about={})


def one_pin(text: str) -> gpd.GeoDataFrame:
    """A frame of one Brackel pin with `text`."""
    return pins_frame(
        [
            Pin(
                1,
                "320",
                7.55,
                51.52,
                "dark",
                "night",
                None,
                text,
                datetime(2026, 1, 1, tzinfo=UTC),
                "t",
            )
        ]
    )


def test_markup_in_texts_survives_the_round_trip() -> None:
    payload = '<script>alert(1)</script> "quoted", `tick`; semi'
    frame = one_pin(payload)
    for fmt in GIS_FORMATS:
        back = reimport(export(frame, fmt, name="pins", sources=SOURCES, about={}), fmt)
        assert back["text"].tolist() == [payload]
    assert german_csv(export(frame, "csv", name="pins", sources=SOURCES, about={}))[
        "text"
    ].tolist() == [payload]


def german_csv(data: bytes, member: str = "pins.csv") -> pd.DataFrame:
    """The CSV inside an export zip, read as German Excel reads it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        raw = archive.read(member)
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    return pd.read_csv(
        io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False
    )


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    frame = one_pin('=HYPERLINK("http://x","klick")')
    data = export(frame, "csv", name="pins", sources=SOURCES, about={})
    assert german_csv(data)["text"].tolist() == ['\'=HYPERLINK("http://x","klick")']
    labelled = export(
        frame, "csv", name="pins", sources=SOURCES, about={}, csv_labels=pins_csv_labels()
    )
    assert german_csv(labelled)["Text"].tolist() == ['\'=HYPERLINK("http://x","klick")']


def test_the_csv_is_for_german_excel() -> None:
    frame = one_pin("Am Markt")
    frame["created_at"] = pd.to_datetime(["2026-07-01T22:30:00Z"], utc=True)
    frame["supports"] = 3
    frame["text_status"] = "pending"
    frame.loc[0, "geometry"] = Point(7.123456789, 51.987654321)
    data = export(
        frame, "csv", name="pins", sources=SOURCES, about={}, csv_labels=pins_csv_labels()
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("pins.csv").decode("utf-8-sig")
    assert "7,123457" in text and "51,987654" in text and ";" in text.splitlines()[0]
    row = german_csv(data).iloc[0]
    assert row["Kategorie"] == "zu dunkel"
    assert row["Tageszeit"] == translate(TIME_BANDS["night"], "de") != "night"
    assert row["Wie unsicher"] == "keine Angabe"
    assert row["Textstatus"] == "wartet auf Moderation"
    assert row["Gemeldet am"] == "02.07.2026 00:30"  # summer time in Berlin
    assert row["Längengrad"] == pytest.approx(7.123457, abs=1e-9)
    assert row["Breitengrad"] == pytest.approx(51.987654, abs=1e-9)
    assert row["Unterstützungen"] == 3
    assert not {"category", "time_band", "lon", "lat", "created_at"} & set(row.index)


def test_floats_are_rounded_and_written_with_decimal_commas() -> None:
    table = pd.DataFrame({"share": [0.123456], "flag": [True], "code": ["x"]})
    labels = CsvLabels(columns={"share": "Anteil"}, values={"code": {"x": "Iks"}})
    raw = csv_bytes(table, labels)
    assert raw.decode("utf-8-sig").splitlines() == ["Anteil;flag;code", "0,12;ja;Iks"]
