"""Small maps of where a candidate place or a measure lies, as SVG text.

Two panels side by side: on the left the whole quarter with a frame around the
place, on the right that frame enlarged, with the notes as dots, the place as a
ring (a point) or a shaded area, and a scale bar. No tiles and no script: one
picture per list entry costs a few milliseconds, so a list of 50 stays fast.

Everything comes in EPSG:4326 and is drawn in metres (EPSG:25832, geo.crs), so the
scale bar is true. The layer knows no UI: the picture's accessible name (`label`)
is passed in, translated. Notes are marked `class="note"`, the place
`class="place"`, so a test can count them.

>>> from shapely.geometry import Point, box
>>> svg = place_thumbnail(box(7.54, 51.51, 7.56, 51.53), Point(7.55, 51.52), [], label="Lage")
>>> svg.count('class="note"'), svg.count('class="place"')
(0, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Final

import shapely
from shapely.geometry import MultiPoint, Point, box
from shapely.geometry.base import BaseGeometry

from geo.crs import geometry_to_metric
from layers.svg import FONT, TEXT

PANEL_PX: Final = 150  # each of the two panels is a square this wide
GAP_PX: Final = 8
MIN_WINDOW_M: Final = 200.0  # the enlarged panel shows at least this much ground
MARGIN_PX: Final = 6.0
# Okabe-Ito blue and vermilion: told apart with common colour-vision deficiencies,
# and the marks differ in shape too (filled dots, an open ring, a shaded area).
NOTE_COLOUR: Final = "#0072B2"
PLACE_COLOUR: Final = "#D55E00"
QUARTER_FILL: Final = "#EEF1F4"
QUARTER_LINE: Final = "#4D5660"
FRAME_LINE: Final = "#8A939C"
_SCALE_STEPS_M: Final = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000)


@dataclass(frozen=True, slots=True)
class _Panel:
    """Ground (metres) to panel pixels: x to the right, y downwards."""

    left_m: float
    top_m: float
    px_per_m: float
    offset_px: float  # the panel's left edge in the picture

    def xy(self, x_m: float, y_m: float) -> tuple[float, float]:
        return (
            (x_m - self.left_m) * self.px_per_m,
            (self.top_m - y_m) * self.px_per_m,
        )


def _fit(bounds: tuple[float, float, float, float], offset_px: float) -> _Panel:
    """A panel that shows `bounds` (metres) whole and centred, with a margin."""
    minx, miny, maxx, maxy = bounds
    side_m = max(maxx - minx, maxy - miny, 1.0)
    px_per_m = (PANEL_PX - 2 * MARGIN_PX) / side_m
    half_m = PANEL_PX / 2 / px_per_m
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return _Panel(cx - half_m, cy + half_m, px_per_m, offset_px)


def _path(geom: BaseGeometry, panel: _Panel) -> str:
    """The SVG path data of a polygon's or multipolygon's rings."""
    parts: list[str] = []
    for polygon in getattr(geom, "geoms", [geom]):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = [panel.xy(x, y) for x, y in ring.coords]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _polygons(geom: BaseGeometry) -> BaseGeometry:
    """Only the areas of `geom` (an outline clipped to a frame may hold lines)."""
    kept = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(kept) if kept else Point()


def _scale_m(window_m: float) -> int:
    """A round length of at most a third of the window."""
    return max((s for s in _SCALE_STEPS_M if s <= window_m / 3), default=_SCALE_STEPS_M[0])


def place_thumbnail(
    outline: BaseGeometry | None,
    place: BaseGeometry,
    notes: Sequence[BaseGeometry],
    *,
    label: str,
    min_window_m: float = MIN_WINDOW_M,
) -> str:
    """An SVG picture (text) of where `place` lies in the quarter `outline`, with the
    `notes` (points) as dots; all EPSG:4326. `label` names the picture for screen
    readers. The enlarged panel shows at least `min_window_m` metres of ground, and
    everything of the place and the notes.

    A missing or empty `outline` leaves the quarter out; no `notes` draws no dots."""
    if place.is_empty:
        raise ValueError(f"'place' should be a point or an area, got an empty {place.geom_type}")
    place_m = geometry_to_metric(place)
    dots_m = [(p.x, p.y) for p in getattr(geometry_to_metric(MultiPoint(list(notes))), "geoms", [])]
    quarter_m = None if outline is None or outline.is_empty else _in_metres(outline)

    minx, miny, maxx, maxy = place_m.bounds
    for x, y in dots_m:
        minx, miny, maxx, maxy = min(minx, x), min(miny, y), max(maxx, x), max(maxy, y)
    half_m = max(min_window_m, (maxx - minx) * 1.25, (maxy - miny) * 1.25) / 2
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    window = box(cx - half_m, cy - half_m, cx + half_m, cy + half_m)

    detail = _fit(window.bounds, PANEL_PX + GAP_PX)
    body = [
        _overview_panel(quarter_m, window),
        _detail_panel(detail, quarter_m, window, place_m, dots_m, side_m=2 * half_m),
    ]
    width = 2 * PANEL_PX + GAP_PX
    name = escape(label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{PANEL_PX}" '
        f'viewBox="0 0 {width} {PANEL_PX}" style="max-width:100%;height:auto" '
        f'font-family="{FONT}" role="img" '
        f'aria-label="{name}"><title>{name}</title>{"".join(body)}</svg>'
    )


def _panel(panel: _Panel, content: str) -> str:
    """A framed square panel; what lies outside it is cut off (a nested svg clips)."""
    return (
        f'<svg x="{panel.offset_px:.0f}" y="0" width="{PANEL_PX}" height="{PANEL_PX}">'
        f'<rect width="100%" height="100%" fill="#ffffff"/>{content}'
        f'<rect x="0.5" y="0.5" width="{PANEL_PX - 1}" height="{PANEL_PX - 1}" fill="none" '
        f'stroke="{FRAME_LINE}"/></svg>'
    )


@lru_cache(maxsize=32)
def _in_metres(outline: BaseGeometry) -> BaseGeometry:
    """A quarter's outline in metres, once per quarter (a list has many entries per
    quarter)."""
    return geometry_to_metric(outline)


@lru_cache(maxsize=32)
def _overview_base(quarter_m: BaseGeometry) -> tuple[_Panel, str]:
    """The overview panel of a quarter and its outline drawn there, once per quarter."""
    panel = _fit(quarter_m.bounds, 0.0)
    return panel, _quarter(panel, quarter_m, None)


def _quarter(panel: _Panel, quarter_m: BaseGeometry | None, clip: BaseGeometry | None) -> str:
    if quarter_m is None:
        return ""
    shown = quarter_m if clip is None else _polygons(shapely.clip_by_rect(quarter_m, *clip.bounds))
    # No detail finer than half a pixel: a district's thousand vertices become a few dozen.
    shown = shown.simplify(0.5 / panel.px_per_m)
    return (
        f'<path d="{_path(shown, panel)}" fill="{QUARTER_FILL}" fill-rule="evenodd" '
        f'stroke="{QUARTER_LINE}" stroke-width="1.2"/>'
    )


def _overview_panel(quarter_m: BaseGeometry | None, window: BaseGeometry) -> str:
    """The whole quarter; a frame (at least 10 px) where the enlarged panel lies."""
    if quarter_m is None:
        panel, outline = _fit(window.bounds, 0.0), ""
    else:
        panel, outline = _overview_base(quarter_m)
    minx, miny, maxx, maxy = window.bounds
    (x0, y0), (x1, y1) = panel.xy(minx, maxy), panel.xy(maxx, miny)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max((x1 - x0) / 2, 5.0)
    frame = (
        f'<rect x="{cx - half:.1f}" y="{cy - half:.1f}" width="{2 * half:.1f}" '
        f'height="{2 * half:.1f}" fill="{PLACE_COLOUR}" fill-opacity="0.25" '
        f'stroke="{TEXT}" stroke-width="1.5"/>'
    )
    return _panel(panel, outline + frame)


def _detail_panel(
    panel: _Panel,
    quarter_m: BaseGeometry | None,
    window: BaseGeometry,
    place_m: BaseGeometry,
    dots_m: Sequence[tuple[float, float]],
    *,
    side_m: float,
) -> str:
    """The place enlarged: the quarter's edge, the place, the notes, a scale bar."""
    marks = [_quarter(panel, quarter_m, window.buffer(side_m * 0.05))]
    if place_m.geom_type == "Point":
        x, y = panel.xy(place_m.x, place_m.y)
        marks.append(
            f'<circle class="place" cx="{x:.1f}" cy="{y:.1f}" r="11" fill="none" '
            f'stroke="{PLACE_COLOUR}" stroke-width="3"/>'
        )
    else:
        marks.append(
            f'<path class="place" d="{_path(place_m, panel)}" fill="{PLACE_COLOUR}" '
            f'fill-opacity="0.2" fill-rule="evenodd" stroke="{PLACE_COLOUR}" '
            f'stroke-width="2" stroke-dasharray="5 3"/>'
        )
    for dx, dy in dots_m:
        x, y = panel.xy(dx, dy)
        marks.append(
            f'<circle class="note" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{NOTE_COLOUR}" '
            f'stroke="#ffffff" stroke-width="1"/>'
        )
    scale_m = _scale_m(side_m)
    length = scale_m * panel.px_per_m
    words = f"{scale_m} m"
    base = PANEL_PX - 8
    marks.append(
        f'<rect x="4" y="{base - 15}" width="{max(length, 6.5 * len(words)) + 10:.1f}" '
        f'height="19" fill="#ffffff" fill-opacity="0.85"/>'
        f'<path d="M9,{base - 4}V{base}H{9 + length:.1f}V{base - 4}" fill="none" '
        f'stroke="{TEXT}" stroke-width="1.5"/>'
        f'<text x="9" y="{base - 5}" font-size="10" fill="{TEXT}">{words}</text>'
    )
    return _panel(panel, "".join(marks))
