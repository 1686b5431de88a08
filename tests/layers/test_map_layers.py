"""The map's HTML: local assets only, pins as one layer, text never as markup."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point

from config.basemaps import OSM
from datapack.loading import load_districts
from geo.pins import pins_frame
from layers.basemap import quarter_map
from layers.features import feature_layer
from layers.pins import PinLabels, pending_pin_layer, pin_rows, pins_layer
from layers.planner_symbols import (
    LIGHT_LABELS,
    analysis_legend,
    layer_icons,
    layer_legend,
)
from layers.styles import style_for
from rules.pins import Pin
from rules.vocab import CATEGORIES, TIME_BANDS
from tests import factories

LABELS = PinLabels.untranslated()
MADE = datetime(2026, 11, 26, 18, 30, tzinfo=UTC)
CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "netdna.bootstrapcdn")


def make_pin(pin_id: int, text: str = "", **changes: Any) -> Pin:
    """A pin at a place with many decimals (which the map must not show), made on
    26 November 2026 at 18:30 UTC."""
    place_and_time = {"lon": 7.5567891234, "lat": 51.5245678912, "created_at": MADE}
    return factories.make_pin(pin_id, **{**place_and_time, "text": text, **changes})


@pytest.fixture(scope="module")
def districts():
    return load_districts().districts


def render(fmap) -> str:
    return str(fmap.get_root().render())


def test_the_base_map_loads_leaflet_from_the_app_not_a_cdn(districts) -> None:
    html = render(quarter_map(districts, "320", attributions=["Stadt Dortmund"]))
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "/app/static/vendor/leaflet/leaflet.css" in html
    assert not [host for host in CDN_HOSTS if host in html]
    assert "Stadt Dortmund" in html


def test_tiles_come_from_the_app_itself_never_from_the_tile_service(districts) -> None:
    online = render(quarter_map(districts, "320", attributions=[], basemap=OSM))
    offline = render(quarter_map(districts, "320", attributions=[], basemap=None))
    assert '"/tiles/{z}/{x}/{y}.png"' in online
    assert "tile.openstreetmap.org" not in online  # only in the credit's link to its rules
    assert "openstreetmap.org/copyright" in online
    assert "L.tileLayer" not in offline


def test_the_scale_bar_is_metric_only(districts) -> None:
    html = render(quarter_map(districts, "320", attributions=[], basemap=OSM))
    assert "L.control.scale({imperial: false" in html
    assert "control_scale" not in html and html.count("L.control.scale") == 1


def test_the_map_shows_the_quarter_and_its_neighbours_only(districts) -> None:
    html = render(quarter_map(districts, "320", attributions=[]))
    names = set(re.findall(r'"name": "([^"]+)"', html))
    assert "Brackel" in names
    assert 2 <= len(names) < 15  # the neighbours, not all 62 districts


def test_pin_rows_are_compact_and_complete() -> None:
    pin = make_pin(5, "Hallo", category="traffic", time_band="evening", severity=2, supports=4)
    (row,) = pin_rows(pins_frame([pin]))
    assert row == [
        7.556789,
        51.524568,
        list(CATEGORIES).index("traffic"),
        list(TIME_BANDS).index("evening"),
        2,
        "Hallo",
        "26.11.2026",
        5,
        4,
    ]


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "</script><script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "`${alert(1)}`",
        "'\";alert(1);//",
        # Branca parses a rendered script once more as a Jinja template: these must
        # arrive as text, not be evaluated on the server.
        "{{ 7*7 }}",
        "{{ config.__class__ }}",
        "{% for x in range(3) %}x{% endfor %}",
        "{# comment #} {{{ }}}",
        "\u2028 line separator \u2029",
    ],
)
def test_pin_text_never_becomes_markup_or_code(payload: str) -> None:
    fmap = quarter_map(load_districts().districts, "320", attributions=[])
    pins_layer(pins_frame([make_pin(1, payload)]), LABELS).add_to(fmap)
    html = render(fmap)
    # The text travels as a JSON string inside the script and comes back unchanged...
    rows = json.loads(re.search(r"var rows = (\[.*?\]);\n", html).group(1))  # type: ignore[union-attr]
    assert rows[0][5] == payload
    # ...with every character that could end the script or open a tag escaped.
    if "<" in payload:
        assert payload not in html
    assert "</script><script>alert" not in html
    # The popup writes text with textContent, never innerHTML.
    assert "textContent" in html
    assert "innerHTML" not in html


def test_ten_thousand_pins_are_one_layer_not_ten_thousand_markers() -> None:
    pins = [make_pin(i) for i in range(1, 10_001)]
    fmap = quarter_map(load_districts().districts, "320", attributions=[])
    group = pins_layer(pins_frame(pins), LABELS).add_to(fmap)
    assert len(group._children) == 1
    html = render(fmap)
    assert html.count("L.circleMarker") == 1
    assert "L.marker(" not in html


def test_the_pending_place_is_drawn_where_it_was_chosen() -> None:
    fmap = quarter_map(load_districts().districts, "320", attributions=[])
    html = render(pending_pin_layer(7.55, 51.52, tooltip="Ihr neuer Hinweis").add_to(fmap))
    assert "[51.52, 7.55]" in html
    assert "Ihr neuer Hinweis" in html


def test_a_generic_layers_columns_keep_their_own_names() -> None:
    from layers.styles import fields_for

    asked: list[str] = []

    def translate(text: str) -> str:
        asked.append(text)
        return text.upper()

    # "name" is in the catalogue ("Name"): a city's column must not be renamed by it.
    assert fields_for("vector", ["name", "art", "geometry"], translate) == [
        ("name", "name"),
        ("art", "art"),
    ]
    assert asked == []
    known = fields_for("lamps", ["status"], translate)
    assert known and all(label == label.upper() for _, label in known) and asked


def _shapes(svg: str) -> str:
    """An SVG symbol without its colours: what is left tells the shape."""
    return re.sub(r'(fill|stroke)="#[0-9a-fA-F]{6}"', "", svg)


def test_stops_schools_and_accidents_have_symbols_of_their_own() -> None:
    icons = {kind: layer_icons(kind) for kind in ("stops", "schools", "accidents")}
    assert all(icons.values())
    shapes = {kind: _shapes(found[""]) for kind, found in icons.items() if found}
    assert len(set(shapes.values())) == 3  # three shapes, not one circle in three colours
    # Day, dusk and dark accidents differ by the disc inside, not by colour alone.
    accidents = icons["accidents"] or {}
    assert len({_shapes(accidents[light]) for light in ("day", "dusk", "dark")}) == 3
    assert layer_icons("lamps") is None and layer_icons("survey") is None  # circles


def test_a_symbol_layer_draws_its_svg_markers_from_the_app_only() -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["Markt"], "stop_id": ["1"]}, geometry=[Point(7.5, 51.5)], crs=4326
    )
    html = render_group(
        feature_layer(
            frame,
            name="stops",
            title="Stops",
            fields=[("name", "name")],
            style=style_for("stops"),
            icons=layer_icons("stops"),
        )
    )
    assert "L.divIcon" in html and "sq-symbol" in html
    icons = json.loads(html.split("var icons = ", 1)[1].split(";\n", 1)[0])
    assert set(icons) == {""} and icons[""].startswith("<svg")
    assert "http" not in icons[""].replace("http://www.w3.org/2000/svg", "")  # nothing fetched


@pytest.mark.parametrize(
    ("layer_type", "expected"),
    [
        ("stops", ["stop (H)"]),
        ("schools", ["school or day-care (house)"]),
        ("accidents", list(LIGHT_LABELS.values())),
        ("lamps", ["lamp working", "lamp defect (larger dot)", "lamp, state unknown"]),
        (
            "survey",
            ["1 very unsafe", "2 rather unsafe", "3 neither", "4 rather safe", "5 very safe"],
        ),
        ("vector", ["feature of this layer"]),
    ],
)
def test_every_layer_type_has_a_legend(layer_type: str, expected: list[str]) -> None:
    section = layer_legend(layer_type, "Title", str)
    assert section.title == "Title"
    assert [e.label for e in section.entries] == expected
    assert all(e.svg.startswith("<svg") for e in section.entries)


def test_every_analysis_has_a_legend_and_hot_and_cold_differ_by_their_edge() -> None:
    hotspots = analysis_legend("hotspots", "Hotspots", str)
    assert hotspots is not None
    hot, cold = hotspots.entries
    assert "stroke-dasharray" in cold.svg and "stroke-dasharray" not in hot.svg
    for analysis in ("density", "lighting"):
        section = analysis_legend(analysis, analysis, str, far_m=90)
        assert section is not None and section.entries[0].gradient.startswith("linear-gradient")
        assert all(section.entries[0].ends)
    lighting = analysis_legend("lighting", "l", str, far_m=90)
    assert lighting is not None and lighting.entries[0].ends == ("0 m", "≥ 90 m")
    assert analysis_legend("none", "", str) is None


def render_group(group: Any) -> str:
    fmap = folium.Map(tiles=None)
    group.add_to(fmap)
    return render(fmap)
