"""The first screen: three lab quarters as large buttons, any district by search."""

from __future__ import annotations

import streamlit as st

from geo.districts import DistrictPack
from ui import state
from ui.i18n import t

_SEARCH_KEY = "quarter_search"


def _choose(district_id: str) -> None:
    state.choose_quarter(district_id)


def _choose_searched() -> None:
    chosen = st.session_state.get(_SEARCH_KEY)
    if chosen:
        state.choose_quarter(str(chosen))
        st.session_state[_SEARCH_KEY] = None


def quarter_picker(pack: DistrictPack) -> None:
    st.subheader(t("Which quarter is it about?"))
    columns = st.columns(len(pack.quarters))
    for column, quarter in zip(columns, pack.quarters, strict=True):
        column.button(
            quarter.label,
            key=f"quarter_{quarter.slug}",
            type="primary",
            width="stretch",
            on_click=_choose,
            args=(quarter.district_id,),
        )
    districts = pack.districts
    options = list(districts["district_id"])
    labels = {
        row.district_id: f"{row.name} ({row.district_id}, {row.borough})"
        for row in districts.itertuples()
    }
    st.selectbox(
        t("Another statistical district"),
        options=options,
        index=None,
        format_func=labels.__getitem__,
        placeholder=t("Type a name to search …"),
        key=_SEARCH_KEY,
        on_change=_choose_searched,
    )


def quarter_label(pack: DistrictPack, district_id: str) -> str:
    """'Phoenix-See (Hörde)' for a lab quarter, the district's name otherwise."""
    name = pack.name(district_id)
    for quarter in pack.quarters:
        if quarter.district_id == district_id and quarter.label != name:
            return f"{quarter.label} ({name})"
    return name
