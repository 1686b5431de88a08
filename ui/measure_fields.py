"""The fields of a measure as form widgets: one set for a new measure and for an edit,
so both forms ask the same and name their widgets alike (`{key}_title`, ...)."""

from __future__ import annotations

from datetime import date
from typing import Final

import streamlit as st

from rules.labs import WORKING_GROUPS
from rules.measures import MEASURE_TYPES, PRIORITIES, RESPONSIBLE_BODIES, MeasureEdit
from ui.i18n import t

# A new measure's form: the first kind and body, medium priority, nothing else yet.
BLANK: Final = MeasureEdit(
    title="", measure_type=next(iter(MEASURE_TYPES)), priority=2, responsible=RESPONSIBLE_BODIES[0]
)


def measure_fields(key: str, current: MeasureEdit = BLANK, *, locked: bool = False) -> MeasureEdit:
    """The widgets of a measure's fields (call inside a st.form), filled in with `current`;
    `locked`: all but the title and description shown but not changeable. Returns what
    they hold (unchecked: the store validates)."""
    title = st.text_input(t("Title of the measure"), value=current.title, key=f"{key}_title")
    description = st.text_area(
        t("Description: what is to be done, and why"),
        value=current.description,
        key=f"{key}_description",
    )
    kinds = list(MEASURE_TYPES)
    kind = st.selectbox(
        t("Kind of measure"),
        kinds,
        index=kinds.index(current.measure_type),
        format_func=lambda k: t(MEASURE_TYPES[k]),
        disabled=locked,
        key=f"{key}_type",
    )
    groups = [None, *WORKING_GROUPS]
    group = st.selectbox(
        t("Working group"),
        groups,
        index=groups.index(current.working_group),
        format_func=lambda g: t("none") if g is None else t(WORKING_GROUPS[g]),
        disabled=locked,
        key=f"{key}_group",
    )
    bodies = list(RESPONSIBLE_BODIES)
    if current.responsible not in bodies:  # typed elsewhere, or left open
        bodies.insert(0, current.responsible)
    body = st.selectbox(
        t("Responsible"),
        bodies,
        index=bodies.index(current.responsible),
        format_func=lambda b: b or t("not yet named"),
        disabled=locked,
        key=f"{key}_body",
    )
    priorities = list(PRIORITIES)
    priority = st.radio(
        t("Priority"),
        priorities,
        index=priorities.index(current.priority),
        format_func=lambda p: t(PRIORITIES[p]),
        horizontal=True,
        disabled=locked,
        key=f"{key}_priority",
    )
    cost = st.number_input(
        t("Cost estimate (EUR)"),
        min_value=0.0,
        value=current.cost_eur or 0.0,
        disabled=locked,
        key=f"{key}_cost",
    )
    target = st.date_input(
        t("Target date"),
        value=current.target_date,
        format="DD.MM.YYYY",
        disabled=locked,
        key=f"{key}_date",
    )
    return MeasureEdit(
        title=title,
        measure_type=kind,
        description=description,
        working_group=group,
        responsible=body or "",
        priority=int(priority),
        cost_eur=float(cost) or None,
        target_date=target if isinstance(target, date) else None,
    )
