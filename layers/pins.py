"""Pins as one GeoJSON layer of circle markers with safe popups.

Pins travel as compact rows (about a third of the bytes of GeoJSON features)
and become one L.geoJSON layer in the browser. Popups are built with
textContent, so whatever a participant typed is shown as text, never run.

With hundreds of notes in a quarter, single markers at the quarter's zoom cover
most of it and a tap meant for an empty spot opens a note. So a `grouped` layer
gathers nearby notes into numbered circles (Leaflet.markercluster, served by the
app) until the zoom shows streets, and markers grow with the zoom.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
from jinja2 import Template

from layers.colours import CATEGORY_COLOURS
from layers.script_json import SafeScriptElement
from rules.local_time import BERLIN
from rules.vocab import CATEGORIES, SEVERITIES, TIME_BANDS

_CATEGORY_CODES = tuple(CATEGORIES)
_TIME_BAND_CODES = tuple(TIME_BANDS)
_CATEGORY_INDEX = {code: i for i, code in enumerate(_CATEGORY_CODES)}
_TIME_BAND_INDEX = {code: i for i, code in enumerate(_TIME_BAND_CODES)}
_COORD_DECIMALS = 6  # about 0.1 m


@dataclass(frozen=True, slots=True)
class PinLabels:
    """Translated texts the popups need; passed in so layers stay free of the UI."""

    categories: Mapping[str, str]
    time_bands: Mapping[str, str]
    severities: Mapping[int, str]
    when: str
    severity: str
    reported_on: str
    supports: str = "Me too"
    group: str = "{count} notes here. Tap to zoom in."
    photo: str = "Photo with this note"

    @classmethod
    def untranslated(cls) -> PinLabels:
        """The vocabularies' English message ids (benchmarks and tests)."""
        return cls(
            categories=CATEGORIES,
            time_bands=TIME_BANDS,
            severities=SEVERITIES,
            when="When",
            severity="How unsafe",
            reported_on="Reported on",
        )


def pin_rows(pins: gpd.GeoDataFrame) -> list[list[object]]:
    """[lon, lat, category index, time band index, severity or 0, text, date, id, supports]
    per row of a pins frame (geo.pins.pins_frame, or a public view of one)."""
    if pins.empty:
        return []
    columns = [
        pins.geometry.x.round(_COORD_DECIMALS).tolist(),
        pins.geometry.y.round(_COORD_DECIMALS).tolist(),
        pins["category"].map(_CATEGORY_INDEX).tolist(),
        pins["time_band"].map(_TIME_BAND_INDEX).tolist(),
        pins["severity"].fillna(0).astype(int).tolist(),
        pins["text"].fillna("").tolist(),
        pins["created_at"].dt.tz_convert(BERLIN).dt.strftime("%d.%m.%Y").tolist(),
        pins["id"].astype(int).tolist(),
        pins["supports"].astype(int).tolist(),
    ]
    return [list(row) for row in zip(*columns, strict=True)]


class _PinLayer(SafeScriptElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var rows = {{ this.bulk(this.rows) }};
            var labels = {{ this.json(this.labels) }};
            var colours = {{ this.json(this.colours) }};
            // Released photos by note id: served by the app at /foto/<id>.jpg.
            var photos = {{ this.json(this.photos) }};
            var features = rows.map(function (r) {
                return {type: "Feature", geometry: {type: "Point", coordinates: [r[0], r[1]]},
                        properties: {c: r[2], t: r[3], s: r[4], x: r[5], d: r[6], id: r[7],
                                     n: r[8]}};
            });
            function line(box, tag, text, cls) {
                var el = document.createElement(tag);
                el.textContent = text;
                if (cls) { el.className = cls; }
                box.appendChild(el);
            }
            // Pixels per zoom level; at most 10, so that Leaflet reports a tap on a
            // marker at the marker's own place (the app finds the note there).
            function radius(zoom) { return zoom >= 17 ? 9 : zoom >= 16 ? 7 : zoom >= 15 ? 6 : 5; }
            var layer = L.geoJSON({type: "FeatureCollection", features: features}, {
                pointToLayer: function (feature, latlng) {
                    // A tap on a pin opens it; it must not also count as a tap on the map.
                    return L.circleMarker(latlng, {
                        radius: 9, weight: 2, color: "#ffffff", bubblingMouseEvents: false,
                        fillColor: colours[feature.properties.c] || "#777777", fillOpacity: 0.9
                    });
                },
                onEachFeature: function (feature, layer) {
                    layer.bindPopup(function () {
                        var p = feature.properties;
                        var box = document.createElement("div");
                        box.className = "sq-pin";
                        box.setAttribute("data-pin-id", String(p.id));
                        line(box, "strong", labels.categories[p.c]);
                        line(box, "div", labels.when + ": " + labels.time_bands[p.t]);
                        if (p.s) {
                            line(box, "div", labels.severity + ": " + labels.severities[p.s - 1]);
                        }
                        if (p.x) { line(box, "p", p.x, "sq-pin-text"); }
                        var shots = photos[p.id];
                        if (shots) {
                            var strip = document.createElement("div");
                            strip.className = "sq-pin-photos";
                            shots.forEach(function (photoId) {
                                var img = document.createElement("img");
                                img.src = "/foto/" + Number(photoId) + ".jpg";
                                img.alt = labels.photo;
                                img.width = 88;
                                img.height = 66;
                                img.style.objectFit = "cover";
                                img.style.marginRight = "4px";
                                img.style.borderRadius = "3px";
                                strip.appendChild(img);
                            });
                            box.appendChild(strip);
                        }
                        if (p.n) { line(box, "div", labels.supports + ": " + p.n); }
                        line(box, "small", labels.reported_on + " " + p.d);
                        return box;
                    });
                }
            });
            var parent = {{ this._parent.get_name() }}, shownOn = null;
            function resize() {
                var r = radius(shownOn.getZoom());
                layer.eachLayer(function (marker) { marker.setRadius(r); });
            }
            function shown() { shownOn = parent._map; shownOn.on("zoomend", resize); resize(); }
            parent.on("add", shown);
            parent.on("remove", function () { shownOn.off("zoomend", resize); });
            if (parent._map) { shown(); }
            {% if this.grouped %}
            // The count is a number and the label our own text: no participant's text here.
            var GroupIcon = L.DivIcon.extend({
                createIcon: function (old) {
                    var icon = L.DivIcon.prototype.createIcon.call(this, old);
                    icon.setAttribute("aria-label", this.options.label);
                    return icon;
                }
            });
            var groups = L.markerClusterGroup({
                maxClusterRadius: 50, disableClusteringAtZoom: 17,
                spiderfyOnMaxZoom: false, showCoverageOnHover: false,
                removeOutsideVisibleBounds: false,
                iconCreateFunction: function (cluster) {
                    var count = cluster.getChildCount();
                    var size = count < 10 ? 30 : count < 100 ? 34 : 40;
                    return new GroupIcon({
                        html: "<span>" + count + "</span>", className: "sq-group",
                        iconSize: [size, size], label: labels.group.replace("{count}", count)
                    });
                }
            });
            groups.addLayer(layer);
            groups.addTo(parent);
            return groups;
            {% else %}
            layer.addTo(parent);
            return layer;
            {% endif %}
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        rows: Sequence[Sequence[object]],
        labels: PinLabels,
        *,
        grouped: bool,
        photos: Mapping[int, Sequence[int]],
    ) -> None:
        super().__init__()
        self._name = "PinLayer"
        self.rows = rows
        self.grouped = grouped
        self.photos = {str(pin_id): [int(i) for i in ids] for pin_id, ids in photos.items() if ids}
        self.colours = [CATEGORY_COLOURS[code] for code in _CATEGORY_CODES]
        self.labels = {
            "categories": [labels.categories[code] for code in _CATEGORY_CODES],
            "time_bands": [labels.time_bands[code] for code in _TIME_BAND_CODES],
            "severities": [labels.severities[level] for level in sorted(labels.severities)],
            "when": labels.when,
            "severity": labels.severity,
            "reported_on": labels.reported_on,
            "supports": labels.supports,
            "group": labels.group,
            "photo": labels.photo,
        }


def pins_layer(
    pins: gpd.GeoDataFrame,
    labels: PinLabels,
    *,
    name: str = "pins",
    grouped: bool = False,
    photos: Mapping[int, Sequence[int]] | None = None,
) -> folium.FeatureGroup:
    """One feature group holding every pin as one GeoJSON layer; `grouped` gathers
    nearby pins into numbered circles below street zoom (needs the base map's
    Leaflet.markercluster, see layers.basemap). `photos`: the ids of each note's
    released photos (store.released_photo_ids), shown small in its popup."""
    group = folium.FeatureGroup(name=name)
    _PinLayer(pin_rows(pins), labels, grouped=grouped, photos=photos or {}).add_to(group)
    return group


def pending_pin_layer(lon: float, lat: float, *, tooltip: str) -> folium.FeatureGroup:
    """The place a participant just chose, before the pin is saved."""
    group = folium.FeatureGroup(name="pending")
    folium.CircleMarker(
        location=[lat, lon],
        radius=14,
        color="#b00020",
        weight=4,
        fill=True,
        fill_color="#ffffff",
        fill_opacity=0.6,
        tooltip=tooltip,
    ).add_to(group)
    return group
