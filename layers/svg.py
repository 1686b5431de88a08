"""SVG written as text: the documents' figures (comparison, plan of measures)."""

from __future__ import annotations

from html import escape
from typing import Final

FONT: Final = "DejaVu Sans, Arial, sans-serif"
TEXT: Final = "#222222"


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float,
    anchor: str = "start",
    fill: str = TEXT,
    bold: bool = False,
) -> str:
    """A line of text at (x, y) (its baseline), escaped."""
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" '
        f'fill="{fill}"{weight}>{escape(content)}</text>'
    )


BANNER_HEIGHT: Final = 30.0
BANNER_FILL: Final = "#fff3b0"  # pale yellow; TEXT on it has a contrast of about 15:1


def document(
    width: float, height: float, body: str, *, title: str | None = None, banner: str | None = None
) -> str:
    """An SVG picture on white; with `title`, named for screen readers. With `banner`
    (e.g. "demo data"), a band across the top says it in bold and the picture grows by
    BANNER_HEIGHT, its body moved down beneath the band."""
    name = (
        f' role="img" aria-label="{escape(title)}"><title>{escape(title)}</title'
        if title is not None
        else ""
    )
    if banner is not None:
        band = (
            f'<g class="banner"><rect width="{width:.0f}" height="{BANNER_HEIGHT - 6:g}" '
            f'fill="{BANNER_FILL}" stroke="{TEXT}" stroke-width="1"/>'
            + text(width / 2, 17, banner, size=13, anchor="middle", bold=True)
            + "</g>"
        )
        body = f'{band}<g transform="translate(0 {BANNER_HEIGHT:g})">{body}</g>'
        height += BANNER_HEIGHT
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}"{name}>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>{body}</svg>'
    )
