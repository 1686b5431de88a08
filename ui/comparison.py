"""The comparison page's parts: choice, summary, figures, indicator table; what they
say and draw is services.comparison_output."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.districts import DistrictPack
from geo.indicators import MIN_COUNT, summary_facts
from rules.population import Residents
from services import comparison_output as output
from services.comparison import Comparison, compare
from services.indicator_text import TOO_FEW, wide_table
from ui.i18n import language, t

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


def styled(wide: pd.DataFrame) -> object:
    """The table with figures resting on too few notes greyed."""
    marker = t(TOO_FEW)
    return wide.style.map(
        lambda v: "color: #707070; font-style: italic" if marker in str(v) else ""
    )


def show_felt_vs_recorded(comparison: Comparison, names: dict[str, str]) -> None:
    side = output.felt_vs_recorded(comparison, names, language())
    if side is None:
        return
    st.dataframe(styled(side), width="stretch")
    st.caption(t(output.FELT_NOTE))


def show_table(comparison: Comparison, names: dict[str, str]) -> pd.DataFrame:
    columns = {f.quarter_id: names[f.quarter_id] for f in comparison.facts}
    wide = wide_table(comparison.table, columns, language())
    st.dataframe(styled(wide), width="stretch", height=min(40 + 35 * len(wide), 1200))
    st.caption(output.rule_text(language()))
    return wide


def show_maps(maps: list[str], legend: str) -> None:
    """The quarters' maps side by side (one under another on a phone, where columns
    stack), all of one size and scale, and their legend beneath."""
    for column, picture in zip(st.columns(len(maps)), maps, strict=True):
        column.image(picture, width="stretch")
    st.image(legend, caption=t("Map of the notes in each quarter"))


def show_summary(comparison: Comparison, names: dict[str, str]) -> list[str]:
    worded = output.sentences(summary_facts(comparison.table), names, language())
    if worded:
        st.markdown("\n".join(f"- {s}" for s in worded))
    else:
        st.info(t("Too few notes for a comparison yet: at least {n} per quarter.", n=MIN_COUNT))
    return worded


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
    *,
    demo: bool = False,
) -> tuple[Comparison, tuple[str, str, str], tuple[list[str], str]]:
    """compare(), its three figures and the maps one by one (for the screen), kept while
    `key` holds (database, period, data version, layers, language): a click elsewhere on
    the page (a download, say) does not compute the hotspots and draw the figures again.
    On `demo` data every figure says so."""
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
    return (
        comparison,
        output.figures(comparison, names, language(), demo=demo),
        output.map_panels(comparison, names, language(), demo=demo),
    )
