"""How each kind of planner layer is drawn and what its popup shows.

Field labels are message ids; the UI translates them before drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from layers.features import FeatureStyle
from rules.errors import N_

LIGHT_COLOURS: Final = {"day": "#f0c419", "dusk": "#e67e22", "dark": "#1f2a6b"}
RATING_COLOURS: Final = {
    "1": "#b2182b",
    "2": "#ef8a62",
    "3": "#bdbdbd",
    "4": "#67a9cf",
    "5": "#2166ac",
}
HOTSPOT_COLOURS: Final = {"hot": "#d7301f", "cold": "#2b8cbe"}

STYLES: Final[dict[str, FeatureStyle]] = {
    "accidents": FeatureStyle(radius=4, colour_by="light", colours=LIGHT_COLOURS),
    "stops": FeatureStyle(colour="#0072B2", radius=4),
    "schools": FeatureStyle(colour="#009E73", radius=5),
    "lamps": FeatureStyle(
        radius=3,
        colour_by="status",
        colours={"ok": "#e6c300", "defect": "#d00000", "unknown": "#999999"},
        radii={"defect": 5},  # a defect lamp is larger, not only red
    ),
    "survey": FeatureStyle(radius=5, colour_by="rating", colours=RATING_COLOURS),
    "vector": FeatureStyle(colour="#555555", radius=4),
    # Drawn above the notes: the fill lets them show through, a tap on one opens it.
    # Cold cells' edges are dashed, so hot and cold differ by more than their colour.
    "hotspots": FeatureStyle(
        weight=2.5,
        fill_opacity=0.9,
        colour_by="label",
        colours=HOTSPOT_COLOURS,
        dashes={"cold": "4 3"},
        points_first=True,  # a note under a cell still opens with a tap
    ),
}

FIELDS: Final[dict[str, list[tuple[str, str]]]] = {
    "accidents": [
        ("year", N_("year")),
        ("category", N_("severity (1 killed, 3 slightly)")),
        ("light", N_("light")),
        ("pedestrian", N_("pedestrian involved")),
        ("cyclist", N_("cyclist involved")),
    ],
    "stops": [("name", N_("name")), ("stop_id", N_("stop id"))],
    "schools": [("name", N_("name")), ("type", N_("type"))],
    "lamps": [
        ("lamp_id", N_("lamp")),
        ("status", N_("status")),
        ("height_m", N_("height (m)")),
        ("power_w", N_("power (W)")),
    ],
    "survey": [
        ("rating", N_("felt safety (1 very unsafe … 5 very safe)")),
        ("time_band", N_("time of day")),
        ("answered_at", N_("answered")),
    ],
    "hotspots": [
        ("count", N_("points in cell")),
        ("z", N_("Gi* z-score")),
        ("p_map", N_("p (whole map, random spreads)")),
    ],
}


def style_for(layer_type: str) -> FeatureStyle:
    return STYLES.get(layer_type, STYLES["vector"])


def fields_for(
    layer_type: str, columns: list[str], translate: Callable[[str], str]
) -> list[tuple[str, str]]:
    """Popup fields (column, label): a known layer's labels through `translate`; a
    generic layer shows its first few attribute columns under their own names, as the
    file has them (translating "name" would rename the city's column)."""
    if layer_type in FIELDS:
        return [(column, translate(label)) for column, label in FIELDS[layer_type]]
    return [(c, c) for c in columns if c != "geometry"][:6]
