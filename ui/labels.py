"""Translated labels of the pin vocabularies, and the colour key of the categories."""

from __future__ import annotations

import html

import streamlit as st

from layers.colours import CATEGORY_COLOURS
from layers.pins import PinLabels
from rules.vocab import CATEGORIES, SEVERITIES, TIME_BANDS
from ui.i18n import N_, t

DIRECTION_LABELS = {
    "N": N_("north"),
    "NE": N_("north-east"),
    "E": N_("east"),
    "SE": N_("south-east"),
    "S": N_("south"),
    "SW": N_("south-west"),
    "W": N_("west"),
    "NW": N_("north-west"),
}
LANDMARK_KINDS = {
    "stop": N_("stop"),
    "school": N_("school"),
    "kindergarten": N_("kindergarten"),
    "childcare": N_("childcare"),
}


def category(code: str) -> str:
    return t(CATEGORIES[code])


def time_band(code: str) -> str:
    return t(TIME_BANDS[code])


def severity(level: int | None) -> str:
    return t("no answer") if level is None else t(SEVERITIES[level])


def direction(code: str) -> str:
    return t(DIRECTION_LABELS[code])


def landmark_kind(kind: str) -> str:
    return t(LANDMARK_KINDS.get(kind, kind))


def pin_labels() -> PinLabels:
    return PinLabels(
        categories={code: t(label) for code, label in CATEGORIES.items()},
        time_bands={code: t(label) for code, label in TIME_BANDS.items()},
        severities={level: t(label) for level, label in SEVERITIES.items()},
        when=t("When"),
        severity=t("How unsafe"),
        reported_on=t("Reported on"),
        supports=t("Me too"),
    )


def legend() -> None:
    """Colour key of the categories; labels are ours, so markup here is safe."""
    items = " ".join(
        f'<span style="white-space:nowrap;margin-right:0.8em">'
        f'<span style="color:{CATEGORY_COLOURS[code]};font-size:1.3em">●</span> '
        f"{html.escape(category(code))}</span>"
        for code in CATEGORIES
    )
    st.markdown(f'<div style="line-height:1.9">{items}</div>', unsafe_allow_html=True)
