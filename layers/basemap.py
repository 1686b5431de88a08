"""The base map of one quarter: served-locally Leaflet, outline, faint neighbours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element, Figure
from jinja2 import Template

from config.basemaps import LOCAL_TILE_URL, Basemap
from layers.script_json import SafeScriptElement

# Where the app serves its own copies of Leaflet and jQuery (see scripts/setup.sh).
DEFAULT_ASSET_BASE = "/app/static/vendor"
_QUARTER_STYLE = {"color": "#0b5cad", "weight": 4, "fill": True, "fillOpacity": 0.04}
_NEIGHBOUR_STYLE = {"color": "#6b7280", "weight": 1, "fill": False, "dashArray": "4 4"}
# Without tiles the districts lie on this plain background. The credits wrap beside the
# scale bar (at most 100 px wide, bottom left) and never cover it on a phone.
_MAP_CSS = (
    ".leaflet-container { background: #f4f1ea; font-size: 15px; }"
    " .leaflet-control-attribution { max-width: calc(100% - 130px); white-space: normal; }"
    # The credits grow with every layer shown; on a phone they covered a third of the map.
    " .leaflet-container .leaflet-control-attribution { font-size: 12px; line-height: 1.35; }"
    " @media (max-width: 500px) {"
    " .leaflet-container .leaflet-control-attribution { font-size: 10.5px; } }"
    # Groups of nearby notes (layers.pins): white numbers on dark blue, 10:1.
    " .sq-group { display: flex; align-items: center; justify-content: center;"
    " background: #0b3d91; color: #ffffff; font-weight: 700; border-radius: 50%;"
    " border: 3px solid #ffffff; box-shadow: 0 0 0 1px #0b3d91; box-sizing: border-box; }"
)


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


class _MetricScale(SafeScriptElement):
    """A scale bar in metres and kilometres only."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, maxWidth: 100}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


def _style(style: dict[str, Any]) -> Any:
    return lambda _feature: style


def quarter_map(
    districts: gpd.GeoDataFrame,
    district_id: str,
    *,
    attributions: Sequence[str],
    basemap: Basemap | None = None,
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
        basemap=basemap,
        asset_base=asset_base,
    )


def districts_map(
    districts: gpd.GeoDataFrame,
    district_ids: Sequence[str],
    *,
    attributions: Sequence[str],
    basemap: Basemap | None = None,
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
        control_scale=False,
        min_zoom=11,
        max_zoom=19,
    )
    # Instance attributes override folium's CDN defaults for this map only.
    fmap.default_js = [
        ("leaflet", f"{asset_base}/leaflet/leaflet.js"),
        ("jquery", f"{asset_base}/jquery/jquery.min.js"),
        ("markercluster", f"{asset_base}/leaflet-markercluster/leaflet.markercluster.js"),
    ]
    fmap.default_css = [
        ("leaflet_css", f"{asset_base}/leaflet/leaflet.css"),
        ("markercluster_css", f"{asset_base}/leaflet-markercluster/MarkerCluster.css"),
    ]
    root = fmap.get_root()
    assert isinstance(root, Figure)  # a new Map always sits in a new Figure
    root.header.add_child(Element(f"<style>{_MAP_CSS}</style>"))
    _MetricScale().add_to(fmap)
    if basemap is not None:
        folium.TileLayer(
            LOCAL_TILE_URL,
            attr=basemap.attribution,
            max_zoom=19,
            max_native_zoom=basemap.max_zoom,
            min_zoom=11,
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
