"""The map's HTML: local assets only, pins as one layer, text never as markup."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from config.basemaps import OSM
from datapack.loading import load_districts
from geo.pins import pins_frame
from layers.basemap import quarter_map
from layers.pins import PinLabels, pending_pin_layer, pin_rows, pins_layer
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
