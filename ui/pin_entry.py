"""The short form for a new pin, saving it once, and retrying failed saves."""

from __future__ import annotations

import streamlit as st
from shapely.geometry.base import BaseGeometry

from geo.errors import StoreError, ValidationError
from geo.pins import PinDraft, validate_draft
from geo.vocab import CATEGORIES, SEVERITIES, TEXT_MAX_CHARS, TIME_BANDS
from store import PinStore
from ui import labels, state
from ui.i18n import error_text, t


def pin_form(
    store: PinStore, place: state.PendingPlace, *, quarter_id: str, area: BaseGeometry, name: str
) -> None:
    """Ask what, when and how unsafe; save on submit. Widgets are keyed by token,
    so every new place starts with an empty form."""
    suffix = place.token
    with st.form(key=f"pin_form_{suffix}", border=True):
        st.markdown("#### " + t("Your note for the marked place"))
        category = st.radio(
            t("What makes this place feel unsafe?"),
            options=list(CATEGORIES),
            format_func=labels.category,
            index=None,
            key=f"category_{suffix}",
        )
        time_band = st.radio(
            t("When does it feel unsafe?"),
            options=list(TIME_BANDS),
            format_func=labels.time_band,
            index=None,
            horizontal=True,
            key=f"time_band_{suffix}",
        )
        severity = st.radio(
            t("How unsafe does it feel? (optional)"),
            options=[None, *SEVERITIES],
            format_func=labels.severity,
            index=0,
            horizontal=True,
            key=f"severity_{suffix}",
        )
        text = st.text_area(
            t("Anything else? (optional, at most {limit} characters)", limit=TEXT_MAX_CHARS),
            key=f"text_{suffix}",
            height=100,
            placeholder=t("e.g. no light on the footpath after 6 pm"),
        )
        st.caption(t("Please write no names or other personal details. Everyone can read this."))
        submitted = st.form_submit_button(t("Save note"), type="primary", width="stretch")
    if st.button(t("Discard this place"), key=f"discard_{suffix}"):
        state.clear_pending()
        st.rerun()
    if not submitted:
        return
    draft = PinDraft(
        quarter_id=quarter_id,
        lon=place.lon,
        lat=place.lat,
        category=category,
        time_band=time_band,
        severity=severity,
        text=text or "",
        token=place.token,
    )
    try:
        clean = validate_draft(draft, area, name)
    except ValidationError as exc:
        st.error(error_text(exc))
        return
    save(store, clean)


def save(store: PinStore, draft: PinDraft) -> None:
    """Store one validated draft; on failure keep it in the session for a retry."""
    try:
        store.add_pin(draft)
    except StoreError as exc:
        state.keep_unsaved(draft)
        state.clear_pending()
        message = t("Your note could not be saved just now. It is kept here; please try again.")
        state.flash(f"{message} ({error_text(exc)})", ok=False)
        st.rerun()
    state.clear_pending()
    state.flash(t("Thank you! Your note is saved and visible to everyone."))
    st.rerun()


def unsaved_notice(store: PinStore) -> None:
    """Offer to retry notes whose save failed; each is stored at most once."""
    drafts = state.unsaved()
    if not drafts:
        return
    st.warning(t("{count} note(s) not yet saved.", count=len(drafts)))
    if not st.button(t("Try saving again"), key="retry_unsaved", type="primary"):
        return
    still: list[PinDraft] = []
    for draft in drafts:
        try:
            store.add_pin(draft)
        except StoreError:
            still.append(draft)
    state.set_unsaved(still)
    if still:
        st.error(t("Still not saved. Please try again in a moment."))
    else:
        state.flash(t("Thank you! Your note is saved and visible to everyone."))
        st.rerun()
