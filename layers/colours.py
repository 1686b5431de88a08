"""Colours of the map's marks."""

from __future__ import annotations

from typing import Final

# Marker colours per category: distinguishable, also for common colour-vision
# deficiencies (Okabe-Ito palette plus grey).
CATEGORY_COLOURS: Final[dict[str, str]] = {
    "dark": "#000000",
    "hidden": "#E69F00",
    "deserted": "#56B4E9",
    "harassment": "#CC79A7",
    "traffic": "#D55E00",
    "litter": "#009E73",
    "gathering": "#0072B2",
    "other": "#777777",
}
