"""Any point, line or polygon layer as one GeoJSON layer with safe popups.

Property values from imported files are shown with textContent, never as HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import folium
import geopandas as gpd
from jinja2 import Template

from geo.crs import to_storage
from layers.script_json import SafeScriptElement

_MAX_POPUP_CHARS = 300


@dataclass(frozen=True, slots=True)
class FeatureStyle:
    """How a layer is drawn; `colour_by` picks a colour per value of one column."""

    colour: str = "#444444"
    radius: int = 5
    weight: float = 2
    fill_opacity: float = 0.8
    colour_by: str | None = None
    colours: Mapping[str, str] = field(default_factory=dict)
    # Per value of `colour_by` as well, so a mark differs by more than its colour:
    dashes: Mapping[str, str] = field(default_factory=dict)  # an area's edge, e.g. "4 3"
    radii: Mapping[str, int] = field(default_factory=dict)  # a point's radius in px
    # An area layer drawn above dots: a tap on a dot beneath an area opens the dot's popup.
    points_first: bool = False


class _FeatureLayer(SafeScriptElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var data = {{ this.bulk(this.data) }};
            var fields = {{ this.json(this.fields) }};
            var style = {{ this.json(this.style) }};
            var title = {{ this.json(this.title) }};
            var attribution = {{ this.json(this.attribution) }};
            var icons = {{ this.json(this.icons) }};
            function valueOf(p) {
                return style.colour_by ? String(p[style.colour_by]) : "";
            }
            function colourOf(p) {
                return style.colours[valueOf(p)] || style.colour;
            }
            return L.geoJSON(data, {
                attribution: attribution,
                style: function (f) {
                    return {color: colourOf(f.properties), weight: style.weight,
                            dashArray: style.dashes[valueOf(f.properties)] || null,
                            fillOpacity: style.fill_opacity * 0.4};
                },
                pointToLayer: function (f, latlng) {
                    if (icons) {
                        // The app's own SVG symbol (layers.planner_symbols), never data.
                        return L.marker(latlng, {
                            keyboard: false, title: title,
                            icon: L.divIcon({
                                html: icons[valueOf(f.properties)] || icons[""],
                                className: "sq-symbol", iconSize: [20, 20], iconAnchor: [10, 10],
                                popupAnchor: [0, -8]
                            })
                        });
                    }
                    return L.circleMarker(latlng, {
                        radius: style.radii[valueOf(f.properties)] || style.radius, weight: 1,
                        color: "#ffffff", fillColor: colourOf(f.properties),
                        fillOpacity: style.fill_opacity
                    });
                },
                onEachFeature: function (f, layer) {
                    layer.bindPopup(function () {
                        var box = document.createElement("div");
                        box.className = "sq-feature";
                        var head = document.createElement("strong");
                        head.textContent = title;
                        box.appendChild(head);
                        fields.forEach(function (pair) {
                            var value = f.properties[pair[0]];
                            if (value === null || value === undefined || value === "") { return; }
                            var row = document.createElement("div");
                            row.textContent = pair[1] + ": " + String(value);
                            box.appendChild(row);
                        });
                        return box;
                    });
                    if (style.points_first) {
                        layer.off("click", layer._openPopup, layer);
                        layer.on("click", function (e) {
                            var map = layer._map, hit = null;
                            var at = map.latLngToLayerPoint(e.latlng);
                            map.eachLayer(function (l) {
                                if (!hit && l instanceof L.CircleMarker && l._point
                                        && l.getPopup && l.getPopup() && l._containsPoint(at)) {
                                    hit = l;
                                }
                            });
                            if (hit) { hit.openPopup(); } else { layer.openPopup(e.latlng); }
                        });
                    }
                }
            }).addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, object],
        fields: Sequence[tuple[str, str]],
        style: FeatureStyle,
        title: str,
        attribution: str,
        icons: Mapping[str, str] | None,
    ) -> None:
        super().__init__()
        self._name = "FeatureLayer"
        self.data = data
        self.icons = dict(icons) if icons else None
        # Leaflet writes attributions into the page as HTML; a layer's is typed by staff.
        self.attribution = html.escape(attribution)
        self.fields = [list(pair) for pair in fields]
        self.title = title
        self.style = {
            "colour": style.colour,
            "radius": style.radius,
            "weight": style.weight,
            "fill_opacity": style.fill_opacity,
            "colour_by": style.colour_by,
            "colours": dict(style.colours),
            "dashes": dict(style.dashes),
            "radii": dict(style.radii),
            "points_first": style.points_first,
        }


def _geojson(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> dict[str, object]:
    data = to_storage(frame)
    data = data[[c for c in columns if c in data.columns] + [data.geometry.name]].copy()
    for column in columns:
        if column in data.columns:
            data[column] = data[column].map(_short)
    parsed: dict[str, object] = json.loads(data.to_json(drop_id=True, to_wgs84=False))
    return parsed


def _short(value: object) -> object:
    if isinstance(value, str) and len(value) > _MAX_POPUP_CHARS:
        return value[:_MAX_POPUP_CHARS] + " …"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def feature_layer(
    frame: gpd.GeoDataFrame,
    *,
    name: str,
    title: str,
    fields: Sequence[tuple[str, str]],
    style: FeatureStyle,
    attribution: str = "",
    icons: Mapping[str, str] | None = None,
) -> folium.FeatureGroup:
    """One feature group with the whole frame as one GeoJSON layer.

    `fields` are (column, label) pairs shown in the popup, in that order.
    `attribution` shows in the map's corner while the layer is on.
    `icons` draws points as these inline SVG symbols (per value of `style.colour_by`,
    "" for any other) instead of circles; they must be the app's own markup.
    """
    group = folium.FeatureGroup(name=name)
    columns = [c for c, _label in fields]
    if style.colour_by and style.colour_by not in columns:
        columns.append(style.colour_by)
    _FeatureLayer(_geojson(frame, columns), fields, style, title, attribution, icons).add_to(group)
    return group


class _FitOnce(SafeScriptElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent._parent.get_name() }};
            var key = {{ this.json(this.key) }};
            if (window.sqFittedTo !== key) {
                window.sqFittedTo = key;
                map.fitBounds({{ this.json(this.bounds) }});
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], key: str) -> None:
        super().__init__()
        self._name = "FitOnce"
        self.bounds = bounds
        self.key = key


def fit_once(bounds_lonlat: tuple[float, float, float, float], *, key: str) -> folium.FeatureGroup:
    """A group that fits the map to (west, south, east, north) when `key` is new to the
    map, and leaves the view alone on every later sending with the same key (the
    person's own zoom and pan survive a rerun; a new analysed quarter is zoomed to)."""
    west, south, east, north = bounds_lonlat
    group = folium.FeatureGroup(name="fit")
    _FitOnce([[south, west], [north, east]], key).add_to(group)
    return group
