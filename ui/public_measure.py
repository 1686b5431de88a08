"""One measure's public page (/massnahme?nr=N): its facts, its small map, the history of
its public status moves, its notes as the public map shows them, residents' weigh-in and
the notes' released photos. A proposed or unknown measure gets one plain message."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.districts import DistrictPack
from rules.measures import STATUSES
from services.public_plan import (
    PublicMeasure,
    find_public_measure,
    measure_number,
    public_notes,
)
from store import Store
from ui import labels
from ui.i18n import md, t, tn
from ui.measure_maps import map_and_text, map_legend, note_points, place_map
from ui.measure_weigh_in import weigh_in_panel
from ui.note_photos import released_photos
from ui.public_plan import PLAN_PAGE, day, facts_line, notes_line, status_line


def measure_page(store: Store, pack: DistrictPack) -> None:
    """The page of the measure the address names (?nr=12)."""
    number = measure_number(st.query_params.get("nr"))
    row = find_public_measure(store, number) if number is not None else None
    if row is None:
        st.title(t("Measure"))
        st.info(
            t(
                "There is no public measure with this number. A measure is shown here once "
                "the steering circle has put it on its agenda."
            )
        )
        back_link(None)
        return
    measure = row.measure
    names = pack.short_labels()
    st.title(md(measure.title))
    st.caption(t("Measure {number}", number=measure.id) + " · " + facts_line(row, names))
    st.markdown(status_line(row))
    st.caption(notes_line(row))
    notes = public_notes(store.pins_frame([measure.quarter_id]), row.note_ids)
    where, about = map_and_text()
    with where:
        place_map(pack, note_points(notes), measure.quarter_id, measure.place, row.note_ids)
        map_legend()
    with about:
        _history(row)
    st.subheader(t("The notes this measure answers"))
    _notes(row, notes)
    released_photos(store, row.note_ids)
    weigh_in_panel(store, measure)
    back_link(measure.quarter_id)


def back_link(quarter_id: str | None) -> None:
    """Back to the public plan (of the measure's quarter)."""
    st.page_link(
        PLAN_PAGE,
        label=t("Back to the plan of measures"),
        icon=":material/arrow_back:",
        query_params={"quartier": quarter_id} if quarter_id else None,
    )


def _history(row: PublicMeasure) -> None:
    st.markdown("**" + t("How the measure went on") + "**")
    if not row.history:
        st.caption(t("No step recorded yet."))
        return
    lines = []
    for step in row.history:
        line = f"{day(step.at)}: {t(STATUSES[step.status])}"
        if step.reason:
            line += " – " + t("The reason given: {reason}", reason=md(step.reason))
        lines.append(f"- {line}")
    st.markdown("\n".join(lines))


def _notes(row: PublicMeasure, notes: gpd.GeoDataFrame) -> None:
    """Each note as the public map shows it: its kind, time, supports and, once a
    moderator released it, its text. A note the public map leaves out is counted, never
    shown."""
    if not row.notes:
        st.caption(t("No note of the map is linked to this measure."))
        return
    for note in notes.sort_values("id").itertuples():
        head = t(
            "**Note {number}**: “{category}”, {time_band}",
            number=int(note.id),
            category=labels.category(str(note.category)),
            time_band=labels.time_band(str(note.time_band)),
        )
        if int(note.supports):
            head += " · " + tn("{count} support", "{count} supports", int(note.supports))
        st.markdown(head)
        if note.text:
            st.markdown("> " + md(str(note.text)).replace("\n", "  \n> "))
    left_out = row.notes - len(notes)
    if left_out > 0:
        st.caption(
            tn(
                "{count} more note is not shown: where a quarter has few notes, places "
                "that could point at the people of one lab stay hidden.",
                "{count} more notes are not shown: where a quarter has few notes, places "
                "that could point at the people of one lab stay hidden.",
                left_out,
            )
        )
