"""The changing layers of a drawn map: their data is put in after folium's templates."""

from __future__ import annotations

import json
import re

import folium
import pytest
import streamlit_folium as stf

from geo.pins import pins_frame
from layers.pins import PinLabels, pins_layer
from tests.layers.test_map_layers import make_pin
from ui.mapview import layers_script

LABELS = PinLabels.untranslated()


def _inline(group: folium.FeatureGroup) -> str:
    """The layer as streamlit-folium writes it, data through folium's templates."""
    return str(stf._get_feature_group_string(group, map=folium.Map(tiles=None), idx=0))


@pytest.mark.parametrize(
    "text",
    [
        "zu dunkel am Durchgang",
        "{{ 7*7 }} {% for x in range(3) %}x{% endfor %}",
        "</script><script>alert(1)</script>",
        "SQBULK0X SQBULK1X SQBULK99999X",  # looks like a token: stays text
        "_a1b2c3 map_div feature_group_0",
    ],
)
def test_a_layer_script_is_the_same_as_written_inline(text: str) -> None:
    pins = pins_frame([make_pin(1, text), make_pin(2, "zweiter Hinweis")])
    fast = layers_script([pins_layer(pins, LABELS)])
    assert fast == _inline(pins_layer(pins, LABELS))
    rows = json.loads(re.search(r"var rows = (\[.*?\]);\n", fast).group(1))  # type: ignore[union-attr]
    assert [row[5] for row in rows] == [text, "zweiter Hinweis"]
    assert "</script>" not in fast and "{{" not in fast


def test_two_layers_each_get_their_own_data() -> None:
    first = pins_layer(pins_frame([make_pin(1, "eins")]), LABELS)
    second = pins_layer(pins_frame([make_pin(2, "zwei")]), LABELS)
    script = layers_script([first, second])
    found = re.findall(r"var rows = (\[.*?\]);\n", script)
    assert [json.loads(rows)[0][5] for rows in found] == ["eins", "zwei"]
    assert "SQBULK" not in script
