"""The one typeface of the documents the app makes (PDF and its pictures)."""

from __future__ import annotations

from importlib.resources import files
from typing import Final

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT: Final = "DejaVuSans"
# DejaVu Sans has every letter German needs and ships with Matplotlib (a dependency),
# so no system font is needed.
_FONT_FILE = files("matplotlib") / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


def document_font() -> str:
    """The font's name, registered with reportlab on first use."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONT_FILE)))
    return FONT
