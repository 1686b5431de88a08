"""Change over time: a quarter's indicators once per lab session, side by side."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.districts import DistrictPack
from rules.population import Residents
from rules.roles import Actor
from services.comparison import session_table
from services.indicator_text import wide_table
from store import Store
from ui.comparison import styled
from ui.i18n import language, t


def show_sessions(
    store: Store,
    pack: DistrictPack,
    pins: gpd.GeoDataFrame,
    quarter_ids: list[str],
    actor: Actor,
    population: dict[str, Residents],
) -> None:
    """For each quarter with two or more lab sessions, its indicators per session."""
    names = pack.short_labels()
    shown = False
    for quarter_id in quarter_ids:
        sessions = store.sessions_in(quarter_id, actor=actor)
        if len(sessions) < 2:
            continue
        shown = True
        table = session_table(pack, pins, quarter_id, sessions, population=population)
        columns = {
            f"{quarter_id}#{s.id}": f"{s.title} ({s.held_on.strftime('%d.%m.%Y')})"
            for s in sessions
        }
        st.markdown(f"**{names[quarter_id]}**")
        st.dataframe(styled(wide_table(table, columns, language())), width="stretch")
    if not shown:
        st.caption(
            t(
                "When a quarter has had two or more lab sessions, their indicators are "
                "shown here side by side, so a second lab after measures can be compared "
                "with the first."
            )
        )
