"""The comparison's figures as SVG: small multiple maps on one scale and bar charts
with their counts. Static pictures, so the page prints as it looks; written here as
text, a figure takes milliseconds where Matplotlib took most of a second.

Texts come in already translated; nothing here knows the language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.classes import classify
from layers import svg

# Class 0 ("no notes") light grey, then a colour-blind-safe sequential ramp (ColorBrewer YlOrRd).
CLASS_COLOURS = ("#f0f0f0", "#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
QUARTER_COLOURS = ("#0072b2", "#e69f00", "#009e73")  # Okabe-Ito, one per quarter
GREYED = "#bbbbbb"
TEXT = svg.TEXT

# Sizes in SVG units (pixels at 100 %).
_PANEL = 360.0  # a map's square
_GAP = 24.0
_MARGIN = 12.0
_TITLE = 28.0
_LEGEND = 64.0
_SCALE_BAR = 30.0  # the row of scale bars under the maps
_SCALE_BAR_MAX = 0.4 * _PANEL  # a scale bar is at most this long
# A scale bar's lengths, in metres: the longest one that fits is drawn.
SCALE_BAR_METRES = (100, 200, 500, 1000, 2000, 5000)
_BAR = 11.0  # one quarter's bar
_GROUP_GAP = 10.0
_BARS_W = 520.0  # a bar chart's width: the same for every chart, so its text reads alike
_MIN_SCALE_W = 240.0  # the bars' 0 … 100 % at least
_CHAR_W = 6.8  # average width of a 12 px character, to leave room for labels


@dataclass(frozen=True, slots=True)
class MapPanel:
    title: str
    grid: gpd.GeoDataFrame  # cells in a metric CRS with a "count" column
    outline: BaseGeometry  # the quarter, same CRS


def class_colours(breaks: np.ndarray) -> list[str]:
    """The colour of each class of `breaks` (class 0 first)."""
    ramp = CLASS_COLOURS[1:]
    picked = [
        ramp[round(i * (len(ramp) - 1) / max(len(breaks) - 2, 1))] for i in range(len(breaks) - 1)
    ]
    return [CLASS_COLOURS[0], *picked]


def class_labels(breaks: np.ndarray, none_label: str) -> list[str]:
    """ "0 (none)", then "1–3", "4–7", … for each class of `breaks`."""
    labels = [f"0 ({none_label})"]
    lower = 1
    for upper in breaks[1:]:
        top = int(upper)
        labels.append(f"{lower}" if top == lower else f"{lower}–{top}")
        lower = top + 1
    return labels


def small_multiples_svg(
    panels: Sequence[MapPanel],
    breaks: np.ndarray,
    *,
    legend_title: str,
    none_label: str,
    banner: str | None = None,
) -> str:
    """One row of maps, one per quarter, every cell coloured by the same classes, with
    one legend for all. Every map is drawn at the same scale (metres per pixel), the
    largest quarter filling its square, so areas compare at a glance; under each map a
    scale bar (`<g class="scalebar" data-metres="…">`). Each map is a group
    `<g class="map">` holding one path per class (`class="cells"`, its colour as fill)
    and the quarter's outline. With `banner`, the picture says so above everything
    (demo data)."""
    colours = class_colours(breaks)
    width = 2 * _MARGIN + len(panels) * _PANEL + max(len(panels) - 1, 0) * _GAP
    height = _TITLE + _PANEL + _SCALE_BAR + _LEGEND
    px_per_metre = shared_scale([p.outline.bounds for p in panels], size=_PANEL - 8)
    parts = [
        _map_group(panel, breaks, colours, left=_MARGIN + i * (_PANEL + _GAP), scale=px_per_metre)
        for i, panel in enumerate(panels)
    ]
    parts.append(
        _class_legend(
            colours, class_labels(breaks, none_label), legend_title, width, top=_TITLE + _PANEL
        )
    )
    return svg.document(width, height, "".join(parts), banner=banner)


def map_panels_svg(
    panels: Sequence[MapPanel],
    breaks: np.ndarray,
    *,
    legend_title: str,
    none_label: str,
    banner: str | None = None,
) -> tuple[list[str], str]:
    """The maps of small_multiples_svg each as a picture of its own, all of one size and
    one scale, and their legend as one more: for a screen that sets them side by side
    when wide and one under another when narrow (a phone)."""
    colours = class_colours(breaks)
    px_per_metre = shared_scale([p.outline.bounds for p in panels], size=_PANEL - 8)
    width = _PANEL + 2 * _MARGIN
    maps = [
        svg.document(
            width,
            _TITLE + _PANEL + _SCALE_BAR,
            _map_group(panel, breaks, colours, left=_MARGIN, scale=px_per_metre),
            banner=banner,
        )
        for panel in panels
    ]
    labels = class_labels(breaks, none_label)
    legend_w = max(width, 2 * _MARGIN + 100 * len(labels))
    legend = _class_legend(colours, labels, legend_title, legend_w, top=-_SCALE_BAR)
    return maps, svg.document(legend_w, _LEGEND - 12, legend)


def _map_group(
    panel: MapPanel, breaks: np.ndarray, colours: Sequence[str], *, left: float, scale: float
) -> str:
    """One quarter's map in the square at `left`, `scale` pixels per metre, its title
    above and its scale bar beneath."""
    place = _Placement.fit(panel.outline.bounds, left=left, top=_TITLE, size=_PANEL, scale=scale)
    classes = classify(panel.grid["count"].to_numpy(), breaks)
    cells = panel.grid.geometry.to_numpy()
    paths = [
        f'<path class="cells" fill="{colour}" d="{place.path(cells[classes == c])}"/>'
        for c, colour in enumerate(colours)
        if (classes == c).any()
    ]
    title = svg.text(left + _PANEL / 2, 18, panel.title, size=14, anchor="middle")
    bar = scale_bar_svg(left + 4, _TITLE + _PANEL + 8, scale)
    return (
        f'<g class="map">{title}'
        f'<g stroke="#ffffff" stroke-width="0.4">{"".join(paths)}</g>'
        f'<path class="outline" fill="none" stroke="{TEXT}" stroke-width="1.4" '
        f'd="{place.path(_rings(panel.outline))}"/>{bar}</g>'
    )


def shared_scale(bounds: Sequence[tuple[float, float, float, float]], *, size: float) -> float:
    """Pixels per metre that fit the largest of `bounds` (min x, min y, max x, max y in
    metres) into a square of `size` pixels: one scale for every map."""
    spans = [max(b[2] - b[0], b[3] - b[1]) for b in bounds]
    return size / max(max(spans, default=0.0), 1e-9)


def scale_bar_metres(px_per_metre: float, *, max_px: float = _SCALE_BAR_MAX) -> int:
    """The longest round length of SCALE_BAR_METRES that is at most `max_px` long at
    `px_per_metre` (the shortest when none fits)."""
    fitting = [m for m in SCALE_BAR_METRES if m * px_per_metre <= max_px]
    return fitting[-1] if fitting else SCALE_BAR_METRES[0]


def scale_label(metres: int) -> str:
    """ "500 m", "1 km", "2 km" (the same in German and English)."""
    return f"{metres // 1000} km" if metres >= 1000 and metres % 1000 == 0 else f"{metres} m"


def scale_bar_svg(x: float, y: float, px_per_metre: float) -> str:
    """A scale bar from (x, y) to the right: two halves, dark and light, ticks at both
    ends and the middle, its length written beneath."""
    metres = scale_bar_metres(px_per_metre)
    length = metres * px_per_metre
    half = length / 2
    return (
        f'<g class="scalebar" data-metres="{metres}">'
        f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{length:.2f}" height="5" '
        f'fill="#ffffff" stroke="{TEXT}" stroke-width="1"/>'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{half:.2f}" height="5" fill="{TEXT}"/>'
        + svg.text(x, y + 18, "0", size=11)
        + svg.text(x + length, y + 18, scale_label(metres), size=11, anchor="middle")
        + "</g>"
    )


def bars_svg(
    labels: Sequence[str],
    quarters: Sequence[str],
    counts: np.ndarray,
    shares: np.ndarray,
    *,
    title: str,
    greyed: Sequence[bool],
    banner: str | None = None,
) -> str:
    """Horizontal bars: for each label, one bar per quarter (its share), with the count
    written at the bar ("12 · 41 %"). Quarters with too few notes are drawn grey. With
    `banner`, the picture says so above everything (demo data)."""
    rows, columns = len(labels), len(quarters)
    label_w = max((len(label) for label in labels), default=0) * _CHAR_W + 12
    values = np.nan_to_num(np.asarray(shares, dtype=float)) * 100
    top_value = max(100.0, float(values.max(initial=0.0)) + 15)
    scale_w = max(_MIN_SCALE_W, _BARS_W - _MARGIN - label_w - 90)
    per_percent = scale_w / top_value
    legend_y = _TITLE + 6
    chart_top = legend_y + 26
    group_h = columns * _BAR + _GROUP_GAP
    axis_y = chart_top + rows * group_h
    width = _MARGIN + label_w + scale_w + 90
    height = axis_y + 40
    x0 = _MARGIN + label_w
    colours = [
        GREYED if greyed[j] else QUARTER_COLOURS[j % len(QUARTER_COLOURS)] for j in range(columns)
    ]
    parts = [svg.text(width / 2, 20, title, size=14, anchor="middle")]
    step = max((len(q) for q in quarters), default=0) * _CHAR_W + 34
    legend_x = max(_MARGIN, min(x0, width - _MARGIN - step * columns))
    for j, quarter in enumerate(quarters):  # the legend: which colour is which quarter
        x = legend_x + j * step
        parts.append(
            f'<rect x="{x:.1f}" y="{legend_y}" width="12" height="12" fill="{colours[j]}"/>'
        )
        parts.append(svg.text(x + 17, legend_y + 10.5, quarter, size=12))
    for tick in range(0, int(top_value) + 1, 25):
        x = x0 + tick * per_percent
        parts.append(
            f'<line x1="{x:.1f}" y1="{chart_top - 4}" x2="{x:.1f}" y2="{axis_y}" '
            'stroke="#dddddd" stroke-width="1"/>'
        )
        parts.append(svg.text(x, axis_y + 16, f"{tick} %", size=11, anchor="middle"))
    for i, label in enumerate(labels):
        y = chart_top + i * group_h
        parts.append(svg.text(x0 - 8, y + columns * _BAR / 2 + 4, label, size=12, anchor="end"))
        for j in range(columns):
            bar_y = y + j * _BAR
            length = values[i, j] * per_percent
            parts.append(
                f'<rect class="bar" x="{x0:.1f}" y="{bar_y:.1f}" width="{length:.1f}" '
                f'height="{_BAR - 1:.1f}" fill="{colours[j]}"/>'
            )
            parts.append(
                svg.text(
                    x0 + length + 4,
                    bar_y + _BAR - 2,
                    f"{int(counts[i, j])} · {values[i, j]:.0f} %",
                    size=11,
                )
            )
    parts.append(
        f'<line x1="{x0:.1f}" y1="{chart_top - 4}" x2="{x0:.1f}" y2="{axis_y}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    )
    return svg.document(width, height, "".join(parts), banner=banner)


@dataclass(frozen=True, slots=True)
class _Placement:
    """Metric coordinates onto a square of the picture, north up, scale kept."""

    left: float
    top: float
    scale: float
    min_x: float
    max_y: float

    @classmethod
    def fit(
        cls,
        bounds: tuple[float, float, float, float],
        *,
        left: float,
        top: float,
        size: float,
        scale: float,
    ) -> _Placement:
        """`bounds` centred in the square at (`left`, `top`), `scale` pixels per metre."""
        min_x, min_y, max_x, max_y = bounds
        span_x, span_y = max_x - min_x, max_y - min_y
        return cls(
            left=left + (size - span_x * scale) / 2,
            top=top + (size - span_y * scale) / 2,
            scale=scale,
            min_x=min_x,
            max_y=max_y,
        )

    def path(self, rings_or_polygons: np.ndarray) -> str:
        """An SVG path of rings (or the outer rings of polygons), one subpath each."""
        rings = np.asarray(rings_or_polygons, dtype=object)
        if rings.size == 0:
            return ""
        if (shapely.get_type_id(rings) == 3).any():
            rings = shapely.get_exterior_ring(rings)
        coords = shapely.get_coordinates(rings)
        x = np.round(self.left + (coords[:, 0] - self.min_x) * self.scale, 1)
        y = np.round(self.top + (self.max_y - coords[:, 1]) * self.scale, 1)
        ends = np.cumsum(shapely.get_num_coordinates(rings))
        starts = np.concatenate([[0], ends[:-1]])
        points = [f"{a:g},{b:g}" for a, b in zip(x.tolist(), y.tolist(), strict=True)]
        return "".join(
            f"M{points[s]}L{' '.join(points[s + 1 : e])}Z"
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
            if e - s >= 3
        )


def _rings(outline: BaseGeometry) -> np.ndarray:
    """The outer and inner rings of a (multi)polygon."""
    polygons = shapely.get_parts(np.asarray([outline], dtype=object))
    polygons = polygons[shapely.get_type_id(polygons) == 3]
    rings = [shapely.get_exterior_ring(polygons)]
    rings += [np.asarray(list(p.interiors), dtype=object) for p in polygons]
    return np.concatenate(rings) if rings else np.empty(0, dtype=object)


def _class_legend(
    colours: Sequence[str], labels: Sequence[str], title: str, width: float, *, top: float
) -> str:
    """The classes' legend, centred, beneath the scale bars that end at `top` + _SCALE_BAR."""
    y = top + _SCALE_BAR + 14
    step = min(120.0, (width - 2 * _MARGIN) / max(len(labels), 1))
    left = (width - step * len(labels)) / 2
    items = [svg.text(width / 2, y + 4, title, size=12, anchor="middle")]
    for i, (colour, label) in enumerate(zip(colours, labels, strict=True)):
        x = left + i * step
        items.append(
            f'<rect x="{x:.1f}" y="{y + 16}" width="14" height="14" fill="{colour}" '
            'stroke="#999999" stroke-width="0.6"/>'
        )
        items.append(svg.text(x + 19, y + 27, label, size=12))
    return f'<g class="legend">{"".join(items)}</g>'
