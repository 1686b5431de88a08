"""Planners supply residents per statistical district (the city's table, as CSV)."""

from __future__ import annotations

import streamlit as st

from geo.districts import DistrictPack
from rules.errors import SQError
from rules.population import Residents
from rules.roles import Action, Actor, allowed
from services.comparison import import_residents
from store import Store
from ui.i18n import error_text, t

_DONE = "population_imported"  # (file id, districts) of the last import


def population_import(
    store: Store, actor: Actor, population: dict[str, Residents], pack: DistrictPack
) -> None:
    """Say where the residents come from; planners may import the city's newer table."""
    st.caption(
        t(
            "Residents per district: {count} districts known ({source}).",
            count=len(population),
            source=_source(len(store.population())),
        )
    )
    if not allowed(actor.role, Action.MANAGE_LAYERS):
        return
    with st.expander(t("Import residents per statistical district (CSV)")):
        upload = st.file_uploader(
            t("CSV with the columns statistischer_bezirk_nr and einwohner (stichtag optional)"),
            type=["csv"],
            key="population_csv",
        )
        if upload is None:
            return
        # The uploader keeps its file across reruns: import each file once.
        done = st.session_state.get(_DONE)
        if done is not None and done[0] == upload.file_id:
            st.success(t("Residents of {count} districts stored.", count=done[1]))
            return
        try:
            stored = import_residents(
                store, upload.getvalue(), source=upload.name, actor=actor, pack=pack
            )
        except SQError as exc:
            st.error(error_text(exc))
            return
        st.session_state[_DONE] = (upload.file_id, stored)
        st.rerun()  # the table above is computed with the new figures


def _source(imported: int) -> str:
    if not imported:
        return t("data pack")
    return t("data pack; {count} districts imported by planners", count=imported)
