"""The base map of one quarter: served-locally Leaflet, outline, faint neighbours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element, Figure
from jinja2 import Template

from layers.script_json import SafeScriptElement

# Where the app serves its own copies of Leaflet and jQuery (see scripts/setup.sh).
DEFAULT_ASSET_BASE = "/app/static/vendor"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende'
)
_QUARTER_STYLE = {"color": "#0b5cad", "weight": 4, "fill": True, "fillOpacity": 0.04}
_NEIGHBOUR_STYLE = {"color": "#6b7280", "weight": 1, "fill": False, "dashArray": "4 4"}
# Without tiles the districts lie on this plain background (offline labs).
_OFFLINE_CSS = ".leaflet-container { background: #f4f1ea; font-size: 15px; }"


class _Attribution(SafeScriptElement):
    """Adds source attributions to the map's attribution control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {% for text in this.texts %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.json(text) }});
        {% endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, texts: Sequence[str]) -> None:
        super().__init__()
        self._name = "Attribution"
        self.texts = list(texts)


def _style(style: dict[str, Any]) -> Any:
    return lambda _feature: style


def quarter_map(
    districts: gpd.GeoDataFrame,
    district_id: str,
    *,
    attributions: Sequence[str],
    online_tiles: bool = True,
    asset_base: str = DEFAULT_ASSET_BASE,
) -> folium.Map:
    """A map fitted to one district, with its outline and its neighbours faintly.

    `districts` is the validated frame of the data pack (EPSG:4326, indexed by
    district_id). Leaflet is loaded from `asset_base`, never from a CDN.
    """
    return districts_map(
        districts,
        [district_id],
        attributions=attributions,
        online_tiles=online_tiles,
        asset_base=asset_base,
    )


def districts_map(
    districts: gpd.GeoDataFrame,
    district_ids: Sequence[str],
    *,
    attributions: Sequence[str],
    online_tiles: bool = True,
    asset_base: str = DEFAULT_ASSET_BASE,
) -> folium.Map:
    """A map fitted to several districts, outlined, with their neighbours faintly."""
    quarter = districts.loc[list(district_ids)]
    minx, miny, maxx, maxy = quarter.total_bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=14,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        min_zoom=11,
        max_zoom=19,
    )
    # Instance attributes override folium's CDN defaults for this map only.
    fmap.default_js = [
        ("leaflet", f"{asset_base}/leaflet/leaflet.js"),
        ("jquery", f"{asset_base}/jquery/jquery.min.js"),
    ]
    fmap.default_css = [("leaflet_css", f"{asset_base}/leaflet/leaflet.css")]
    root = fmap.get_root()
    assert isinstance(root, Figure)  # a new Map always sits in a new Figure
    root.header.add_child(Element(f"<style>{_OFFLINE_CSS}</style>"))
    if online_tiles:
        folium.TileLayer(
            "OpenStreetMap", attr=OSM_ATTRIBUTION, max_zoom=19, max_native_zoom=19
        ).add_to(fmap)

    near = districts.loc[districts.intersects(quarter.union_all().buffer(0.01))]
    neighbours = near.drop(index=list(district_ids))
    if not neighbours.empty:
        folium.GeoJson(
            neighbours[["name", "geometry"]].to_json(),
            name="neighbours",
            style_function=_style(_NEIGHBOUR_STYLE),
            interactive=False,
        ).add_to(fmap)
    folium.GeoJson(
        quarter[["name", "geometry"]].to_json(),
        name="quarter",
        style_function=_style(_QUARTER_STYLE),
        interactive=False,
    ).add_to(fmap)
    _Attribution(attributions).add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap
