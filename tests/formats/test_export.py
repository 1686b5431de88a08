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

from datapack.loading import load_city, load_districts
from formats.export import FORMATS, export
from formats.importers import read_layer
from geo.demo import demo_pins, quarter_areas
from geo.filters import PinFilter, filter_pins
from geo.pins import pins_frame
from rules.pins import Pin

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


@pytest.mark.parametrize("fmt", FORMATS)
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
    for fmt in FORMATS:
        back = reimport(export(frame, fmt, name="pins", sources=SOURCES, about={}), fmt)
        assert back["text"].tolist() == [payload]


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    frame = one_pin('=HYPERLINK("http://x","klick")')
    data = export(frame, "csv", name="pins", sources=SOURCES, about={})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("pins.csv").decode()
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
