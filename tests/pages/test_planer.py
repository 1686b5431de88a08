"""AppTest of the planning map on the demo database."""

from __future__ import annotations

import html
import json
import re
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


def groups(at: AppTest) -> list[str]:
    """The map's layer groups, bottom to top, as the browser adds them."""
    script = str(map_args(at)["feature_group"])
    return script.split("var feature_group_feature_group_")[1:]


def legend(at: AppTest) -> str:
    (block,) = [m.value for m in at.markdown if 'class="sq-legend"' in m.value]
    return html.unescape(block)


def test_the_hotspot_cells_lie_above_the_notes_on_the_analysed_quarter(demo_db: Path) -> None:
    at = planner()
    at.sidebar.radio(key="planner_analysis").set_value("hotspots").run()
    at.sidebar.selectbox(key="planner_analysis_quarter").set_value("320").run()
    assert not at.exception
    found = groups(at)
    notes = [i for i, g in enumerate(found) if "pin_layer_" in g]
    cells = [i for i, g in enumerate(found) if '"p_map"' in g]
    assert notes and cells and max(notes) < min(cells), (notes, cells)
    fits = [g for g in found if "sqFittedTo" in g]
    assert len(fits) == 1 and '"analysis:320"' in fits[0]  # zoomed to Brackel only
    text = legend(at)
    assert "Hotspot: mehr Punkte als zufällig" in text and "gestrichelter Rand" in text


def test_the_notes_can_be_switched_off_on_the_map_alone(demo_db: Path) -> None:
    at = planner()
    assert any("pin_layer_" in g for g in groups(at))
    assert "Hinweise (nach Kategorie)" in legend(at)
    at.toggle(key="planner_show_notes").set_value(False).run()
    assert not at.exception
    assert not any("pin_layer_" in g for g in groups(at))
    assert shown(at) == 360  # still counted, listed and exported
    assert not [m for m in at.markdown if 'class="sq-legend"' in m.value]  # nothing to explain


def test_every_shown_layer_and_analysis_has_its_legend_with_its_own_symbols(
    demo_db: Path,
) -> None:
    at = planner()
    for layer_id in ("pack-accidents", "pack-stops", "pack-schools"):
        at.sidebar.checkbox(key=f"planner_layer_{layer_id}").check()
    at.sidebar.radio(key="planner_analysis").set_value("density").run()
    assert not at.exception
    text = legend(at)
    for entry in (
        "Dichteoberfläche",
        "Punkte je Fläche",
        "Hinweise (nach Kategorie)",
        "zu dunkel",
        "Unfälle mit Personenschaden (Unfallatlas)",
        "Unfall bei Dunkelheit (voller Punkt)",
        "Haltestellen (VRR)",
        "Haltestelle (H)",
        "Schulen und Kitas (OSM)",
        "Schule oder Kita (Haus)",
    ):
        assert entry in text, entry
    # The map draws stops, schools and accidents as three different symbols.
    symbol_groups = [g for g in groups(at) if "sq-symbol" in g]
    assert len(symbol_groups) == 3
    assert len({icons_of(g) for g in symbol_groups}) == 3


def icons_of(group: str) -> str:
    return group.split("var icons = ", 1)[1].split(";\n", 1)[0]


def test_a_quarter_without_survey_answers_shows_a_dash_not_none(demo_db: Path) -> None:
    at = planner()
    table = at.dataframe[-1].value
    column = next(c for c in table.columns if "gefühlte Sicherheit" in str(c))
    assert set(table[column]) == {"–"}  # the demo survey layer is not switched on
    at.sidebar.checkbox(key="planner_layer_demo-survey").check().run()
    means = at.dataframe[-1].value[column]
    assert all(re.fullmatch(r"[1-5],\d", m) for m in means), list(means)
