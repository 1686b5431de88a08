"""The planner map's legend: one section per thing on the map, right below it.

Below the map rather than on it: on a phone a legend inside the map would cover half
of it, and here its lines wrap to the width there is.
"""

from __future__ import annotations

import html

import streamlit as st

from layers.planner_symbols import (
    LegendEntry,
    LegendSection,
    analysis_legend,
    layer_legend,
    notes_legend,
)
from ui import labels
from ui.i18n import language, t
from ui.planner_filters import ANALYSES, PlannerView

_CSS = (
    "<style>"
    ".sq-legend{display:flex;flex-wrap:wrap;gap:.4rem 1.6rem;margin:.2rem 0 1rem;"
    "font-size:.95rem;line-height:1.35}"
    ".sq-legend section{min-width:12rem;max-width:100%}"
    ".sq-legend h4{font-size:.95rem;font-weight:600;margin:0 0 .2rem;padding:0}"
    ".sq-legend ul{list-style:none;margin:0;padding:0}"
    ".sq-legend li{display:flex;align-items:center;gap:.45rem;margin:0 0 .15rem;padding:0}"
    ".sq-legend li svg{flex:none}"
    ".sq-ramp{display:inline-block;width:6rem;height:.8rem;border:1px solid #555;flex:none}"
    "</style>"
)


def planner_legend(view: PlannerView, *, notes_on: bool) -> list[LegendSection]:
    """The sections for what the map shows: the analysis (on top), the notes, each layer."""
    sections = []
    far_m = max(view.dark_distance_m * 3, 1.0)  # where ui.planner_map's ramp ends
    analysis = analysis_legend(view.analysis, t(ANALYSES[view.analysis]), t, far_m=far_m)
    if analysis is not None:
        sections.append(analysis)
    if notes_on:
        names = {c: labels.category(c) for c in view.pin_filter.categories}
        sections.append(notes_legend(list(names), names, t("Notes (by category)")))
    sections.extend(layer_legend(m.layer_type, m.name(language()), t) for m in view.layers)
    return sections


def _entry(entry: LegendEntry) -> str:
    label = html.escape(entry.label)
    if entry.gradient:
        low, high = (html.escape(end) for end in entry.ends)
        return (
            f"<li>{label}:</li><li>{low}"
            f'<span class="sq-ramp" style="background:{entry.gradient}"></span>{high}</li>'
        )
    return f"<li>{entry.svg}<span>{label}</span></li>"


def legend_html(sections: list[LegendSection]) -> str:
    """The legend as one HTML block (names typed by staff are escaped)."""
    parts = [
        f"<section><h4>{html.escape(s.title)}</h4><ul>"
        + "".join(_entry(e) for e in s.entries)
        + "</ul></section>"
        for s in sections
    ]
    label = html.escape(t("Legend"))
    return f'{_CSS}<div class="sq-legend" role="group" aria-label="{label}">{"".join(parts)}</div>'


def show_legend(sections: list[LegendSection]) -> None:
    if sections:
        st.markdown(legend_html(sections), unsafe_allow_html=True)
