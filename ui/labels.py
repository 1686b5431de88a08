"""Translated labels of the pin vocabularies in the session's language, and the colour
key of the categories."""

from __future__ import annotations

import html

import streamlit as st

from layers.colours import CATEGORY_COLOURS
from layers.pins import PinLabels
from rules.vocab import CATEGORIES
from services import labels
from ui.i18n import language, t


def category(code: str) -> str:
    return labels.category(code, language())


def time_band(code: str) -> str:
    return labels.time_band(code, language())


def severity(level: int | None) -> str:
    return labels.severity(level, language())


def direction(code: str) -> str:
    return labels.direction(code, language())


def landmark_kind(kind: str) -> str:
    return labels.landmark_kind(kind, language())


def pin_labels() -> PinLabels:
    return labels.pin_labels(language())


_GROUP_SYMBOL = (
    '<span aria-hidden="true" style="display:inline-block;min-width:1.7em;'
    "background:#0b3d91;color:#ffffff;border-radius:50%;text-align:center;"
    'font-weight:700">5</span>'
)


def legend(*, groups: bool = False) -> None:
    """Colour key of the categories, and with `groups` the numbered circles of nearby
    notes (layers.pins); labels are ours, so markup here is safe."""
    items = [
        f'<span style="white-space:nowrap;margin-right:0.8em">'
        f'<span style="color:{CATEGORY_COLOURS[code]};font-size:1.3em">●</span> '
        f"{html.escape(category(code))}</span>"
        for code in CATEGORIES
    ]
    if groups:
        text = t("Several notes close together. Tap to zoom in.")
        items.append(f"<span>{_GROUP_SYMBOL} {html.escape(text)}</span>")
    st.markdown(f'<div style="line-height:1.9">{" ".join(items)}</div>', unsafe_allow_html=True)
