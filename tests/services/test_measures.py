"""The measures as a frame and their exports (services.measures): the columns of
today's files, the sources inside, no spreadsheet formula in a CSV cell."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
from shapely import wkt
from shapely.geometry import Point, box

from rules.measures import MEASURE_TYPES, PRIORITIES, MeasureDraft
from rules.roles import Actor, Role
from services.i18n import translate
from services.measures import export_file, measures_csv, measures_frame, measures_geojson
from store import SqliteStore
from tests.factories import hire_staff

PLANNER = Actor("pia", Role.PLANNER)
STEERING = Actor("stella", Role.STEERING)
SOURCES = ["Stadt Dortmund, Statistische Bezirke (dl-de/by-2-0)"]
ABOUT = {"exported_on": "2026-11-27", "demo": False}
COLUMNS = [
    "id",
    "title",
    "description",
    "type",
    "quarter_id",
    "working_group",
    "responsible",
    "priority",
    "cost_eur",
    "target_date",
    "status",
    "status_reason",
    "pin_ids",
]


def _store(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "m.sqlite")
    hire_staff(store)
    store.create_measure(
        MeasureDraft(
            "Sichtachse „frei“",
            "greenery",
            "320",
            box(7.55, 51.51, 7.56, 51.52),
            cost_eur=800.0,
            target_date=date(2027, 3, 31),
            description="Hecke auf 1 m kürzen;\nBank versetzen",
        ),
        actor=PLANNER,
    )
    store.create_measure(
        MeasureDraft('=HYPERLINK("http://evil.example")', "lighting", "530", Point(7.5, 51.5)),
        actor=PLANNER,
    )
    store.move_measure(2, "rejected", actor=STEERING, reason="@SUM(A1) zu teuer")
    return store


def test_the_frame_holds_one_row_per_measure_with_todays_columns(tmp_path: Path) -> None:
    frame = measures_frame(_store(tmp_path).measures())
    assert list(frame.columns) == [*COLUMNS, "geometry"]
    assert frame.crs == "EPSG:4326"
    rows = frame.set_index("id")
    assert rows.loc[1, "title"] == "Sichtachse „frei“"
    assert rows.loc[1, "description"] == "Hecke auf 1 m kürzen;\nBank versetzen"
    assert rows.loc[1, "target_date"] == "2027-03-31" and rows.loc[1, "cost_eur"] == 800.0
    assert rows.loc[2, "status"] == "rejected"
    assert rows.loc[2, "status_reason"] == "@SUM(A1) zu teuer"
    assert rows.loc[2, "geometry"].equals(Point(7.5, 51.5))


def test_the_geojson_keeps_the_properties_and_names_the_sources(tmp_path: Path) -> None:
    data = json.loads(measures_geojson(_store(tmp_path).measures(), sources=SOURCES, about=ABOUT))
    assert data["metadata"] == {"sources": SOURCES, **ABOUT}
    by_id = {f["properties"]["id"]: f for f in data["features"]}
    assert set(by_id) == {1, 2}
    assert by_id[1]["geometry"]["type"] == "Polygon"
    assert by_id[1]["properties"]["title"] == "Sichtachse „frei“"
    # GeoJSON is no spreadsheet: the text stays as it was typed.
    assert by_id[2]["properties"]["title"] == '=HYPERLINK("http://evil.example")'
    assert list(by_id[2]["properties"]) == COLUMNS


GERMAN_COLUMNS = [
    "Nr.",
    "Titel",
    "Beschreibung",
    "Art der Maßnahme",
    "Bezirks-Nr.",
    "Arbeitsgruppe",
    "Zuständig",
    "Priorität",
    "Kosten (EUR)",
    "Zieldatum",
    "Status",
    "Begründung",
    "Hinweis-Nrn.",
    "Geometrie (WKT)",
]


def _csv(data: bytes) -> tuple[pd.DataFrame, str]:
    """The measures' CSV read as German Excel reads it, and SOURCES.txt."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["SOURCES.txt", "massnahmen.csv"]
        raw = archive.read("massnahmen.csv")
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
        table = pd.read_csv(
            io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False
        )
        return table, archive.read("SOURCES.txt").decode()


def test_the_csv_has_no_formula_cells_and_carries_the_sources(tmp_path: Path) -> None:
    table, sources = _csv(measures_csv(_store(tmp_path).measures(), sources=SOURCES, about=ABOUT))
    assert list(table.columns) == GERMAN_COLUMNS
    rows = table.set_index("Nr.")
    assert rows.loc[2, "Titel"] == '\'=HYPERLINK("http://evil.example")'
    assert rows.loc[2, "Begründung"] == "'@SUM(A1) zu teuer"
    assert rows.loc[1, "Titel"] == "Sichtachse „frei“"  # harmless text stays as it is
    assert wkt.loads(rows.loc[1, "Geometrie (WKT)"]).equals(box(7.55, 51.51, 7.56, 51.52))
    assert SOURCES[0] in sources and '"exported_on": "2026-11-27"' in sources


def test_the_csv_speaks_german_to_excel(tmp_path: Path) -> None:
    data = measures_csv(_store(tmp_path).measures(), sources=SOURCES, about=ABOUT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("massnahmen.csv").decode("utf-8-sig")
    assert ";800,0;" in text and "800.0" not in text  # a decimal comma
    rows = _csv(data)[0].set_index("Nr.")
    assert rows.loc[1, "Art der Maßnahme"] == translate(MEASURE_TYPES["greenery"], "de")
    assert rows.loc[1, "Art der Maßnahme"] != "greenery"
    assert rows.loc[1, "Status"] == "vorgeschlagen"
    assert rows.loc[2, "Status"] == "verworfen"
    assert rows.loc[1, "Priorität"] == translate(PRIORITIES[2], "de")
    assert rows.loc[1, "Kosten (EUR)"] == "800,0"  # text: the other row has no cost
    assert rows.loc[1, "Zieldatum"] == "31.03.2027"
    assert rows.loc[1, "Beschreibung"] == "Hecke auf 1 m kürzen;\nBank versetzen"
    assert rows.loc[2, "Beschreibung"] == ""


def test_points_only_still_give_a_wkt_column(tmp_path: Path) -> None:
    points = [m for m in _store(tmp_path).measures() if m.place.geom_type == "Point"]
    table, _sources = _csv(measures_csv(points, sources=SOURCES, about=ABOUT))
    assert "Geometrie (WKT)" in table.columns
    assert not {"lon", "lat", "Längengrad", "Breitengrad"} & set(table.columns)
    assert wkt.loads(table["Geometrie (WKT)"].iloc[0]).equals(Point(7.5, 51.5))


def test_no_measures_give_empty_files(tmp_path: Path) -> None:
    assert json.loads(measures_geojson([], sources=SOURCES, about=ABOUT))["features"] == []
    table, _sources = _csv(measures_csv([], sources=SOURCES, about=ABOUT))
    assert table.empty and list(table.columns) == GERMAN_COLUMNS


def test_file_names_and_media_types() -> None:
    assert export_file("geojson") == ("massnahmen.geojson", "application/geo+json")
    assert export_file("csv") == ("massnahmen.csv.zip", "application/zip")
