"""The short form for a new pin: "me too" instead of a duplicate, saving once,
and retrying failed saves."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from shapely.geometry.base import BaseGeometry

from geo.nearby import SUPPORT_RADIUS_M, nearby_same_category
from geo.pins import pins_frame, validate_draft
from rules.errors import SQError, StoreError, ValidationError
from rules.labs import WORKING_GROUPS, LabSession
from rules.pins import PinDraft
from rules.roles import Role
from rules.vocab import CATEGORIES, SEVERITIES, TEXT_MAX_CHARS, TIME_BANDS
from store import Store
from ui import labels, state
from ui.auth import current_actor
from ui.i18n import error_text, t, tn
from ui.shared_map import visible_pins

_OFFER = "me_too_offer"


@dataclass(frozen=True, slots=True)
class _Offer:
    """A similar pin close by, offered instead of a new one; tied to one draft."""

    draft: PinDraft
    pin_id: int


_KEPT_TEXT = "text_kept_after_close"


def pin_form(
    store: Store,
    place: state.PendingPlace,
    *,
    session: LabSession,
    area: BaseGeometry,
    name: str,
) -> None:
    """Ask what, when and how unsafe; save on submit. Widgets are keyed by token,
    so every new place starts with an empty form."""
    offer = st.session_state.get(_OFFER)
    if isinstance(offer, _Offer) and offer.draft.token == place.token:
        me_too_offer(store, offer)
        return
    suffix = place.token
    with st.form(key=f"pin_form_{suffix}", border=True):
        st.markdown("**" + t("Your note for the marked place") + "**")
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
        group = st.radio(
            t("Which working group should look at it? (optional)"),
            options=[None, *WORKING_GROUPS],
            format_func=lambda g: t("don't know") if g is None else t(WORKING_GROUPS[g]),
            index=0,
            key=f"group_{suffix}",
        )
        text = st.text_area(
            t("Anything else? (optional, at most {limit} characters)", limit=TEXT_MAX_CHARS),
            key=f"text_{suffix}",
            height=100,
            placeholder=t("e.g. no light on the footpath after 6 pm"),
        )
        st.caption(
            t(
                "Please write no names or other personal details. A moderator reads every text "
                "before it is shown to everyone."
            )
        )
        submitted = st.form_submit_button(t("Save note"), type="primary", width="stretch")
    if st.button(t("Discard this place"), key=f"discard_{suffix}"):
        state.clear_pending()
        st.rerun()
    if not submitted:
        return
    draft = PinDraft(
        quarter_id=session.quarter_id,
        lon=place.lon,
        lat=place.lat,
        category=category,
        time_band=time_band,
        severity=severity,
        text=text or "",
        token=place.token,
        session_id=session.id,
        channel=session.format,
        working_group=group,
        # Staff transcribing a paper map are not rate-limited; participants are.
        participant="" if current_actor().role is not Role.PARTICIPANT else state.participant_id(),
    )
    try:
        clean = validate_draft(draft, area, name)
    except ValidationError as exc:
        st.error(error_text(exc))
        return
    try:
        stored = store.is_stored(clean.token)
    except StoreError:
        stored = False  # saving below keeps the note for a retry
    if stored:
        # Saved already: a double click whose first run ended before its session state
        # was kept. Confirm that note again (add_pin returns it) instead of offering it
        # as a "similar note close by".
        save(store, clean)
        return
    try:
        # Only among the pins this participant can see (the public view): the offer
        # must not reveal hidden pins, nor exact places through a distance.
        similar = nearby_same_category(
            visible_pins(store, session.quarter_id),
            lon=clean.lon,
            lat=clean.lat,
            category=str(clean.category),
            radius_m=SUPPORT_RADIUS_M,
        )
    except StoreError:
        similar = pins_frame([])  # no offer now; saving keeps the note for a retry
    if not similar.empty:
        nearest = similar.iloc[0]
        st.session_state[_OFFER] = _Offer(draft=clean, pin_id=int(nearest["id"]))
        st.rerun()
    save(store, clean)


def me_too_offer(store: Store, offer: _Offer) -> None:
    """Offer to support the similar pin close by instead of adding a second one."""
    category = labels.category(str(offer.draft.category))
    st.info(
        t(
            "Close by there is already a note “{category}”. Would you like to support it "
            "instead of adding a new one?",
            category=category,
        )
    )
    support, own = st.columns(2)
    if support.button(t("Yes, me too (+1)"), key="offer_support", type="primary"):
        st.session_state[_OFFER] = None
        try:
            count = store.add_support(
                offer.pin_id, state.participant_id(), session_id=offer.draft.session_id
            )
        except SQError as exc:
            st.error(error_text(exc))
            return
        state.clear_pending()
        state.flash(
            tn(
                "Thank you! {count} person now supports this note.",
                "Thank you! {count} people now support this note.",
                count,
            )
        )
        st.rerun()
    if own.button(t("No, save my own note"), key="offer_decline"):
        st.session_state[_OFFER] = None
        save(store, offer.draft)


def save(store: Store, draft: PinDraft) -> None:
    """Store one validated draft; on failure keep it in the session for a retry.
    Refusals that waiting will not fix (session closed, rate limit) are explained."""
    try:
        pin = store.add_pin(draft)
    except ValidationError as exc:
        st.error(error_text(exc))
        return
    except StoreError as exc:
        state.keep_unsaved(draft)
        state.clear_pending()
        message = t("Your note could not be saved just now. It is kept here; please try again.")
        state.flash(f"{message} ({error_text(exc)})", ok=False)
        st.rerun()
    state.clear_pending()
    state.remember_mine(pin.id)
    state.flash(
        t(
            "Thank you! Your note is on the map. Its text will be shown once a moderator "
            "has read it."
        )
        if draft.text
        else t("Thank you! Your note is saved and visible to everyone.")
    )
    st.rerun()


def unsaved_notice(store: Store) -> None:
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
            state.remember_mine(store.add_pin(draft).id)
        except StoreError:
            still.append(draft)
        except ValidationError as exc:
            # e.g. the rate limit: the note stays here for a later try, with the reason.
            still.append(draft)
            st.error(error_text(exc))
    state.set_unsaved(still)
    if still:
        st.error(t("Still not saved. Please try again in a moment."))
    else:
        state.flash(t("Thank you! Your note is saved and visible to everyone."))
        st.rerun()


def typed_text_kept(place: state.PendingPlace | None) -> None:
    """The lab closed while a note was being written: the form is gone, the text the
    person typed stays on screen, to copy or to hand to the lab's team."""
    if place is not None and (typed := st.session_state.get(f"text_{place.token}")):
        st.session_state[_KEPT_TEXT] = typed  # the form's own field is gone from now on
    kept = st.session_state.get(_KEPT_TEXT)
    if kept:
        st.caption(t("Your text was not saved; here it is, to copy or to give to the lab's team:"))
        st.text(kept)  # as typed, never as markdown


def my_notes_link() -> None:
    """After saving: the note's number and where to follow what becomes of it."""
    mine = state.my_pins()
    if not mine:
        return
    st.caption(
        t(
            "Your note has the number {number}. What becomes of it: [What became of my "
            "note?](/mein-hinweis?hinweis={number})",
            number=mine[-1],
        )
    )
