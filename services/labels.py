"""Translated labels of the pin vocabularies, in an explicit language."""

from __future__ import annotations

from typing import Final

from layers.pins import PinLabels
from rules.errors import N_
from rules.vocab import CATEGORIES, SEVERITIES, TIME_BANDS
from services.i18n import translate

DIRECTION_LABELS: Final = {
    "N": N_("north"),
    "NE": N_("north-east"),
    "E": N_("east"),
    "SE": N_("south-east"),
    "S": N_("south"),
    "SW": N_("south-west"),
    "W": N_("west"),
    "NW": N_("north-west"),
}
LANDMARK_KINDS: Final = {
    "stop": N_("stop"),
    "school": N_("school"),
    "kindergarten": N_("kindergarten"),
    "childcare": N_("childcare"),
}


def category(code: str, lang: str) -> str:
    return translate(CATEGORIES[code], lang)


def time_band(code: str, lang: str) -> str:
    return translate(TIME_BANDS[code], lang)


def severity(level: int | None, lang: str) -> str:
    return translate(N_("no answer") if level is None else SEVERITIES[level], lang)


def direction(code: str, lang: str) -> str:
    return translate(DIRECTION_LABELS[code], lang)


def landmark_kind(kind: str, lang: str) -> str:
    return translate(LANDMARK_KINDS.get(kind, kind), lang)


def pin_labels(lang: str) -> PinLabels:
    """What a pin's popup and list say, for layers.pins."""
    return PinLabels(
        categories={code: translate(label, lang) for code, label in CATEGORIES.items()},
        time_bands={code: translate(label, lang) for code, label in TIME_BANDS.items()},
        severities={level: translate(label, lang) for level, label in SEVERITIES.items()},
        when=translate("When", lang),
        severity=translate("How unsafe", lang),
        reported_on=translate("Reported on", lang),
        supports=translate("Me too", lang),
        group=translate("{count} notes here. Tap to zoom in.", lang),
        photo=translate("Photo with this note", lang),
    )
