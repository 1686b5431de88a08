"""The plan of measures as a document: gathered from the store, worded, rendered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import streamlit as st

from geo.crs import METRIC_CRS, geometry_to_metric, to_metric
from geo.districts import DistrictPack
from layers.plan_report import (
    MapMeasure,
    PlanDocument,
    Section,
    plan_html,
    plan_map_png,
    plan_pdf,
)
from rules.labs import WORKING_GROUPS
from rules.measures import MEASURE_TYPES, STATUSES, Measure
from rules.population import Residents
from store import Store
from ui.comparison import cell_text, indicator_label
from ui.comparison_data import compare
from ui.i18n import language, t

_REPORT = "plan_report"  # (quarters, pdf bytes, html text) of the last report made
_KEYS = (
    "pins",
    "supports",
    "pins_per_km2",
    "pins_per_1000",
    "night",
    "dark",
    "pins_dark",
    "significant",
    "accidents_per_km2",
    "accidents_dark_per_km2",
)
_STATUS_ORDER = list(STATUSES)


@dataclass(frozen=True, slots=True)
class Report:
    pdf: bytes
    html: str


def make_report(
    pack: DistrictPack,
    store: Store,
    quarter_ids: Sequence[str],
    *,
    population: dict[str, Residents],
    lamps: gpd.GeoDataFrame | None,
    accidents: gpd.GeoDataFrame | None,
    sources: Sequence[str],
) -> Report:
    """The report of `quarter_ids`: per quarter a map, its indicators, its measures."""
    names = pack.short_labels()
    pins_m = to_metric(store.pins_frame(list(quarter_ids)))
    comparison = compare(
        pack, pins_m, quarter_ids, population=population, lamps=lamps, accidents=accidents
    )
    wanted = comparison.table["key"].isin(_KEYS)
    sections = []
    for qid in quarter_ids:
        area = pack.geometry(qid)
        mine = pins_m.loc[pins_m["quarter_id"].to_numpy() == qid]
        hot = comparison.hot[qid]
        table = comparison.table.loc[wanted & (comparison.table["quarter_id"] == qid)]
        measures = _ordered(store.measures([qid]))
        sections.append(
            Section(
                heading=names[qid],
                map_png=plan_map_png(
                    geometry_to_metric(area),
                    mine,
                    hot.to_crs(METRIC_CRS) if hot is not None else mine.iloc[:0],
                    [MapMeasure(m.id, geometry_to_metric(m.place), m.status) for m in measures],
                    crs=METRIC_CRS,
                    legend={s: t(label) for s, label in STATUSES.items()},
                ),
                indicators=[
                    (indicator_label(row["group"], row["key"]), cell_text(row))
                    for _, row in table.iterrows()
                ],
                measures_header=[
                    t("No."),
                    t("Measure"),
                    t("Kind"),
                    t("Working group"),
                    t("Responsible"),
                    t("Status"),
                ],
                measures=[_measure_row(m) for m in measures],
                empty_text=t("No measures yet."),
            )
        )
    doc = PlanDocument(
        title=t("Plan of measures"),
        subtitle=", ".join(names[q] for q in quarter_ids),
        sections=sections,
        indicators_heading=t("Indicators"),
        measures_heading=t("Measures"),
        sources=list(sources),
        made=t("Made on {day}", day=date.today().strftime("%d.%m.%Y")),
    )
    return Report(pdf=plan_pdf(doc), html=plan_html(doc, lang=language()))


def _ordered(measures: list[Measure]) -> list[Measure]:
    """By working group (none last), then by how far they are, then by number."""
    groups = list(WORKING_GROUPS)
    return sorted(
        measures,
        key=lambda m: (
            groups.index(m.working_group) if m.working_group in groups else len(groups),
            _STATUS_ORDER.index(m.status),
            m.id,
        ),
    )


def _measure_row(m: Measure) -> list[str]:
    group = t(WORKING_GROUPS[m.working_group]) if m.working_group in WORKING_GROUPS else "–"
    status = t(STATUSES[m.status]) + (f" ({m.status_reason})" if m.status_reason else "")
    return [
        str(m.id),
        m.title,
        t(MEASURE_TYPES[m.measure_type]),
        group,
        m.responsible or "–",
        status,
    ]


def report_panel(
    pack: DistrictPack,
    store: Store,
    *,
    population: dict[str, Residents],
    lamps: gpd.GeoDataFrame | None,
    accidents: gpd.GeoDataFrame | None,
    sources: Sequence[str],
) -> None:
    """Choose the quarters, make the report on request, offer it as PDF and HTML."""
    names = pack.short_labels()
    lab = pack.district_ids
    choice = st.selectbox(
        t("Report for"),
        ["all", *lab],
        format_func=lambda q: t("all three lab quarters") if q == "all" else names[q],
        key="report_quarters",
    )
    quarters = tuple(lab if choice == "all" else [choice])
    if st.button(t("Make the report"), key="report_make"):
        with st.spinner(t("Making the report …")):
            report = make_report(
                pack,
                store,
                quarters,
                population=population,
                lamps=lamps,
                accidents=accidents,
                sources=sources,
            )
        st.session_state[_REPORT] = (quarters, report)
    made = st.session_state.get(_REPORT)
    if made is None or made[0] != quarters:
        return
    report = made[1]
    left, right = st.columns(2)
    left.download_button(
        t("Report as PDF"),
        report.pdf,
        file_name="massnahmenplan.pdf",
        mime="application/pdf",
        key="report_pdf",
    )
    right.download_button(
        t("Report as HTML"),
        report.html.encode("utf-8"),
        file_name="massnahmenplan.html",
        mime="text/html",
        key="report_html",
    )
