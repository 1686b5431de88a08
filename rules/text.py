"""The one cleaning rule for every text a person types and the app stores: notes,
reasons, lab titles and places, measures, layer descriptions."""

from __future__ import annotations

import unicodedata
from typing import Final

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): a right-to-left
# override makes a title read differently from what it says.
_BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(text: str) -> str:
    """Normalise free text: NFC, trimmed, without control characters (newlines and
    tabs stay), NUL included, and without bidi controls.

    Emoji sequences and markup are kept as typed; markup is escaped wherever shown.
    """
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    normalised = unicodedata.normalize("NFC", unified)
    kept = "".join(
        ch
        for ch in normalised
        if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS)
    )
    return kept.strip()


def clean_line(text: str) -> str:
    """clean_text for a one-line text (a title, a place, a name): every run of
    whitespace, line breaks included, becomes one space."""
    return " ".join(clean_text(text).split())
