"""The planner's filter panel: what to show, as one PlannerView value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from geo.districts import DistrictPack
from geo.filters import NO_SEVERITY, PinFilter
from rules.layer_meta import LayerMeta
from rules.vocab import CATEGORIES, SEVERITIES, TIME_BANDS
from services.layer_registry import by_id, layers_of_type
from ui import labels
from ui.i18n import N_, language, md, t

ANALYSES = {
    "none": N_("no analysis"),
    "density": N_("density surface"),
    "hotspots": N_("hotspots (Gi*)"),
    "lighting": N_("distance to the nearest working lamp"),
}


@dataclass(frozen=True, slots=True)
class PlannerView:
    pin_filter: PinFilter
    layers: tuple[LayerMeta, ...]
    show_real: bool
    show_demo: bool
    analysis: str
    analysis_quarter: str
    analysis_source: str  # "pins" or a survey layer's id
    lamps_layer: str | None
    time_band: str | None
    cell_m: float
    bandwidth_m: float
    dark_distance_m: float


def _options_label(meta: LayerMeta) -> str:
    """A layer's name as plain text: select and radio options show it literally."""
    name = meta.name(language())
    return f"{name} ({t('demo')})" if meta.demo and "demo" not in name.lower() else name


def planner_filters(
    pack: DistrictPack,
    layers: list[LayerMeta],
    span: tuple[date, date] | None,
) -> PlannerView:
    """Draw the filters in the sidebar and return what they say."""
    bar = st.sidebar
    bar.header(t("Filters"))
    lab_ids = pack.district_ids
    names = pack.short_labels()
    quarters = bar.multiselect(
        t("Quarters"),
        options=list(pack.districts.index),
        default=lab_ids,
        format_func=names.__getitem__,
        key="planner_quarters",
    )
    categories = bar.multiselect(
        t("Category"),
        options=list(CATEGORIES),
        default=list(CATEGORIES),
        format_func=labels.category,
        key="planner_categories",
    )
    time_bands = bar.multiselect(
        t("When it feels unsafe"),
        options=list(TIME_BANDS),
        default=list(TIME_BANDS),
        format_func=labels.time_band,
        key="planner_time_bands",
    )
    severity_options = [*SEVERITIES, NO_SEVERITY]
    severities = bar.multiselect(
        t("How unsafe"),
        options=severity_options,
        default=severity_options,
        format_func=lambda s: labels.severity(s or None),
        key="planner_severities",
    )
    date_from = date_to = None
    if span is not None:
        chosen = bar.date_input(
            t("Reported between"),
            value=span,
            min_value=span[0],
            max_value=span[1],
            format="DD.MM.YYYY",
            # A new day of pins is a new span: a fresh widget, not yesterday's range.
            key=f"planner_dates_{span[0]}_{span[1]}",
        )
        if isinstance(chosen, tuple) and len(chosen) == 2:
            date_from, date_to = chosen
    kinds = bar.pills(
        t("Data"),
        options=["real", "demo"],
        default=["real", "demo"],
        selection_mode="multi",
        format_func=lambda k: t("real data") if k == "real" else t("demo"),
        key="planner_kinds",
    )
    show_real, show_demo = "real" in kinds, "demo" in kinds
    visible = [m for m in layers if (m.demo and show_demo) or (not m.demo and show_real)]

    bar.header(t("Layers"))
    chosen_layers = tuple(
        m
        for m in visible
        if bar.checkbox(
            # checkbox labels are markdown; names are typed by staff
            f"{md(_options_label(m))} · {m.feature_count}",
            key=f"planner_layer_{m.id}",
        )
    )

    bar.header(t("Analysis"))
    analysis = bar.radio(
        t("Analysis"),
        options=list(ANALYSES),
        format_func=lambda a: t(ANALYSES[a]),
        key="planner_analysis",
        label_visibility="collapsed",
    )
    analysis_quarter = quarters[0] if quarters else lab_ids[0]
    source, lamps, band = "pins", None, None
    cell_m, bandwidth_m, dark_m = 50.0, 150.0, 30.0
    if analysis != "none":
        analysis_quarter = bar.selectbox(
            t("For the quarter"),
            options=quarters or lab_ids,
            format_func=names.__getitem__,
            key="planner_analysis_quarter",
        )
    if analysis in ("density", "hotspots"):
        surveys = layers_of_type(visible, "survey")
        source = bar.selectbox(
            t("Points"),
            options=["pins", *[m.id for m in surveys]],
            format_func=lambda i: (
                t("notes (pins)") if i == "pins" else _options_label(by_id(surveys)[i])
            ),
            key="planner_analysis_source",
        )
    if analysis == "density":
        bandwidth_m = float(bar.slider(t("Bandwidth (m)"), 50, 500, 150, 25, key="planner_bw"))
        cell_m = 20.0
    if analysis == "hotspots":
        band = bar.selectbox(
            t("Time of day"),
            options=[None, *TIME_BANDS],
            format_func=lambda b: t("all times") if b is None else labels.time_band(b),
            key="planner_hotspot_band",
        )
        cell_m = float(
            bar.select_slider(t("Cell size (m)"), [25, 50, 100, 200], 50, key="planner_cell")
        )
    if analysis == "lighting":
        lamp_layers = layers_of_type(visible, "lamps")
        lamps = bar.selectbox(
            t("Street lamps"),
            options=[m.id for m in lamp_layers],
            format_func=lambda i: _options_label(by_id(lamp_layers)[i]),
            key="planner_lamps",
        )
        dark_m = float(
            bar.slider(t("Dark beyond (m from a working lamp)"), 10, 100, 30, 5, key="planner_dark")
        )
        cell_m = 5.0
    return PlannerView(
        pin_filter=PinFilter(
            quarter_ids=tuple(quarters),
            categories=tuple(categories),
            time_bands=tuple(time_bands),
            severities=tuple(severities),
            date_from=date_from,
            date_to=date_to,
        ),
        layers=chosen_layers,
        show_real=show_real,
        show_demo=show_demo,
        analysis=analysis,
        analysis_quarter=analysis_quarter,
        analysis_source=source,
        lamps_layer=lamps,
        time_band=band,
        cell_m=cell_m,
        bandwidth_m=bandwidth_m,
        dark_distance_m=dark_m,
    )
