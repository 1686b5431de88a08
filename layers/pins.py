"""Pins as one GeoJSON layer of circle markers with safe popups.

Pins travel as compact rows (about a third of the bytes of GeoJSON features)
and become one L.geoJSON layer in the browser. Popups are built with
textContent, so whatever a participant typed is shown as text, never run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.pins import Pin
from geo.vocab import CATEGORIES, CATEGORY_COLOURS, SEVERITIES, TIME_BANDS

_CATEGORY_CODES = tuple(CATEGORIES)
_TIME_BAND_CODES = tuple(TIME_BANDS)
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


def pin_rows(pins: Iterable[Pin]) -> list[list[object]]:
    """[lon, lat, category index, time band index, severity or 0, text, date, id] per pin."""
    return [
        [
            round(pin.lon, _COORD_DECIMALS),
            round(pin.lat, _COORD_DECIMALS),
            _CATEGORY_CODES.index(pin.category),
            _TIME_BAND_CODES.index(pin.time_band),
            pin.severity or 0,
            pin.text,
            pin.created_at.strftime("%d.%m.%Y"),
            pin.id,
        ]
        for pin in pins
    ]


class _PinLayer(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var rows = {{ this.rows|tojson }};
            var labels = {{ this.labels|tojson }};
            var colours = {{ this.colours|tojson }};
            var features = rows.map(function (r) {
                return {type: "Feature", geometry: {type: "Point", coordinates: [r[0], r[1]]},
                        properties: {c: r[2], t: r[3], s: r[4], x: r[5], d: r[6], id: r[7]}};
            });
            function line(box, tag, text, cls) {
                var el = document.createElement(tag);
                el.textContent = text;
                if (cls) { el.className = cls; }
                box.appendChild(el);
            }
            return L.geoJSON({type: "FeatureCollection", features: features}, {
                pointToLayer: function (feature, latlng) {
                    return L.circleMarker(latlng, {
                        radius: 9, weight: 2, color: "#ffffff",
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
                        line(box, "small", labels.reported_on + " " + p.d);
                        return box;
                    });
                }
            }).addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, rows: Sequence[Sequence[object]], labels: PinLabels) -> None:
        super().__init__()
        self._name = "PinLayer"
        self.rows = rows
        self.colours = [CATEGORY_COLOURS[code] for code in _CATEGORY_CODES]
        self.labels = {
            "categories": [labels.categories[code] for code in _CATEGORY_CODES],
            "time_bands": [labels.time_bands[code] for code in _TIME_BAND_CODES],
            "severities": [labels.severities[level] for level in sorted(labels.severities)],
            "when": labels.when,
            "severity": labels.severity,
            "reported_on": labels.reported_on,
        }


def pins_layer(
    pins: Iterable[Pin], labels: PinLabels, *, name: str = "pins"
) -> folium.FeatureGroup:
    """One feature group holding every pin as one GeoJSON layer."""
    group = folium.FeatureGroup(name=name)
    _PinLayer(pin_rows(pins), labels).add_to(group)
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
