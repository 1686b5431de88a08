"""A quarter's static map for the plan of measures, as a reportlab drawing: vector
shapes that go into the PDF as they are and into the HTML page as SVG. No raster,
no Matplotlib: a map is drawn in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from reportlab.graphics.shapes import Circle, Drawing, Group, Path, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from shapely.geometry.base import BaseGeometry

from layers import svg
from layers.compare_figures import scale_bar_metres, scale_label
from layers.fonts import document_font

STATUS_COLOURS = {
    "proposed": "#999999",
    "discussed": "#0072b2",
    "decided": "#e69f00",
    "in_progress": "#56b4e9",
    "done": "#009e73",
    "rejected": "#cc79a7",
}
HOT_COLOUR = "#f03b20"
HOT_OPACITY = 0.35
NOTE_COLOUR = "#444444"
NOTE_OPACITY = 0.6
_PAD = 8.0  # points around the quarter
_LINE = 11.0  # one line of the key beneath the map
_KEY_PAD = 5.0  # inside the key's box
_SCALE_BAR_MAX = 110.0  # points
_SWATCH = 16.0  # room for a key entry's symbol


@dataclass(frozen=True, slots=True)
class MapMeasure:
    number: int
    place: BaseGeometry  # metric CRS
    status: str


@dataclass(frozen=True, slots=True)
class MapKey:
    """The key's words, already translated: statuses (status -> label), notes, hot cells."""

    statuses: dict[str, str]
    notes: str
    hot_cells: str


def plan_map(
    outline: BaseGeometry,
    pins: gpd.GeoDataFrame,
    hot_cells: gpd.GeoDataFrame,
    measures: Sequence[MapMeasure],
    *,
    key: MapKey,
    width: float,
    height: float,
) -> Drawing:
    """The quarter, its notes, its significant hot cells and its measures numbered and
    coloured by status, north up, in a frame of `width` x `height` points; every
    geometry in one metric CRS. Beneath the frame, never over the quarter, the key
    (notes, hot cells, each status) and a scale bar; the drawing is as much taller.
    Its parts are named for tests: `drawing.quarter` (the outline), `drawing.key`,
    `drawing.scale_bar`."""
    font = document_font()
    entries = _key_entries(key)
    key_h = _key_height(entries, width, font)
    fit = _Fit.of(outline.bounds, width, height, bottom=key_h)
    drawing = Drawing(width, height + key_h)
    for ring in _exteriors([outline]):
        drawing.add(
            Polygon(fit.points(ring), fillColor=colors.HexColor("#f4f4f4"), strokeColor=None)
        )
    hot = colors.HexColor(HOT_COLOUR)
    for ring in _exteriors(hot_cells.geometry.to_numpy() if len(hot_cells) else []):
        drawing.add(
            Polygon(fit.points(ring), fillColor=hot, fillOpacity=HOT_OPACITY, strokeColor=None)
        )
    quarter = Group()
    for ring in _all_rings([outline]):
        quarter.add(
            Polygon(
                fit.points(ring),
                fillColor=None,
                strokeColor=colors.HexColor("#222222"),
                strokeWidth=1.1,
            )
        )
    drawing.add(quarter, name="quarter")
    if len(pins):
        points = pins.geometry.to_numpy()
        drawing.add(_dots(*fit.xy(shapely.get_x(points), shapely.get_y(points))))
    for measure in measures:
        colour = colors.HexColor(STATUS_COLOURS.get(measure.status, "#000000"))
        if measure.place.geom_type != "Point":
            for ring in _all_rings([measure.place]):
                drawing.add(
                    Polygon(fit.points(ring), fillColor=None, strokeColor=colour, strokeWidth=1.6)
                )
        point = measure.place.representative_point()
        (cx,), (cy,) = fit.xy(np.array([point.x]), np.array([point.y]))
        drawing.add(
            Circle(cx, cy, 6.5, fillColor=colour, strokeColor=colors.white, strokeWidth=1.2)
        )
        drawing.add(
            String(
                cx,
                cy - 2.4,
                str(measure.number),
                fontName=font,
                fontSize=7,
                fillColor=colors.white,
                textAnchor="middle",
            )
        )
    drawing.add(_key(entries, width, key_h, font), name="key")
    drawing.add(_scale_bar(fit.scale, width, key_h, font), name="scale_bar")
    return drawing


def drawing_svg(drawing: Drawing, title: str) -> str:
    """The drawing as SVG, named `title` for screen readers, to put inline in an HTML
    page. Written directly (reportlab's own SVG renderer builds a DOM: a fifth of a
    second per map) for the shapes plan_map uses."""
    height = float(drawing.height)
    body = "".join(_svg_shape(shape, height) for shape in drawing.contents)
    return svg.document(float(drawing.width), height, body, title=title)


def _svg_shape(shape: object, height: float) -> str:
    """One shape, y turned downwards (SVG) from upwards (reportlab)."""
    if isinstance(shape, Group):  # plan_map's groups are not transformed
        return "<g>" + "".join(_svg_shape(part, height) for part in shape.contents) + "</g>"
    if isinstance(shape, String):
        colour = _hex(shape.fillColor) or svg.TEXT
        return svg.text(
            shape.x,
            height - shape.y,
            shape.text,
            size=shape.fontSize,
            anchor=shape.textAnchor,
            fill=colour,
        )
    paint = _paint(shape)
    if isinstance(shape, Circle):
        return f'<circle cx="{shape.cx:g}" cy="{height - shape.cy:g}" r="{shape.r:g}"{paint}/>'
    if isinstance(shape, Rect):
        top = height - shape.y - shape.height
        return (
            f'<rect x="{shape.x:g}" y="{top:g}" width="{shape.width:g}" '
            f'height="{shape.height:g}"{paint}/>'
        )
    if isinstance(shape, Polygon):
        xs, ys = shape.points[0::2], shape.points[1::2]
        corners = " ".join(f"{x:g},{height - y:g}" for x, y in zip(xs, ys, strict=True))
        return f'<path d="M{corners}Z"{paint}/>'
    if isinstance(shape, Path):
        return f'<path d="{_path_data(shape, height)}"{paint}/>'
    raise TypeError(f"plan maps hold no {type(shape).__name__}")


def _path_data(path: Path, height: float) -> str:
    steps, at = [], 0
    for op in path.operators:
        if op == 3:  # closePath
            steps.append("Z")
            continue
        x, y = path.points[at], path.points[at + 1]
        at += 2
        steps.append(f"{'M' if op == 0 else 'L'}{x:g},{height - y:g}")
    return "".join(steps)


def _paint(shape: Any) -> str:
    fill, stroke = _hex(shape.fillColor), _hex(shape.strokeColor)
    parts = [f' fill="{fill or "none"}"']
    if fill and getattr(shape, "fillOpacity", None) is not None:
        parts.append(f' fill-opacity="{shape.fillOpacity:g}"')
    if stroke:
        parts.append(f' stroke="{stroke}" stroke-width="{shape.strokeWidth:g}"')
    return "".join(parts)


def _hex(colour: colors.Color | None) -> str | None:
    return None if colour is None else "#" + colour.hexval()[2:]


def _dots(x: np.ndarray, y: np.ndarray, size: float = 2.0) -> Path:
    """One small square per note, all in one path: reportlab draws a shape in about a
    third of a millisecond, so 1,200 separate dots took most of a second per map."""
    half = size / 2
    corners = np.stack(
        [x - half, y - half, x + half, y - half, x + half, y + half, x - half, y + half], axis=1
    )
    # moveTo, lineTo x3, closePath per square (reportlab's operator codes 0, 1, 3).
    operators = [0, 1, 1, 1, 3] * len(x)
    return Path(
        points=np.round(corners, 2).ravel().tolist(),
        operators=operators,
        fillColor=colors.HexColor(NOTE_COLOUR),
        fillOpacity=NOTE_OPACITY,
        strokeColor=None,
    )


# A key entry: (kind, colour, text); kind "dots", "hot" or "status".
_Entry = tuple[str, str, str]


def _key_entries(key: MapKey) -> list[_Entry]:
    return [
        ("dots", NOTE_COLOUR, key.notes),
        ("hot", HOT_COLOUR, key.hot_cells),
        *(
            ("status", STATUS_COLOURS[s], text)
            for s, text in key.statuses.items()
            if s in STATUS_COLOURS
        ),
    ]


def _columns(entries: Sequence[_Entry], width: float, font: str) -> tuple[int, float]:
    """How many columns the key's entries take beside the scale bar, and their width."""
    column_w = _SWATCH + max(stringWidth(text, font, 7) for _k, _c, text in entries) + 10
    room = width - 2 * _KEY_PAD - _SCALE_BAR_MAX - 30
    return max(1, min(len(entries), int(room // column_w))), column_w


def _key_height(entries: Sequence[_Entry], width: float, font: str) -> float:
    columns, _ = _columns(entries, width, font)
    rows = -(-len(entries) // columns)
    return rows * _LINE + 2 * _KEY_PAD + 4


def _key(entries: Sequence[_Entry], width: float, height: float, font: str) -> Group:
    """The key in a box along the drawing's bottom edge, column by column."""
    columns, column_w = _columns(entries, width, font)
    rows = -(-len(entries) // columns)
    box_h = height - 4
    group = Group(
        Rect(
            0.5,
            0.5,
            columns * column_w + 2 * _KEY_PAD,
            box_h,
            fillColor=colors.white,
            strokeColor=colors.HexColor("#cccccc"),
            strokeWidth=0.5,
        )
    )
    for i, (kind, colour, text) in enumerate(entries):
        x = _KEY_PAD + (i // rows) * column_w
        y = box_h - _KEY_PAD - (i % rows + 1) * _LINE + 2.5
        fill = colors.HexColor(colour)
        if kind == "dots":
            group.add(
                Rect(
                    x + 3,
                    y + 1.5,
                    2.5,
                    2.5,
                    fillColor=fill,
                    fillOpacity=NOTE_OPACITY,
                    strokeColor=None,
                )
            )
            group.add(
                Rect(
                    x + 7,
                    y + 4,
                    2.5,
                    2.5,
                    fillColor=fill,
                    fillOpacity=NOTE_OPACITY,
                    strokeColor=None,
                )
            )
        elif kind == "hot":
            group.add(
                Rect(x + 1, y, 9, 7, fillColor=fill, fillOpacity=HOT_OPACITY, strokeColor=None)
            )
        else:
            group.add(Circle(x + 5, y + 3, 3.2, fillColor=fill, strokeColor=None))
        group.add(
            String(
                x + _SWATCH,
                y + 0.5,
                text,
                fontName=font,
                fontSize=7,
                fillColor=colors.HexColor("#222222"),
            )
        )
    return group


def _scale_bar(points_per_metre: float, width: float, height: float, font: str) -> Group:
    """A scale bar in the bottom right corner, beside the key: dark and light halves,
    its round length (100 m, 200 m, 500 m, 1 km, …) written above its right end."""
    metres = scale_bar_metres(points_per_metre, max_px=_SCALE_BAR_MAX)
    length = metres * points_per_metre
    x, y = width - length - 14, _KEY_PAD + 2
    dark = colors.HexColor("#222222")
    return Group(
        Rect(x, y, length, 4, fillColor=colors.white, strokeColor=dark, strokeWidth=0.6),
        Rect(x, y, length / 2, 4, fillColor=dark, strokeColor=None),
        String(x, y + 7, "0", fontName=font, fontSize=7, fillColor=dark, textAnchor="middle"),
        String(
            x + length,
            y + 7,
            scale_label(metres),
            fontName=font,
            fontSize=7,
            fillColor=dark,
            textAnchor="middle",
        ),
    )


@dataclass(frozen=True, slots=True)
class _Fit:
    """Metric coordinates onto the drawing, scale kept, centred (reportlab's y points up,
    as northings do)."""

    scale: float
    dx: float
    dy: float

    @classmethod
    def of(
        cls,
        bounds: tuple[float, float, float, float],
        width: float,
        height: float,
        *,
        bottom: float = 0.0,
    ) -> _Fit:
        """`bounds` centred in the frame of `width` x `height` whose lower edge is at
        `bottom`."""
        min_x, min_y, max_x, max_y = bounds
        span_x, span_y = max(max_x - min_x, 1e-9), max(max_y - min_y, 1e-9)
        scale = min((width - 2 * _PAD) / span_x, (height - 2 * _PAD) / span_y)
        return cls(
            scale=scale,
            dx=(width - span_x * scale) / 2 - min_x * scale,
            dy=bottom + (height - span_y * scale) / 2 - min_y * scale,
        )

    def xy(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.round(x * self.scale + self.dx, 2), np.round(y * self.scale + self.dy, 2)

    def points(self, ring: np.ndarray) -> list[float]:
        x, y = self.xy(ring[:, 0], ring[:, 1])
        return np.column_stack([x, y]).ravel().tolist()


def _polygons(geoms: Iterable[BaseGeometry]) -> np.ndarray:
    parts = shapely.get_parts(np.asarray(list(geoms), dtype=object))
    return parts[shapely.get_type_id(parts) == 3]


def _exteriors(geoms: Iterable[BaseGeometry]) -> list[np.ndarray]:
    return [shapely.get_coordinates(p.exterior) for p in _polygons(geoms)]


def _all_rings(geoms: Iterable[BaseGeometry]) -> list[np.ndarray]:
    rings = []
    for polygon in _polygons(geoms):
        rings.append(shapely.get_coordinates(polygon.exterior))
        rings += [shapely.get_coordinates(hole) for hole in polygon.interiors]
    return rings
