"""Drawing a place on the map (a point or an area) with Leaflet.draw, served by the app."""

from __future__ import annotations

import folium
from folium.plugins import Draw

from layers.basemap import DEFAULT_ASSET_BASE


def add_draw_tools(fmap: folium.Map, *, asset_base: str = DEFAULT_ASSET_BASE) -> Draw:
    """Tools to set one marker or draw one polygon or rectangle; no lines or circles
    (a measure's place is a point or an area)."""
    draw = Draw(
        export=False,
        draw_options={
            "polyline": False,
            "circle": False,
            "circlemarker": False,
            "marker": True,
            "polygon": {"allowIntersection": False},
            "rectangle": True,
        },
        edit_options={"edit": False, "remove": True},
    )
    # Instance attributes override folium's CDN defaults: the app serves Leaflet.draw.
    draw.default_js = [("leaflet_draw_js", f"{asset_base}/leaflet-draw/leaflet.draw.js")]
    draw.default_css = [("leaflet_draw_css", f"{asset_base}/leaflet-draw/leaflet.draw.css")]
    draw.add_to(fmap)
    return draw
