"""The public plan's measures on a quarter's map: each a numbered mark (its number as on
the list beside the map), an area also as its outline; a tap opens a popup with the
title, the kind, the status in words and a link to the measure's own page.

Marks differ by status in colour and in shape (open measures round, done ones square,
rejected ones square with a dashed rim), and the popup says the status in words, so no
one needs the colours. White numbers on every status colour have a contrast of at
least 5:1. Popups are built with textContent, never markup; the labels come translated
from the caller, so the layer knows no UI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import folium
import shapely
from jinja2 import Template
from shapely.geometry.base import BaseGeometry

from layers.script_json import SafeScriptElement

# White text on each has a contrast of 5.3:1 or more (WCAG AA).
STATUS_COLOURS: Final[dict[str, str]] = {
    "discussed": "#0b5cad",
    "decided": "#9a4f00",
    "in_progress": "#6a3d9a",
    "done": "#1e7b3c",
    "rejected": "#5f5f5f",
}
# The mark's shape per status: "round", "square", or "dashed" (a square, dashed rim).
STATUS_SHAPES: Final[dict[str, str]] = {
    "discussed": "round",
    "decided": "round",
    "in_progress": "round",
    "done": "square",
    "rejected": "dashed",
}
MARK_CLASS: Final = "sq-measure"  # each mark's element (tests find them by it)
_COORD_DECIMALS: Final = 6  # about 0.1 m
_STATUS_CODES: Final = tuple(STATUS_COLOURS)
MARK_CSS: Final = (
    f".{MARK_CLASS} {{ display: flex; align-items: center; justify-content: center;"
    " color: #ffffff; font-weight: 700; font-size: 13px; border: 2px solid #ffffff;"
    " box-shadow: 0 0 0 1px #222222; box-sizing: border-box; }"
    f" .{MARK_CLASS}.round {{ border-radius: 50%; }}"
    f" .{MARK_CLASS}.square {{ border-radius: 3px; }}"
    f" .{MARK_CLASS}.dashed {{ border-radius: 3px; border-style: dashed; }}"
    " .sq-measure-popup a { color: #0b5cad; font-weight: 700; }"
)


@dataclass(frozen=True, slots=True)
class PlanMark:
    """One measure on the map: its number, title, kind and status words already
    translated, its place (EPSG:4326) and the path of its page ("massnahme?nr=12")."""

    number: int
    title: str
    kind: str
    status: str  # a code of STATUS_COLOURS
    place: BaseGeometry
    path: str


@dataclass(frozen=True, slots=True)
class PlanMapLabels:
    """Translated words of the marks: status code -> words, a measure's heading
    ("Measure {number}", also the start of its mark's accessible name, followed by its
    title) and the link's text ("Open measure {number}")."""

    statuses: Mapping[str, str]
    heading: str
    open_link: str


def mark_rows(marks: Sequence[PlanMark]) -> list[list[object]]:
    """[lon, lat, number, status index, title, kind, path, area GeoJSON or None] per
    mark: the mark sits on a point, or on an area's representative point."""
    rows: list[list[object]] = []
    for mark in marks:
        if mark.place.is_empty:
            continue
        anchor = (
            mark.place if mark.place.geom_type == "Point" else mark.place.representative_point()
        )
        area = None
        if mark.place.geom_type != "Point":
            rounded = shapely.set_precision(mark.place, 10**-_COORD_DECIMALS)
            area = shapely.geometry.mapping(rounded)
        rows.append(
            [
                round(anchor.x, _COORD_DECIMALS),
                round(anchor.y, _COORD_DECIMALS),
                int(mark.number),
                _STATUS_CODES.index(mark.status),
                mark.title,
                mark.kind,
                mark.path,
                area,
            ]
        )
    return rows


class _MeasureLayer(SafeScriptElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var rows = {{ this.json(this.rows) }};
            var labels = {{ this.json(this.labels) }};
            var colours = {{ this.json(this.colours) }};
            var shapes = {{ this.json(this.shapes) }};
            var group = L.featureGroup();
            if (!document.getElementById("sq-measure-css")) {
                var style = document.createElement("style");
                style.id = "sq-measure-css";
                style.textContent = {{ this.json(this.css) }};
                document.head.appendChild(style);
            }
            function line(box, tag, text) {
                var el = document.createElement(tag);
                el.textContent = text;
                box.appendChild(el);
                return el;
            }
            // The page's own address: the map sits in a frame of the app's page.
            function address(path) {
                try { return new URL(path, window.top.location.href).href; }
                catch (e) { return path; }
            }
            rows.forEach(function (r) {
                var number = String(r[2]), colour = colours[r[3]];
                var heading = labels.heading.replace("{number}", number);
                function popup() {
                    var box = document.createElement("div");
                    box.className = "sq-measure-popup";
                    box.setAttribute("data-measure-id", number);
                    line(box, "strong", heading + ": " + r[4]);
                    line(box, "div", r[5]);
                    line(box, "div", labels.statuses[r[3]]);
                    var link = line(box, "a", labels.open.replace("{number}", number));
                    link.href = address(r[6]);
                    link.target = "_blank";  // the frame may not navigate the page itself
                    link.rel = "noopener";
                    link.addEventListener("click", function (event) {
                        // Streamlit's frame of the map is sandboxed without top navigation:
                        // follow the same link as one of the app's own page instead.
                        try {
                            var page = window.top.document, same = page.createElement("a");
                            same.href = link.href;
                            page.body.appendChild(same);
                            same.click();
                            same.remove();
                            event.preventDefault();
                        } catch (e) { /* another origin: the new tab opens instead */ }
                    });
                    return box;
                }
                if (r[7]) {
                    L.geoJSON(r[7], {style: {
                        color: colour, weight: 3, fillColor: colour, fillOpacity: 0.12,
                        dashArray: shapes[r[3]] === "dashed" ? "6 5" : null
                    }}).bindPopup(popup).addTo(group);
                }
                var icon = L.divIcon({
                    html: "<span>" + number + "</span>",
                    className: "{{ this.mark_class }} " + shapes[r[3]],
                    iconSize: [28, 28]
                });
                var mark = L.marker([r[1], r[0]], {
                    icon: icon, title: "", bubblingMouseEvents: false, riseOnHover: true
                });
                mark.bindPopup(popup);
                mark.on("add", function () {
                    var el = mark.getElement();
                    el.style.background = colour;
                    el.setAttribute("data-measure-id", number);
                    el.setAttribute("aria-label", heading + ": " + r[4]);
                });
                mark.addTo(group);
            });
            group.addTo({{ this._parent.get_name() }});
            return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, marks: Sequence[PlanMark], labels: PlanMapLabels) -> None:
        super().__init__()
        self._name = "MeasureLayer"
        self.rows = mark_rows(marks)
        self.mark_class = MARK_CLASS
        self.colours = [STATUS_COLOURS[code] for code in _STATUS_CODES]
        self.shapes = [STATUS_SHAPES[code] for code in _STATUS_CODES]
        self.labels = {
            "statuses": [labels.statuses[code] for code in _STATUS_CODES],
            "heading": labels.heading,
            "open": labels.open_link,
        }
        self.css = MARK_CSS


def measures_layer(
    marks: Sequence[PlanMark], labels: PlanMapLabels, *, name: str = "measures"
) -> folium.FeatureGroup:
    """One feature group with every measure's mark (and area outline)."""
    group = folium.FeatureGroup(name=name)
    _MeasureLayer(marks, labels).add_to(group)
    return group
