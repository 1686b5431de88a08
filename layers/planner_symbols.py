"""The planner map's own point symbols and its legend, told apart by shape, not only colour.

Stops are squares with an "H" (as on the signs at German stops), schools are houses
and accidents warning triangles whose small disc says the light (open: day, half:
dusk, full: dark). Every symbol is inline SVG made here from constants, so the map
needs no icon font and no request leaves the app; the legend draws the same SVG.

Legend labels are message ids; the UI translates them (as layers.styles' fields).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from layers.colours import CATEGORY_COLOURS
from layers.raster import DARKNESS, HEAT
from layers.styles import HOTSPOT_COLOURS, LIGHT_COLOURS, RATING_COLOURS, style_for
from rules.errors import N_

SYMBOL_PX: Final = 20
OUTLINE: Final = "#1a1a1a"
SYMBOL_KINDS: Final = ("stop", "school", "accident")
_DOT_RADIUS: Final = 3.2


def _disc(light: str | None) -> str:
    """The small disc in an accident's triangle: open by day, half at dusk, full at night."""
    if light is None:
        return ""
    cx, cy, r = 10, 13.2, _DOT_RADIUS
    if light == "day":  # a ring: the triangle's colour shows through
        return (
            f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="{OUTLINE}" '
            'stroke-width="1.6"/>'
        )
    if light == "dusk":
        return (
            f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="#ffffff" stroke="{OUTLINE}"/>'
            f'<path d="M{cx} {cy - r}A{r} {r} 0 0 1 {cx} {cy + r}Z" fill="{OUTLINE}"/>'
        )
    return f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{OUTLINE}" stroke="#ffffff"/>'


def symbol_svg(kind: str, colour: str, *, light: str | None = None, px: int = SYMBOL_PX) -> str:
    """An inline SVG of one symbol ("stop", "school" or "accident") filled with `colour`.

    >>> symbol_svg("stop", "#0072B2").startswith("<svg")
    True
    >>> symbol_svg("ship", "#000000")
    Traceback (most recent call last):
    ...
    ValueError: 'kind' should be one of ('stop', 'school', 'accident'), got 'ship'
    """
    if kind == "stop":
        body = (
            f'<rect x="2" y="2" width="16" height="16" rx="3" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1.5"/>'
            '<path d="M6.5 5.5v9M13.5 5.5v9M6.5 10h7" stroke="#ffffff" stroke-width="2.2" '
            'fill="none"/>'
        )
    elif kind == "school":
        body = (
            f'<path d="M10 1.5L18.5 8.5V18.5H1.5V8.5Z" fill="{colour}" stroke="#ffffff" '
            'stroke-width="1.5" stroke-linejoin="round"/>'
            '<rect x="8" y="12" width="4" height="6.5" fill="#ffffff"/>'
        )
    elif kind == "accident":
        body = (
            f'<path d="M10 1.5L19 18.5H1Z" fill="{colour}" stroke="{OUTLINE}" '
            'stroke-width="1.4" stroke-linejoin="round"/>' + _disc(light)
        )
    else:
        raise ValueError(f"'kind' should be one of {SYMBOL_KINDS}, got {kind!r}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" '
        f'viewBox="0 0 20 20" aria-hidden="true" focusable="false">{body}</svg>'
    )


# Which layer types get which symbol; the others stay circles (thousands of lamps and
# survey answers draw fast on one canvas, markers would not).
SYMBOL_OF_TYPE: Final[dict[str, str]] = {
    "stops": "stop",
    "schools": "school",
    "accidents": "accident",
}


def layer_icons(layer_type: str) -> dict[str, str] | None:
    """The SVG per value of the layer's colour column ("" for any other value), or None
    for a layer drawn as circles."""
    kind = SYMBOL_OF_TYPE.get(layer_type)
    if kind is None:
        return None
    style = style_for(layer_type)
    icons = {"": symbol_svg(kind, style.colour)}
    for value, colour in style.colours.items():
        icons[value] = symbol_svg(kind, colour, light=value if kind == "accident" else None)
    return icons


def _circle(colour: str, *, px: int = 14) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 14 14" '
        f'aria-hidden="true" focusable="false"><circle cx="7" cy="7" r="5.5" fill="{colour}" '
        f'stroke="#ffffff" stroke-width="1.5"/>'
        "</svg>"
    )


def cell_svg(colour: str, *, dashed: bool) -> str:
    """A hotspot cell as the map draws it: solid outline for hot, dashed for cold."""
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20" '
        f'aria-hidden="true" focusable="false"><rect x="2" y="2" width="16" height="16" '
        f'fill="{colour}" fill-opacity="0.36" stroke="{colour}" stroke-width="2.5"{dash}/></svg>'
    )


def ramp_css(ramp: Sequence[tuple[float, tuple[int, int, int]]]) -> str:
    """A CSS linear-gradient of a raster's colour ramp (layers.raster)."""
    stops = ", ".join(f"rgb{rgb} {position * 100:.0f}%" for position, rgb in ramp)
    return f"linear-gradient(to right, {stops})"


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One line of the legend: a symbol (inline SVG) or a gradient (CSS), and its text."""

    label: str
    svg: str = ""
    gradient: str = ""
    ends: tuple[str, str] = ("", "")  # the gradient's two ends, in words


@dataclass(frozen=True, slots=True)
class LegendSection:
    title: str
    entries: tuple[LegendEntry, ...]


LIGHT_LABELS: Final = {
    "day": N_("accident in daylight (open disc)"),
    "dusk": N_("accident at dusk (half disc)"),
    "dark": N_("accident in the dark (full disc)"),
}
LAMP_LABELS: Final = {
    "ok": N_("lamp working"),
    "defect": N_("lamp defect (larger dot)"),
    "unknown": N_("lamp, state unknown"),
}
RATING_LABELS: Final = {
    "1": N_("1 very unsafe"),
    "2": N_("2 rather unsafe"),
    "3": N_("3 neither"),
    "4": N_("4 rather safe"),
    "5": N_("5 very safe"),
}


def layer_legend(layer_type: str, title: str, translate: Callable[[str], str]) -> LegendSection:
    """What one chosen layer's marks mean."""
    style = style_for(layer_type)
    entries: list[LegendEntry]
    if layer_type == "stops":
        entries = [LegendEntry(translate(N_("stop (H)")), symbol_svg("stop", style.colour))]
    elif layer_type == "schools":
        entries = [
            LegendEntry(
                translate(N_("school or day-care (house)")), symbol_svg("school", style.colour)
            )
        ]
    elif layer_type == "accidents":
        entries = [
            LegendEntry(translate(label), symbol_svg("accident", LIGHT_COLOURS[light], light=light))
            for light, label in LIGHT_LABELS.items()
        ]
    elif layer_type == "lamps":
        entries = [
            LegendEntry(
                translate(label),
                _circle(style.colours[status], px=10 if status != "defect" else 14),
            )
            for status, label in LAMP_LABELS.items()
        ]
    elif layer_type == "survey":
        entries = [
            LegendEntry(translate(label), _circle(RATING_COLOURS[rating]))
            for rating, label in RATING_LABELS.items()
        ]
    else:
        entries = [LegendEntry(translate(N_("feature of this layer")), _circle(style.colour))]
    return LegendSection(title=title, entries=tuple(entries))


def notes_legend(categories: Sequence[str], names: Mapping[str, str], title: str) -> LegendSection:
    """The notes' categories (their colours are layers.colours.CATEGORY_COLOURS)."""
    return LegendSection(
        title=title,
        entries=tuple(LegendEntry(names[c], _circle(CATEGORY_COLOURS[c])) for c in categories),
    )


def analysis_legend(
    analysis: str, title: str, translate: Callable[[str], str], *, far_m: float = 0.0
) -> LegendSection | None:
    """What the analysis overlay's colours mean; None for no analysis."""
    entries: tuple[LegendEntry, ...]
    if analysis == "hotspots":
        entries = (
            LegendEntry(
                translate(N_("hot spot: more points than chance would give (solid edge)")),
                cell_svg(HOTSPOT_COLOURS["hot"], dashed=False),
            ),
            LegendEntry(
                translate(N_("cold spot: fewer points than chance would give (dashed edge)")),
                cell_svg(HOTSPOT_COLOURS["cold"], dashed=True),
            ),
        )
    elif analysis == "density":
        entries = (
            LegendEntry(
                translate(N_("points per area")),
                gradient=ramp_css(HEAT),
                ends=(translate(N_("few")), translate(N_("many"))),
            ),
        )
    elif analysis == "lighting":
        entries = (
            LegendEntry(
                translate(N_("distance to the nearest working lamp")),
                gradient=ramp_css(DARKNESS),
                ends=("0 m", f"≥ {far_m:.0f} m"),
            ),
        )
    else:
        return None
    return LegendSection(title=title, entries=entries)
