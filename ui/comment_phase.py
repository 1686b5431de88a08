"""Planners open and close each quarter's comment phase: while it is open, residents
may say "I like this" and comment on the quarter's proposed measures."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo.districts import DistrictPack
from rules.errors import SQError
from rules.measure_weigh_in import PHASE_KEEPERS
from rules.measures import Measure
from rules.roles import Actor
from store import Store
from ui.i18n import error_text, md, t
from ui.quarter_picker import quarter_label


def phase_quarters(pack: DistrictPack, measures: Sequence[Measure]) -> list[str]:
    """The lab quarters, then every other quarter that has a measure (district ids)."""
    found = [q.district_id for q in pack.quarters]
    found += sorted({m.quarter_id for m in measures} - set(found))
    return list(dict.fromkeys(found))


def comment_phase_panel(
    store: Store, actor: Actor, pack: DistrictPack, measures: Sequence[Measure]
) -> None:
    """Each quarter's phase, open or closed in words; planners switch it."""
    st.caption(
        t(
            "While a quarter's comment phase is open, residents can support its proposed"
            " measures and comment on them on the measure's public page. Comments are"
            " shown after moderation."
        )
    )
    phases = store.comment_phases()
    keeper = actor.role in PHASE_KEEPERS
    for quarter_id in phase_quarters(pack, measures):
        is_open = phases.get(quarter_id, False)
        words, action = st.columns([3, 2], vertical_alignment="center")
        name = md(quarter_label(pack, quarter_id))
        words.markdown(
            t("{quarter}: **comment phase open**", quarter=name)
            if is_open
            else t("{quarter}: **comment phase closed**", quarter=name)
        )
        if not keeper:
            continue
        label = t("Close comment phase") if is_open else t("Open comment phase")
        if action.button(label, key=f"comment_phase_{quarter_id}"):
            try:
                store.set_comment_phase(quarter_id, not is_open, actor=actor)
            except SQError as exc:
                st.error(error_text(exc))
            else:
                st.rerun()
