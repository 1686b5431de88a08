"""The measures page's list of measures: each with a small map, its fields and status,
what residents said (supports, released comments) beside the status moves the actor's
role allows, the edit form (planners) and the history, where an edit reads
"edited by … on …" with every field before and after."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any, Final

import folium
import geopandas as gpd
import streamlit as st
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from streamlit_folium import st_folium

from geo.districts import DistrictPack
from layers.basemap import quarter_map
from layers.draw import add_draw_tools
from layers.measure_thumbs import PLACE_COLOUR
from rules.errors import SQError
from rules.labs import WORKING_GROUPS
from rules.local_time import local
from rules.measures import (
    EDIT_FIELDS,
    EDITORS,
    MEASURE_TYPES,
    MOVE_ACTIONS,
    PRIORITIES,
    STATUSES,
    HistoryEntry,
    Measure,
    MeasureEdit,
    allowed_moves,
    editable_fields,
    read_edit_detail,
)
from rules.roles import Actor
from services.follow_mail import tell_followers
from store import Store
from store.measure_weigh_in import WeighIn
from ui import resources, state
from ui.i18n import error_text, md, t, tn
from ui.measure_fields import measure_fields
from ui.measure_maps import map_and_text, map_legend, note_points, place_map

_SAVED: Final = "measure_saved"  # (id, changed fields) of the edit saved last (state.recent)
_EDITING: Final = "measure_editing"  # the id of the measure whose edit form is open
_NOTICE_S: Final = 120.0  # a confirmation outlives the reruns that follow a click
_PLACE_MAP: Final = "edit_place_"  # + measure id: the map to set a new place on
_PLACE_ZOOM: Final = 16  # the place map opens close to the place (streets around it)
_FORM_FIELDS: Final = ("title", "description", "type", "group", "body", "priority", "cost", "date")


def measure_list(
    store: Store,
    measures: list[Measure],
    actor: Actor,
    names: dict[str, str],
    *,
    pack: DistrictPack,
    pins: gpd.GeoDataFrame,
) -> None:
    """Every measure with a small map of where it lies, its fields and status; the
    buttons the actor's role allows (moves, edit) and its history."""
    if not measures:
        st.caption(t("No measures yet."))
        return
    map_legend()
    points = note_points(pins)
    editing = st.session_state.get(_EDITING)
    said = store.weigh_in([m.id for m in measures])
    for measure in measures:
        with st.container(border=True, key=f"measure_box_{measure.id}"):
            quarter = names.get(measure.quarter_id, measure.quarter_id)
            st.markdown(f"**#{measure.id} {md(measure.title)}** · {md(quarter)}")
            st.caption(
                t(
                    "{kind} · {body} · status: {status}",
                    kind=t(MEASURE_TYPES[measure.measure_type]),
                    body=md(measure.responsible) if measure.responsible else "–",
                    status=t(STATUSES[measure.status]),
                )
                + (f" ({md(measure.status_reason)})" if measure.status_reason else "")
            )
            where, about = map_and_text()
            with where:
                place_map(pack, points, measure.quarter_id, measure.place, measure.pin_ids)
            with about:
                if measure.description:
                    st.markdown(md(measure.description).replace("\n", "  \n"))
                st.caption(_facts_line(measure))
            saved_notice(measure.id)
            if actor.role in EDITORS:
                if editing == measure.id:
                    edit_form(store, measure, actor)
                elif st.button(t("Edit"), key=f"edit_open_{measure.id}", icon=":material/edit:"):
                    st.session_state[_EDITING] = measure.id
                    st.rerun()
            weigh_in_summary(said[measure.id])
            _moves(store, measure, actor)
            with st.expander(t("History")):
                for entry in store.measure_history(measure.id):
                    st.caption(history_line(entry))


def weigh_in_summary(said: WeighIn) -> None:
    """What residents said, beside the status buttons: how many like the measure and,
    on request, the comments a moderator released (as plain text)."""
    likes = tn("{count} person likes this", "{count} people like this", said.supports)
    if not said.comments:
        none = t("no released comments")
        st.caption(f"{likes} · {none}")
        return
    comments = tn("{count} comment", "{count} comments", len(said.comments))
    with st.expander(f"{likes} · {comments}", icon=":material/forum:"):
        for comment in said.comments:
            st.text(comment)  # as written, never markup


def _facts_line(measure: Measure) -> str:
    """Priority, cost, target date, working group and the number of notes, one line."""
    parts = [
        t("priority: {value}", value=t(PRIORITIES[measure.priority])),
        t("cost: {value}", value=_value_text("cost_eur", measure.cost_eur)),
        t("target: {value}", value=_value_text("target_date", measure.target_date)),
    ]
    if measure.working_group:
        parts.append(t(WORKING_GROUPS[measure.working_group]))
    parts.append(tn("{count} note", "{count} notes", len(measure.pin_ids)))
    return " · ".join(parts)


def _value_text(field: str, value: Any) -> str:
    """A field's value as a planner reads it (markdown-safe); "–" where it is empty."""
    if value is None or value == "":
        return t("none") if field == "working_group" else "–"
    if field == "measure_type":
        return t(MEASURE_TYPES.get(value, value))
    if field == "working_group":
        return t(WORKING_GROUPS.get(value, value))
    if field == "priority":
        return t(PRIORITIES.get(int(value), str(value)))
    if field == "cost_eur":
        return euros(float(value))
    if field == "target_date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        return f"{day:%d.%m.%Y}"
    if field == "place":
        return t("point") if str(value).startswith("POINT") else t("area")
    return f"„{md(str(value))}“"


def euros(amount: float) -> str:
    """An amount as German write it: "4.500 €", "1.200,50 €"."""
    number = f"{amount:,.0f}" if amount.is_integer() else f"{amount:,.2f}"
    return number.replace(",", "\0").replace(".", ",").replace("\0", ".") + " €"


def _change_text(name: str, before: Any, after: Any) -> str:
    """One field's change: "Priorität: mittel → hoch"; a place of the same kind as before
    "Ort: verschoben"."""
    was, now = _value_text(name, before), _value_text(name, after)
    if name == "place" and was == now:
        moved = t("moved")
        return f"{t(EDIT_FIELDS[name])}: {moved}"
    return f"{t(EDIT_FIELDS[name])}: {was} → {now}"


def history_line(entry: HistoryEntry) -> str:
    """One line of a measure's history: a status change with its reason, or an edit as
    "edited by … on …" with every field before and after."""
    if entry.change == "edited":
        changes = read_edit_detail(entry.detail)
        said = "; ".join(
            _change_text(name, before, after) for name, (before, after) in changes.items()
        )
        return t(
            "edited by {actor} on {when}: {changes}",
            actor=md(entry.actor),
            when=when(entry.at),
            changes=said,
        )
    status = t(STATUSES[entry.to_status]) if entry.to_status else ""
    why = f" – {entry.detail}" if entry.detail else ""
    return f"{when(entry.at)} · {md(entry.actor)} · {md(status)}{md(why)}"


def saved_notice(measure_id: int) -> None:
    """Confirm an edit saved just now, beside the measure it changed, for a while."""
    saved = state.recent(_SAVED, _NOTICE_S)
    if not isinstance(saved, tuple) or saved[0] != measure_id:
        return
    fields = ", ".join(t(EDIT_FIELDS[f]) for f in saved[1])
    st.success(t("Measure #{id} saved; changed: {fields}.", id=measure_id, fields=fields))


def edit_form(store: Store, measure: Measure, actor: Actor) -> None:
    """The measure's fields to change; once it is done or rejected only title and
    description (rules.measures.check_edit), the others shown but locked."""
    key = f"edit_{measure.id}"
    open_fields = set(editable_fields(measure.status))
    locked = "measure_type" not in open_fields
    if locked:
        st.info(
            t(
                "This measure is “{status}”: only its title and description can still be"
                " corrected; its kind, responsibility, priority, cost, date and place stay as"
                " they were when it was closed.",
                status=t(STATUSES[measure.status]),
            )
        )
    place = None if locked else _new_place(measure)
    with st.form(key):
        edit = measure_fields(key, _as_edit(measure), locked=locked)
        if place is not None:
            edit = replace(edit, place=place)
        save, cancel = st.columns(2)
        saved = save.form_submit_button(t("Save changes"), type="primary")
        cancelled = cancel.form_submit_button(t("Cancel"))
    if cancelled:
        _close_edit(measure.id)
        st.rerun()
    if not saved:
        return
    try:
        after = store.edit_measure(measure.id, edit, actor=actor, seen_at=measure.updated_at)
    except SQError as exc:
        st.error(error_text(exc))
        return
    changed = [f for f in EDIT_FIELDS if getattr(after, f) != getattr(measure, f)]
    if not changed:
        st.info(t("Nothing was changed."))
        return
    _close_edit(measure.id)
    state.keep_for_a_while(_SAVED, (measure.id, tuple(changed)))
    st.rerun()


def _new_place(measure: Measure) -> BaseGeometry | None:
    """A map of the measure's quarter with its place (dashed) and tools to set a new
    point or draw a new area; the place drawn, if any (saved with the form)."""
    # Not in an expander: Leaflet drawn while hidden keeps a wrong zoom once shown.
    st.caption(t("Change the place: set a marker or draw an area on the map"))
    with st.container():
        pack = resources.district_pack()
        fmap = quarter_map(
            pack.districts,
            measure.quarter_id,
            attributions=resources.attributions(),
            basemap=resources.settings().basemap,
        )
        now = folium.GeoJson(
            mapping(measure.place),
            style_function=lambda _: {"color": PLACE_COLOUR, "dashArray": "5 3", "weight": 3},
            marker=folium.CircleMarker(radius=9, color=PLACE_COLOUR, weight=3, fill=False),
        )
        now.add_to(fmap)
        add_draw_tools(fmap)
        centre = measure.place.centroid
        result = (
            st_folium(
                fmap,
                key=f"{_PLACE_MAP}{measure.id}",
                # Close to the place, where a new one is set with care.
                center=(centre.y, centre.x),
                zoom=_PLACE_ZOOM,
                height=360,
                use_container_width=True,
                returned_objects=["last_active_drawing"],
            )
            or {}
        )
        drawing = result.get("last_active_drawing")
        if not isinstance(drawing, dict) or "geometry" not in drawing:
            return None
        st.caption(t("The new place is saved with the other changes."))
        return shape(drawing["geometry"])


def _as_edit(measure: Measure) -> MeasureEdit:
    return MeasureEdit(
        title=measure.title,
        measure_type=measure.measure_type,
        description=measure.description,
        working_group=measure.working_group,
        responsible=measure.responsible,
        priority=measure.priority,
        cost_eur=measure.cost_eur,
        target_date=measure.target_date,
    )


def _close_edit(measure_id: int) -> None:
    """Close the edit form of `measure_id` and forget what was typed in it."""
    st.session_state.pop(_EDITING, None)
    st.session_state.pop(f"{_PLACE_MAP}{measure_id}", None)
    for name in _FORM_FIELDS:
        st.session_state.pop(f"edit_{measure_id}_{name}", None)


def when(moment: datetime) -> str:
    """A stored (UTC) moment as Dortmund reads it, like the notes' times elsewhere."""
    return f"{local(moment):%d.%m.%Y %H:%M}"


def _moves(store: Store, measure: Measure, actor: Actor) -> None:
    """One button per status change the actor's role allows, named as an action; the
    reason field only where a rejection is among them."""
    targets = allowed_moves(actor.role, measure.status)
    if not targets:
        return
    reason = (
        st.text_input(t("Reason (needed to reject)"), key=f"reason_{measure.id}")
        if "rejected" in targets
        else ""
    )
    columns = st.columns(len(targets))
    for column, target in zip(columns, targets, strict=True):
        if column.button(t(MOVE_ACTIONS[target]), key=f"move_{measure.id}_{target}"):
            try:
                store.move_measure(measure.id, target, actor=actor, reason=reason)
            except SQError as exc:
                st.error(error_text(exc))
                return
            tell_followers(store, measure.id)
            st.rerun()
