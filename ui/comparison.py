"""The comparison page's parts: choice, summary, figures, indicator table, exports."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from geo.crs import geometry_to_metric
from geo.districts import DistrictPack
from geo.indicators import MIN_COUNT, ShareFact, summary_facts
from layers.compare_figures import MapPanel, bars_png, small_multiples_png
from layers.compare_report import report_html
from rules.population import Residents
from rules.vocab import CATEGORIES, TIME_BANDS
from services.comparison import Comparison, compare
from services.indicator_text import TOO_FEW, cell_texts, indicator_label, percent, wide_table
from ui import labels
from ui.i18n import N_, language, t

MAX_QUARTERS = 3


def choose(pack: DistrictPack, span: tuple[date, date] | None) -> tuple[list[str], date, date]:
    """Two or three quarters (the lab quarters first) and a period."""
    names = pack.short_labels()
    lab = pack.district_ids
    options = [*lab, *sorted((d for d in names if d not in lab), key=lambda d: names[d])]
    chosen = st.multiselect(
        t("Quarters to compare (two or three)"),
        options,
        default=lab[:MAX_QUARTERS],
        max_selections=MAX_QUARTERS,
        format_func=lambda d: names[d],
        key="compare_quarters",
    )
    today = date.today()
    first, last = span if span else (today, today)
    picked = st.date_input(
        t("Period"), value=(first, last), format="DD.MM.YYYY", key="compare_period"
    )
    start, end = picked if isinstance(picked, tuple) and len(picked) == 2 else (first, last)
    return list(chosen), start, end


def display_table(comparison: Comparison, names: dict[str, str]) -> pd.DataFrame:
    """Indicator rows × quarter columns of texts; figures with too few notes marked."""
    return wide_table(
        comparison.table,
        {f.quarter_id: names[f.quarter_id] for f in comparison.facts},
        language(),
    )


def styled(wide: pd.DataFrame) -> object:
    """The table with figures resting on too few notes greyed."""
    marker = t(TOO_FEW)
    return wide.style.map(
        lambda v: "color: #9a9a9a; font-style: italic" if marker in str(v) else ""
    )


def show_felt_vs_recorded(comparison: Comparison, names: dict[str, str]) -> None:
    side = felt_vs_recorded(comparison, names)
    if side is None:
        return
    st.dataframe(styled(side), width="stretch")
    st.caption(
        t(
            "What people feel and what the police recorded, side by side: the citizens' "
            "survey showed that they can differ, so neither stands in for the other."
        )
    )


def rule_text() -> str:
    """The minimum-count rule and why there is no single score, in words."""
    return t(
        "Shares and densities resting on fewer than {n} notes are greyed and marked "
        "“too few notes”; they are not compared. There is no combined safety score: "
        "what people feel and what was recorded stay side by side.",
        n=MIN_COUNT,
    )


def show_table(comparison: Comparison, names: dict[str, str]) -> pd.DataFrame:
    wide = display_table(comparison, names)
    st.dataframe(styled(wide), width="stretch", height=min(40 + 35 * len(wide), 1200))
    st.caption(rule_text())
    return wide


# Felt (notes) and recorded (accidents) figures that belong side by side.
_FELT_RECORDED = (
    ("night", "accidents_dark_share"),
    ("pins_per_km2", "accidents_per_km2"),
)


def felt_vs_recorded(comparison: Comparison, names: dict[str, str]) -> pd.DataFrame | None:
    """Per quarter, what people felt next to what was recorded, each with its count;
    None without the accident layer. Two columns per pair, never one figure."""
    table = comparison.table.assign(text=cell_texts(comparison.table, language()))
    if "accidents_per_km2" not in set(table["key"]):
        return None
    texts = table.set_index(["quarter_id", "key"])["text"]
    headers = {
        "night": t("felt: notes about the night"),
        "accidents_dark_share": t("recorded: accidents in the dark"),
        "pins_per_km2": t("felt: notes per km²"),
        "accidents_per_km2": t("recorded: injury accidents per km²"),
    }
    rows = {
        names[f.quarter_id]: {
            headers[key]: texts[(f.quarter_id, key)] for pair in _FELT_RECORDED for key in pair
        }
        for f in comparison.facts
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def sentences(facts: list[ShareFact], names: dict[str, str]) -> list[str]:
    """'In Brackel, 41 % of the notes are about “too dark”, in Bövinghausen 18 %.'"""
    lang = language()
    worded = []
    for fact in facts:
        what = labels.category(fact.key) if fact.group == "category" else labels.time_band(fact.key)
        (first, share), *rest = fact.shares
        others = ", ".join(
            t("in {quarter} {share}", quarter=names[q], share=percent(s, lang)) for q, s in rest
        )
        template = (
            N_("In {quarter}, {share} of the notes are about “{what}”, {others}.")
            if fact.group == "category"
            else N_("In {quarter}, {share} of the notes concern {what}, {others}.")
        )
        worded.append(
            t(template, quarter=names[first], share=percent(share, lang), what=what, others=others)
        )
    return worded


def show_summary(comparison: Comparison, names: dict[str, str]) -> list[str]:
    worded = sentences(summary_facts(comparison.table), names)
    if worded:
        st.markdown("\n".join(f"- {s}" for s in worded))
    else:
        st.info(t("Too few notes for a comparison yet: at least {n} per quarter.", n=MIN_COUNT))
    return worded


def maps_png(comparison: Comparison, names: dict[str, str]) -> bytes:
    pins = comparison.table.loc[comparison.table["key"] == "pins"]
    totals = dict(zip(pins["quarter_id"], pins["count"].astype(int), strict=True))
    panels = [
        MapPanel(
            title=f"{names[f.quarter_id]} (n = {totals[f.quarter_id]})",
            grid=comparison.grids[f.quarter_id],
            outline=geometry_to_metric(f.area),
        )
        for f in comparison.facts
    ]
    return small_multiples_png(
        panels,
        comparison.breaks,
        legend_title=t("notes per 100 m cell (same classes in every map)"),
        none_label=t("none"),
    )


def group_bars_png(comparison: Comparison, names: dict[str, str], group: str) -> bytes:
    table = comparison.table.loc[comparison.table["group"] == group]
    keys = list(CATEGORIES if group == "category" else TIME_BANDS)
    quarters = [f.quarter_id for f in comparison.facts]
    counts = np.zeros((len(keys), len(quarters)))
    shares = np.zeros((len(keys), len(quarters)))
    for j, q in enumerate(quarters):
        mine = table.loc[table["quarter_id"] == q].set_index("key").reindex(keys)
        counts[:, j] = mine["count"].to_numpy(dtype=float)
        shares[:, j] = mine["value"].to_numpy(dtype=float)
    enough = [bool(table.loc[table["quarter_id"] == q, "enough"].all()) for q in quarters]
    label_of = labels.category if group == "category" else labels.time_band
    return bars_png(
        [label_of(k) for k in keys],
        [names[q] for q in quarters],
        counts,
        shares,
        title=t("Notes by category") if group == "category" else t("Notes by time of day"),
        greyed=[not e for e in enough],
    )


def report(
    comparison: Comparison,
    names: dict[str, str],
    wide: pd.DataFrame,
    summary: list[str],
    images: list[bytes],
    *,
    period: tuple[date, date],
    attributions: list[str],
) -> str:
    """The printable page: the same figures, tables and sources as one HTML document."""
    return report_html(
        title=t("Comparison of quarters"),
        subtitle=t(
            "{quarters} · notes from {start} to {end}",
            quarters=", ".join(names[f.quarter_id] for f in comparison.facts),
            start=period[0].strftime("%d.%m.%Y"),
            end=period[1].strftime("%d.%m.%Y"),
        ),
        summary=summary,
        images=images,
        table=wide,
        marker=t(TOO_FEW),
        notes=[rule_text()],
        sources=attributions,
        made=t("Made on {day}", day=date.today().strftime("%d.%m.%Y")),
        lang=language(),
    )


def table_csv(comparison: Comparison, names: dict[str, str]) -> bytes:
    """The indicator table, long form, with names and labels: one row per figure."""
    lang = language()
    table = comparison.table.copy()
    table.insert(1, "quarter", [names[q] for q in table["quarter_id"]])
    table.insert(
        4,
        "indicator",
        [indicator_label(g, k, lang) for g, k in zip(table["group"], table["key"], strict=True)],
    )
    return table.to_csv(index=False).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs={DistrictPack: id})
def comparison_and_figures(
    pack: DistrictPack,
    _pins: gpd.GeoDataFrame,
    quarter_ids: tuple[str, ...],
    _population: dict[str, Residents],
    _lamps: gpd.GeoDataFrame | None,
    _accidents: gpd.GeoDataFrame | None,
    measures: tuple[tuple[str, str], ...],
    key: tuple[object, ...],
) -> tuple[Comparison, tuple[bytes, bytes, bytes]]:
    """compare() and its three figures, kept while `key` holds (database, period, data
    version, layers, language): a click elsewhere on the page (a download, say) does not
    compute the hotspots and draw the figures again."""
    del key
    names = pack.short_labels()
    comparison = compare(
        pack,
        _pins,
        quarter_ids,
        population=_population,
        lamps=_lamps,
        accidents=_accidents,
        measures=list(measures),
    )
    figures = (
        maps_png(comparison, names),
        group_bars_png(comparison, names, "category"),
        group_bars_png(comparison, names, "time_band"),
    )
    return comparison, figures
