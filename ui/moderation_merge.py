"""Merging two notes: both side by side and on one map before anything happens; far
apart or of different categories, the merge asks a second time."""

from __future__ import annotations

import streamlit as st

from geo.districts import DistrictPack
from layers.note_map import KEEP_COLOUR, OTHER_COLOUR, NoteMark
from rules.errors import SQError
from rules.local_time import local
from rules.pins import Pin
from rules.roles import Actor
from services.merge_preview import MergeBlock, MergeConcern, MergePreview, merge_preview
from store import Store
from ui import labels, state
from ui.i18n import N_, error_text, t, tn
from ui.moderation_places import places, quarter_name, small_map

KEEP = "merge_keep"
DUPLICATE = "merge_duplicate"
REASON = "merge_reason"
_ASKED = "merge_asked"  # the pair (keep, duplicate) the second confirmation is for
_DONE = "merge_done"
_FAILED = "merge_failed"
_RERUN = "merge_rerun"  # a merge done: the whole page, not only this part, runs again
_NOTICE_S = 30.0

_BLOCKS = {
    MergeBlock.SAME_NOTE: N_("A note cannot be merged with itself."),
    MergeBlock.OTHER_QUARTER: N_("Only notes of the same quarter can be merged."),
    MergeBlock.KEEP_GONE: N_(
        "Note {number} has been hidden or merged already; it cannot take another note."
    ),
    MergeBlock.DUPLICATE_GONE: N_("Note {number} has been hidden or merged already."),
}


def _metres(distance_m: float) -> str:
    """Whole metres with a German thousands point: '1.020'."""
    return f"{round(distance_m):,}".replace(",", ".")


def _merge(store: Store, actor: Actor, keep_id: int, duplicate_id: int) -> None:
    """Merge exactly the pair that was previewed (a button's callback: runs before the
    page, so the form can be emptied)."""
    st.session_state.pop(_ASKED, None)
    try:
        count = store.merge_pins(
            keep_id, duplicate_id, actor=actor, reason=st.session_state.get(REASON) or ""
        )
    except SQError as exc:
        st.session_state[_FAILED] = error_text(exc)
        return
    state.keep_for_a_while(_DONE, (keep_id, duplicate_id, count))
    st.session_state[_RERUN] = True
    for key in (KEEP, DUPLICATE):
        st.session_state[key] = None
    st.session_state.pop(REASON, None)  # the usual reason again for the next pair


def choose_pair(keep_id: int, duplicate_id: int) -> None:
    """Put two notes into the merge form (a button's callback, from the queue)."""
    st.session_state[KEEP] = keep_id
    st.session_state[DUPLICATE] = duplicate_id
    st.session_state.pop(_ASKED, None)


def _ask(pair: tuple[int, int]) -> None:
    st.session_state[_ASKED] = pair


def _cancel() -> None:
    st.session_state.pop(_ASKED, None)


def _notices() -> None:
    failed = st.session_state.pop(_FAILED, None)
    if failed:
        st.error(failed)
    done = state.recent(_DONE, _NOTICE_S)
    if isinstance(done, tuple):
        keep_id, duplicate_id, count = done
        st.success(
            t(
                "Note {duplicate} is now part of note {keep}.",
                duplicate=duplicate_id,
                keep=keep_id,
            )
            + " "
            + tn(
                "Merged. The note now has {count} support.",
                "Merged. The note now has {count} supports.",
                count,
            )
        )


def _card(pin: Pin, heading: str, place: str, pack: DistrictPack) -> None:
    with st.container(border=True):
        st.markdown(f"**{heading}**")
        st.markdown(f"{labels.category(pin.category)} · {labels.time_band(pin.time_band)}")
        st.caption(f"{quarter_name(pack, pin.quarter_id)} · {local(pin.created_at):%d.%m.%Y %H:%M}")
        st.write(place)
        if pin.text:
            st.text(pin.text)  # as moderators see it, released or not; never markup
        else:
            st.caption(t("No text"))
        st.caption(tn("{count} support", "{count} supports", pin.supports))


def _concerns(preview: MergePreview) -> None:
    for concern in preview.concerns:
        if concern is MergeConcern.FAR_APART:
            st.warning(
                t(
                    "The two notes are {distance} m apart, more than {limit} m. Notes about "
                    "the same place usually lie close together: please check on the map "
                    "that both mean the same spot.",
                    distance=_metres(preview.distance_m),
                    limit=_metres(preview.max_distance_m),
                ),
            )
        elif concern is MergeConcern.OTHER_CATEGORY:
            st.warning(
                t(
                    "The notes name different concerns: “{keep}” and “{duplicate}”. After "
                    "merging only “{keep}” remains; the other concern is no longer shown.",
                    keep=labels.category(preview.keep.category),
                    duplicate=labels.category(preview.duplicate.category),
                ),
            )


def _buttons(store: Store, actor: Actor, preview: MergePreview) -> None:
    pair = (preview.keep.id, preview.duplicate.id)
    # Nearly every merge has the same reason: it is filled in, and can be changed.
    st.session_state.setdefault(REASON, t("Same place, same concern"))
    st.text_input(t("Reason"), max_chars=300, key=REASON)
    if not preview.needs_confirmation:
        st.button(
            t("Merge"), key="merge_go", type="primary", on_click=_merge, args=(store, actor, *pair)
        )
        return
    if st.session_state.get(_ASKED) != pair:
        st.button(t("Merge"), key="merge_go", on_click=_ask, args=(pair,))
        return
    st.warning(
        t(
            "Really merge note {duplicate} into note {keep}, despite the warning above? "
            "Note {duplicate} then leaves the map.",
            duplicate=preview.duplicate.id,
            keep=preview.keep.id,
        )
    )
    row = st.container(horizontal=True)
    row.button(
        t("Merge anyway"),
        key="merge_anyway",
        type="primary",
        on_click=_merge,
        args=(store, actor, *pair),
    )
    row.button(t("Cancel"), key="merge_cancel", on_click=_cancel)


def _pin_or_say(store: Store, number: int) -> Pin | None:
    pin = store.pin(number)
    if pin is None:
        st.info(t("There is no note with the number {number}.", number=number))
    return pin


def _preview(store: Store, actor: Actor, pack: DistrictPack, keep_id: int, dup_id: int) -> None:
    keep = _pin_or_say(store, keep_id)
    duplicate = _pin_or_say(store, dup_id)
    if keep is None or duplicate is None:
        return
    preview = merge_preview(keep, duplicate)
    st.markdown(
        t("**Distance between the two notes: {distance} m**", distance=_metres(preview.distance_m))
    )
    words = places(pack, [keep, duplicate])
    stays, goes = st.columns(2)
    with stays:
        _card(keep, t("Stays: note {number}", number=keep.id), words[keep.id], pack)
    with goes:
        heading = t("Is merged into it: note {number}", number=duplicate.id)
        _card(duplicate, heading, words[duplicate.id], pack)
    if keep.quarter_id == duplicate.quarter_id:
        marks = [
            NoteMark(keep.lon, keep.lat, t("No. {number} (stays)", number=keep.id), KEEP_COLOUR),
            NoteMark(
                duplicate.lon, duplicate.lat, t("No. {number}", number=duplicate.id), OTHER_COLOUR
            ),
        ]
        caption = t("Dashed line: the straight line between the two notes.")
        small_map(pack, keep.quarter_id, marks, key="merge_map", caption=caption)
    for block in preview.blocks:
        number = keep.id if block is MergeBlock.KEEP_GONE else duplicate.id
        st.error(t(_BLOCKS[block], number=number))
    if not preview.possible:
        return
    _concerns(preview)
    _buttons(store, actor, preview)


@st.fragment
def merge_form(store: Store, actor: Actor, pack: DistrictPack) -> None:
    """Two note numbers, a preview of both, then the merge. A fragment: typing a number
    redraws this part only, not the queue above."""
    if st.session_state.pop(_RERUN, False):
        st.rerun()  # the merged note leaves the queue above too
    st.subheader(t("Merge duplicates"))
    _notices()
    st.caption(
        t(
            "Type the numbers of two notes. Before anything is merged you see both "
            "side by side and on a map."
        )
    )
    keep, duplicate = st.columns(2)
    keep_id = keep.number_input(
        t("Note that stays (number)"), min_value=1, step=1, value=None, key=KEEP
    )
    dup_id = duplicate.number_input(
        t("Duplicate merged into it (number)"), min_value=1, step=1, value=None, key=DUPLICATE
    )
    if keep_id is None or dup_id is None:
        return
    _preview(store, actor, pack, int(keep_id), int(dup_id))
