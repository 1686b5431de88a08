"""The moderators' queue: texts (and photos, ui/moderation_photos.py) to release, flags to
handle, duplicates to merge."""

from __future__ import annotations

from functools import partial
from math import ceil

import streamlit as st

from geo.districts import DistrictPack
from layers.note_map import NEARBY_COLOUR, NoteMark
from rules.local_time import local
from rules.pins import Pin
from rules.roles import Actor
from services.merge_preview import MAX_DISTANCE_M, notes_nearby
from store import Store
from ui import labels
from ui.i18n import t
from ui.moderation_action import act, release_or_hide
from ui.moderation_merge import choose_pair
from ui.moderation_photos import photo_queue
from ui.moderation_places import places, quarter_name, quarter_names, small_map
from ui.quarter_picker import quarter_label

PAGE_SIZE = 20
NEARBY_SHOWN = 5  # the nearest notes offered for merging with a note on its map
_SELECTED = "release_selected_"


def _pin_head(pin: Pin, quarter: str, place: str) -> None:
    """What, when, in which quarter and where in words."""
    # Two lines in one element: each element costs its share of every run of the page.
    st.markdown(
        f"**#{pin.id} · {labels.category(pin.category)}** · {labels.time_band(pin.time_band)}"
        f"  \n{place}"
    )
    st.caption(f"{quarter} · {local(pin.created_at):%d.%m.%Y %H:%M}")


def _map_on_request(store: Store, pin: Pin, pack: DistrictPack, *, map_key: str) -> None:
    """The note on a small map when asked for (a toggle, not an expander: an expander's
    content, the map, would be drawn for every note of the page), with the notes close
    by: each can be taken into the merge form below."""
    if not st.toggle(t("Show on the map"), key=map_key):
        return
    nearby = notes_nearby(pin, store.pins_in_quarter(pin.quarter_id))[:NEARBY_SHOWN]
    marks = [NoteMark(pin.lon, pin.lat, t("No. {number} (this one)", number=pin.id))]
    marks += [
        NoteMark(o.lon, o.lat, t("No. {number}", number=o.id), NEARBY_COLOUR) for o, _ in nearby
    ]
    small_map(pack, pin.quarter_id, marks, key=f"{map_key}_map", joined=False)
    if not nearby:
        st.caption(t("No other note within {limit} m.", limit=int(MAX_DISTANCE_M)))
        return
    st.markdown(t("**Other notes within {limit} m**", limit=int(MAX_DISTANCE_M)))
    st.caption(
        t(
            "“Check merging” puts both numbers into “Merge duplicates” at the end of the "
            "page; the older note stays."
        )
    )
    for other, metres in nearby:
        words, button = st.columns([3, 2], vertical_alignment="center")
        words.write(
            t(
                "No. {number}: {category}, {distance} m away",
                number=other.id,
                category=labels.category(other.category),
                distance=round(metres),
            )
        )
        keep_id, duplicate_id = sorted((pin.id, other.id))  # the older note stays
        button.button(
            t("Check merging"),
            key=f"{map_key}_pair_{other.id}",
            on_click=choose_pair,
            args=(keep_id, duplicate_id),
        )


def _text_item(
    store: Store, actor: Actor, pin: Pin, pack: DistrictPack, quarter: str, place: str
) -> None:
    with st.container(border=True):
        _pin_head(pin, quarter, place)
        st.text(pin.text)  # shown as plain text, whatever it holds
        _map_on_request(store, pin, pack, map_key=f"text_map_{pin.id}")
        st.checkbox(t("Select for release"), key=f"{_SELECTED}{pin.id}")
        release_or_hide(
            "",
            pin.id,
            release=(t("Release"), partial(store.release_text, pin.id, actor=actor)),
            hide=(t("Hide"), t("Hide this note"), partial(store.hide_pin, pin.id, actor=actor)),
        )
        with st.expander(t("Edit out personal data, then release")):
            edited = st.text_area(t("Text"), value=pin.text, key=f"edit_text_{pin.id}")
            why = st.text_input(t("Reason"), key=f"edit_reason_{pin.id}", max_chars=300)
            if st.button(t("Save and release"), key=f"edit_{pin.id}"):
                act(partial(store.edit_text, pin.id, edited or "", actor=actor, reason=why or ""))


def _text_filters(store: Store, actor: Actor, pack: DistrictPack) -> tuple[str | None, int | None]:
    """The quarter and the lab the moderator narrows the queue to (None: all)."""
    quarters = store.pending_quarters(actor=actor)
    where, lab = st.columns(2)
    quarter_id = where.selectbox(
        t("Quarter"),
        [None, *quarters],
        format_func=lambda q: t("All quarters") if q is None else quarter_label(pack, q),
        key="moderation_quarter",
    )
    labs = [store.session(i) for i in store.pending_labs(actor=actor, quarter_id=quarter_id)]
    titles = {s.id: f"{s.title} ({s.held_on:%d.%m.%Y})" for s in labs if s is not None}
    session_id = lab.selectbox(
        t("Lab"),
        [None, *titles],
        format_func=lambda s: t("All labs") if s is None else titles[s],
        key="moderation_lab",
    )
    return quarter_id, session_id


def text_queue(store: Store, actor: Actor, pack: DistrictPack) -> None:
    """Texts waiting for release, one page at a time: with a thousand waiting, every
    action still redraws only one page; then the photos waiting."""
    quarter_id, session_id = _text_filters(store, actor, pack)
    total = store.count_pending_texts(actor=actor, quarter_id=quarter_id, session_id=session_id)
    st.subheader(t("Texts waiting for release ({count})", count=total))
    pages = max(1, ceil(total / PAGE_SIZE))
    page = 1
    if pages > 1:
        page = int(
            st.number_input(
                t("Page (of {pages})", pages=pages), min_value=1, max_value=pages, step=1
            )
        )
    pending = store.pending_texts(
        actor=actor,
        quarter_id=quarter_id,
        session_id=session_id,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    if pending and st.button(t("Release the selected texts"), key="release_selected"):
        chosen = [pin.id for pin in pending if st.session_state.get(f"{_SELECTED}{pin.id}")]
        if not chosen:
            st.info(t("Please select texts first (the box below each text)."))
        else:
            act(partial(store.release_texts, chosen, actor=actor))
    words = places(pack, pending)
    names = quarter_names(pack)
    for pin in pending:
        quarter = names.get(pin.quarter_id, pin.quarter_id)
        _text_item(store, actor, pin, pack, quarter, words[pin.id])
    st.divider()
    photo_queue(store, actor, pack)


def flag_queue(store: Store, actor: Actor, pack: DistrictPack) -> None:
    flags = store.open_flags(actor=actor)
    st.subheader(t("Reported notes ({count})", count=len(flags)))
    pins = {flag.id: store.pin(flag.pin_id) for flag in flags}
    words = places(pack, [pin for pin in pins.values() if pin is not None])
    for flag in flags:
        pin = pins[flag.id]
        with st.container(border=True):
            if pin is not None:
                _pin_head(pin, quarter_name(pack, pin.quarter_id), words[pin.id])
                if pin.text:
                    st.text(pin.text)
                _map_on_request(store, pin, pack, map_key=f"flag_map_{flag.id}")
            st.markdown(t("Reason given:"))
            st.text(flag.reason)
            done, hide = st.columns(2)
            if done.button(t("Nothing to do"), key=f"resolve_{flag.id}"):
                act(partial(store.resolve_flag, flag.id, actor=actor))
            with hide.popover(t("Hide")):
                reason = st.text_input(
                    t("Reason"), key=f"flag_hide_reason_{flag.id}", max_chars=300
                )
                if st.button(t("Hide this note"), key=f"flag_hide_{flag.id}"):
                    act(partial(store.hide_reported, flag.id, actor=actor, reason=reason or ""))
