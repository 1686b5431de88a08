"""SVG written as text: the documents' figures (comparison, plan of measures)."""

from __future__ import annotations

from html import escape
from typing import Final

FONT: Final = "DejaVu Sans, Arial, sans-serif"
TEXT: Final = "#222222"


def text(
    x: float, y: float, content: str, *, size: float, anchor: str = "start", fill: str = TEXT
) -> str:
    """A line of text at (x, y) (its baseline), escaped."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" '
        f'fill="{fill}">{escape(content)}</text>'
    )


def document(width: float, height: float, body: str, *, title: str | None = None) -> str:
    """An SVG picture on white; with `title`, named for screen readers."""
    name = (
        f' role="img" aria-label="{escape(title)}"><title>{escape(title)}</title'
        if title is not None
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}"{name}>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>{body}</svg>'
    )
