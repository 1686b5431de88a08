"""“What became of my note?”: the measures linked to a note, in plain words."""

from __future__ import annotations

import streamlit as st

from geo.measures import MEASURE_TYPES, Measure
from store import Store
from ui import labels, state
from ui.i18n import N_, md, t

# What each status means for the person who set the note.
STATUS_WORDS = {
    "proposed": N_("The city's planners have proposed a measure."),
    "discussed": N_("The steering circle has discussed the measure."),
    "decided": N_("The steering circle has decided on the measure. It is to be carried out."),
    "in_progress": N_("The measure is being carried out."),
    "done": N_("The measure has been carried out."),
    "rejected": N_("The steering circle has decided against the measure."),
}


def choose_pin() -> int | None:
    """The note to look at: from the link, from this tab's own notes, or typed in."""
    linked = st.query_params.get("hinweis")
    mine = state.my_pins()
    default = int(linked) if linked and linked.isdigit() else (mine[-1] if mine else None)
    number = st.number_input(
        t("Number of your note"), min_value=1, step=1, value=default, key="fate_number"
    )
    return int(number) if number else None


def show_fate(store: Store, pin_id: int) -> None:
    pin = store.pin(pin_id)
    if pin is None or pin.hidden:
        st.info(t("There is no note with this number on the map."))
        return
    st.markdown(
        t(
            "**Note {number}**: “{category}”, {time_band}.",
            number=pin.id,
            category=labels.category(pin.category),
            time_band=labels.time_band(pin.time_band),
        )
    )
    measures = store.measures_for_pin(pin_id)
    if not measures:
        st.info(
            t(
                "No measure is linked to this note yet. Every note goes into the working "
                "groups' discussion; please look again later."
            )
        )
        return
    for measure in measures:
        _measure_card(measure)


def _measure_card(measure: Measure) -> None:
    with st.container(border=True):
        st.markdown(f"**{md(measure.title)}** ({t(MEASURE_TYPES[measure.measure_type])})")
        st.write(t(STATUS_WORDS[measure.status]))
        if measure.status == "rejected" and measure.status_reason:
            st.write(t("The reason given: {reason}", reason=measure.status_reason))
        details = []
        if measure.responsible:
            details.append(t("Responsible: {body}", body=measure.responsible))
        if measure.target_date and measure.status not in ("done", "rejected"):
            details.append(t("Planned by: {day}", day=measure.target_date.strftime("%d.%m.%Y")))
        details.append(t("Last change: {day}", day=measure.updated_at.strftime("%d.%m.%Y")))
        st.caption(" · ".join(details))
