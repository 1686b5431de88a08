"""AppTest of the planning map on the demo database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store import SqliteStore
from tests.pages.apptest_helpers import open_page, texts


def planner() -> AppTest:
    return open_page("pages/stadt/planer.py")


def shown(at: AppTest) -> int:
    return int(str(at.metric[0].value).replace(".", ""))


def test_the_planner_shows_every_demo_pin_and_says_it_is_demo(demo_db: Path) -> None:
    at = planner()
    assert shown(at) == 360
    assert any("Demo" in w for w in texts(at.warning))
    assert len(at.get("component_instance")) == 1  # the map


def test_a_category_filter_shows_exactly_those_pins(demo_db: Path) -> None:
    at = planner()
    at.sidebar.multiselect(key="planner_categories").set_value(["dark"]).run()
    expected = sum(
        p.category == "dark" for p in SqliteStore(demo_db).pins_in_quarters(["710", "320", "530"])
    )
    assert shown(at) == expected
    assert 0 < expected < 360


def test_quarter_and_time_band_filters_combine(demo_db: Path) -> None:
    at = planner()
    at.sidebar.multiselect(key="planner_quarters").set_value(["320"])
    at.sidebar.multiselect(key="planner_time_bands").set_value(["night"]).run()
    expected = sum(p.time_band == "night" for p in SqliteStore(demo_db).pins_in_quarter("320"))
    assert shown(at) == expected


def test_hiding_demo_data_hides_the_demo_pins(demo_db: Path) -> None:
    at = planner()
    at.sidebar.pills(key="planner_kinds").set_value(["real"]).run()
    assert shown(at) == 0


def test_a_layer_can_be_switched_on(demo_db: Path) -> None:
    at = planner()
    at.sidebar.checkbox(key="planner_layer_pack-accidents").check().run()
    assert not at.exception
    assert at.metric[2].value == "1"
    export_what = at.selectbox(key="export_what")
    assert "pack-accidents" in export_what.options or any(
        "Unfallatlas" in o for o in export_what.options
    )


def test_the_export_is_made_on_request_and_follows_the_filter(demo_db: Path) -> None:
    at = planner()
    assert not at.get("download_button")  # nothing written on a plain run
    at.button(key="export_make").click().run()
    (download,) = at.get("download_button")
    assert "360 Zeilen herunterladen" in str(download.proto.label)
    at.sidebar.multiselect(key="planner_categories").set_value(["dark"]).run()
    assert not at.get("download_button")  # another filter: the old file is not offered
    assert at.button(key="export_make").label.startswith("Datei erstellen (")


@pytest.mark.parametrize(
    ("analysis", "expected"),
    [("density", "Bandbreite"), ("hotspots", "Gi*"), ("lighting", "funktionierenden")],
)
def test_each_analysis_runs_and_explains_itself(
    demo_db: Path, analysis: str, expected: str
) -> None:
    at = planner()
    at.sidebar.radio(key="planner_analysis").set_value(analysis).run()
    assert not at.exception
    assert any(expected in c for c in texts(at.caption)), texts(at.caption)


def test_too_few_answers_are_said_not_painted(demo_db: Path) -> None:
    at = planner()
    at.sidebar.multiselect(key="planner_categories").set_value(["other"])
    at.sidebar.radio(key="planner_analysis").set_value("hotspots").run()
    assert not at.exception
    assert any("Zu wenige Antworten" in w for w in texts(at.warning))


def test_felt_and_recorded_stand_side_by_side(demo_db: Path) -> None:
    at = planner()
    at.sidebar.checkbox(key="planner_layer_pack-accidents").check().run()
    table = at.dataframe[-1].value
    assert len(table) == 3  # one row per quarter
    assert any("Unfälle" in str(c) or "Dunkel" in str(c) for c in table.columns)


def map_args(at: AppTest) -> dict[str, object]:
    """The arguments the map component received (what the browser will draw)."""
    (component,) = at.get("component_instance")
    args: dict[str, object] = json.loads(component.proto.json_args)
    return args


def test_every_real_dataset_of_the_pack_shows_with_its_attribution(demo_db: Path) -> None:
    at = planner()
    for layer_id in ("pack-accidents", "pack-stops", "pack-schools"):
        at.sidebar.checkbox(key=f"planner_layer_{layer_id}").check()
    at.run()
    assert not at.exception
    layers = str(map_args(at)["feature_group"])
    for attribution in (
        "Statistische Ämter des Bundes und der Länder, Unfallatlas",
        "VRR / Verkehrsverbund Rhein-Ruhr",
        "© OpenStreetMap contributors",
    ):
        assert attribution in layers
    # Stops of all three quarters are on the map: Bövinghausen has the fewest (5).
    assert layers.count('"stop_id"') >= 5 + 37 + 39


def test_the_lamp_selector_shows_layer_names_without_markdown_escapes(demo_db: Path) -> None:
    at = planner()
    at.sidebar.radio(key="planner_analysis").set_value("lighting").run()
    options = at.sidebar.selectbox(key="planner_lamps").options
    assert "Straßenlaternen (Demo)" in options
    assert not any("\\" in option for option in options)
