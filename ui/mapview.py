"""The map widget: st_folium with only what the page needs coming back.

Turning a folium map into what the browser gets (jinja templates, GeoJSON) costs
tens of milliseconds per run; with fifty maps refreshing every few seconds that is
most of a core. So the map can be drawn once (`draw`, cached by the caller per data
version) and sent again and again (`show_drawn`). The drawing follows
streamlit-folium's own `st_folium` (its helpers are private; the version is pinned
in pyproject.toml, and the browser tests draw every map).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import streamlit as st
import streamlit_folium as stf

from layers.script_json import deferred_bulk
from ui import state

MAP_HEIGHT_PX = 520
RETURNED = ("last_clicked", "last_object_clicked")


@dataclass(frozen=True, slots=True)
class MapEvent:
    """A new tap: on the map itself (`on_pin` False) or on a pin (`on_pin` True)."""

    lon: float
    lat: float
    on_pin: bool


@dataclass(frozen=True, slots=True)
class DrawnMap:
    """A folium map and its changing layers as the st_folium component receives them."""

    script: str
    header: str
    html: str
    map_id: str
    defaults: dict[str, None]
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def _new(result: dict[str, object], name: str, seen_key: str) -> dict[str, float] | None:
    value = result.get(name)
    if not isinstance(value, dict) or value == st.session_state.get(seen_key):
        return None
    st.session_state[seen_key] = value
    return value


def _event(result: dict[str, object]) -> MapEvent | None:
    on_pin = _new(result, "last_object_clicked", state.LAST_OBJECT)
    if on_pin is not None:
        return MapEvent(lon=float(on_pin["lng"]), lat=float(on_pin["lat"]), on_pin=True)
    clicked = _new(result, "last_clicked", state.LAST_CLICK)
    if clicked is not None:
        return MapEvent(lon=float(clicked["lng"]), lat=float(clicked["lat"]), on_pin=False)
    return None


def show_map(
    fmap: folium.Map, dynamic: Sequence[folium.FeatureGroup], *, key: str
) -> MapEvent | None:
    """Draw the map; return a new tap, once, or None.

    Layers in `dynamic` change without re-mounting the map, so a refresh of
    the pins does not reset a participant's zoom.
    """
    return show_drawn(draw(fmap), key=key, layers=layers_script(dynamic))


def _links(fmap: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CSS and JavaScript files the map's elements ask for (local ones here)."""

    def walk(element: Any) -> Iterable[Any]:
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    css: list[str] = []
    js: list[str] = []
    for element in walk(fmap):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def layers_script(groups: Sequence[folium.FeatureGroup], *, first: int = 0) -> str:
    """The JavaScript that adds `groups` to a drawn map (numbered from `first`)."""
    host = folium.Map(tiles=None)  # only its id is needed, and replaced by "map_div"
    with deferred_bulk() as bulk:
        script = "".join(
            stf._get_feature_group_string(group, map=host, idx=first + i)
            for i, group in enumerate(groups)
        )
    return bulk.fill(script)


def draw(fmap: folium.Map) -> DrawnMap:
    """Work out once what `show_drawn` sends (the expensive part of st_folium); the
    changing layers go with each sending (`layers_script`)."""
    fmap.get_root().render()
    fmap.render()
    html, header = stf._get_html(fmap), stf._get_header(fmap)
    script = stf._get_map_string(fmap)
    css, js = _links(fmap)
    return DrawnMap(
        script=script,
        header=header,
        html=html,
        map_id=stf.get_full_id(fmap),
        defaults=dict.fromkeys(RETURNED),
        css_links=css,
        js_links=js,
    )


def show_drawn(drawn: DrawnMap, *, key: str, layers: str = "") -> MapEvent | None:
    """Send a drawn map with its changing `layers` (see `layers_script`); a new tap or None."""
    component_key = stf.generate_js_hash(drawn.script, key, False)

    def remember() -> None:  # what st_folium's on_change does for a keyed map
        st.session_state[key] = st.session_state.get(component_key, {})

    result = stf._component_func(
        script=drawn.script,
        header=drawn.header,
        html=drawn.html,
        id=drawn.map_id,
        key=component_key,
        height=MAP_HEIGHT_PX,
        width=None,
        returned_objects=list(RETURNED),
        default=drawn.defaults,
        zoom=None,
        center=None,
        feature_group=layers or None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(drawn.css_links),
        js_links=list(drawn.js_links),
        on_change=remember,
        wrap_longitude=False,
    )
    return _event(result or {})
