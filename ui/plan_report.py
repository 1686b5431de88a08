"""The plan of measures on the screen: choose the quarters, make the report, download it.
The report itself is made by services/plan_report."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import streamlit as st

from geo.districts import DistrictPack
from rules.population import Residents
from services.plan_report import make_report
from store import Store
from ui import resources
from ui.i18n import language, t
from ui.public_plan import public_base_url

_REPORT = "plan_report"  # (quarters, report) of the last report made


@st.fragment
def report_panel(
    pack: DistrictPack,
    store: Store,
    *,
    population: dict[str, Residents],
    lamps: gpd.GeoDataFrame | None,
    accidents: gpd.GeoDataFrame | None,
    sources: Sequence[str],
) -> None:
    """Choose the quarters, make the report on request, offer it as PDF and HTML. A
    fragment: choosing and making the report rerun this panel, not the measures page."""
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
                lang=language(),
                demo=resources.settings().demo,
                base_url=public_base_url(),
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
