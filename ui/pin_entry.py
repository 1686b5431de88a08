"""The short form for a new pin: "me too" instead of a duplicate, saving once,
and retrying failed saves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import streamlit as st
from shapely.geometry.base import BaseGeometry
from streamlit.runtime.uploaded_file_manager import UploadedFile

from geo.nearby import SUPPORT_RADIUS_M, nearby_same_category
from geo.pins import pins_frame, validate_draft
from rules.errors import SQError, StoreError, ValidationError
from rules.labs import WORKING_GROUPS, LabSession
from rules.photos import MAX_PHOTOS_PER_NOTE, MAX_UPLOAD_MB, PhotoImage
from rules.pins import PinDraft
from rules.roles import Role
from rules.vocab import CATEGORIES, SEVERITIES, TEXT_MAX_CHARS, TIME_BANDS
from services.metrics import save_note
from services.note_photos import Upload, prepare_uploads
from store import Store
from ui import labels, state
from ui.auth import current_actor
from ui.i18n import error_text, md, t, tn
from ui.note_photos import PHOTO_TYPES
from ui.shared_map import visible_pins

_OFFER = "me_too_offer"


@dataclass(frozen=True, slots=True)
class _Offer:
    """A similar pin close by, offered instead of a new one; tied to one draft."""

    draft: PinDraft
    pin_id: int
    photos: tuple[PhotoImage, ...] = field(default=())


_KEPT_TEXT = "text_kept_after_close"
# Photos of notes whose save failed, by the draft's token, for the retry.
_UNSAVED_PHOTOS = "unsaved_photos"


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
        uploads = st.file_uploader(
            t("Photos (optional, at most {count})", count=MAX_PHOTOS_PER_NOTE),
            type=PHOTO_TYPES,
            accept_multiple_files=True,
            key=f"photos_{suffix}",
            max_upload_size=MAX_UPLOAD_MB,
        )
        st.caption(
            t(
                "Take a photo or choose one. A moderator looks at every photo before it is "
                "shown; where and with what it was taken is removed. Please no faces or "
                "number plates."
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
    photos = _prepared_photos(uploads or [])
    if photos is None:
        return  # nothing saved: the form keeps what was chosen, to put right
    try:
        stored = store.is_stored(clean.token)
    except StoreError:
        stored = False  # saving below keeps the note for a retry
    if stored:
        # Saved already: a double click whose first run ended before its session state
        # was kept. Confirm that note again (add_pin returns it) instead of offering it
        # as a "similar note close by".
        save(store, clean, photos)
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
        st.session_state[_OFFER] = _Offer(draft=clean, pin_id=int(nearest["id"]), photos=photos)
        st.rerun()
    save(store, clean, photos)


def _prepared_photos(uploads: Sequence[UploadedFile]) -> tuple[PhotoImage, ...] | None:
    """The chosen photos made clean JPEGs; None (and the reasons shown) if any cannot
    be taken, or there are too many."""
    files = [Upload(name=f.name, data=f.getvalue()) for f in uploads]
    try:
        prepared = prepare_uploads(files)
    except ValidationError as exc:
        st.error(error_text(exc))
        return None
    for name, refusal in prepared.refused:
        st.error(t("Photo “{name}”: {problem}", name=md(name), problem=error_text(refusal)))
    if prepared.refused:
        st.info(t("Nothing was saved yet. Please remove that photo or choose another one."))
        return None
    return prepared.photos


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
    if offer.photos:
        st.caption(t("Your photos are added only with a note of your own."))
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
        save(store, offer.draft, offer.photos)


def save(store: Store, draft: PinDraft, photos: Sequence[PhotoImage] = ()) -> None:
    """Store one validated draft, then its photos; on failure keep both in the session
    for a retry. Refusals that waiting will not fix (session closed, rate limit) are
    explained; a note saved whose photos were not is said so plainly."""
    try:
        pin = save_note(store, draft)
    except ValidationError as exc:
        st.error(error_text(exc))
        return
    except StoreError as exc:
        state.keep_unsaved(draft)
        _keep_unsaved_photos(draft.token, photos)
        state.clear_pending()
        message = t("Your note could not be saved just now. It is kept here; please try again.")
        state.flash(f"{message} ({error_text(exc)})", ok=False)
        st.rerun()
    state.clear_pending()
    state.remember_mine(pin.id)
    problem = _add_photos(store, pin.id, draft, photos)
    if problem is not None:
        state.flash(problem, ok=False)
    elif photos:
        state.flash(
            t(
                "Thank you! Your note is on the map. Its photos (and its text) will be shown "
                "once a moderator has looked at them."
            )
        )
    else:
        state.flash(
            t(
                "Thank you! Your note is on the map. Its text will be shown once a moderator "
                "has read it."
            )
            if draft.text
            else t("Thank you! Your note is saved and visible to everyone.")
        )
    st.rerun()


def _add_photos(
    store: Store, pin_id: int, draft: PinDraft, photos: Sequence[PhotoImage]
) -> str | None:
    """Keep a saved note's photos (once: a save repeated after a double click finds
    them there); what went wrong, in words for the person, or None."""
    if not photos:
        return None
    try:
        if store.count_photos(pin_id) == 0:
            store.add_photos(pin_id, photos, participant=draft.participant)
    except (StoreError, ValidationError) as exc:
        return t(
            "Your note is saved, but its photos could not be saved ({problem}). The note "
            "stays on the map without photos.",
            problem=error_text(exc),
        )
    return None


def _keep_unsaved_photos(token: str, photos: Sequence[PhotoImage]) -> None:
    kept = dict(st.session_state.get(_UNSAVED_PHOTOS) or {})
    if photos:
        kept[token] = tuple(photos)
    st.session_state[_UNSAVED_PHOTOS] = kept


def unsaved_notice(store: Store) -> None:
    """Offer to retry notes whose save failed; each is stored at most once."""
    drafts = state.unsaved()
    if not drafts:
        return
    st.warning(t("{count} note(s) not yet saved.", count=len(drafts)))
    if not st.button(t("Try saving again"), key="retry_unsaved", type="primary"):
        return
    still: list[PinDraft] = []
    kept_photos: dict[str, tuple[PhotoImage, ...]] = st.session_state.get(_UNSAVED_PHOTOS) or {}
    problems: list[str] = []
    for draft in drafts:
        try:
            pin_id = save_note(store, draft).id
            state.remember_mine(pin_id)
            problem = _add_photos(store, pin_id, draft, kept_photos.get(draft.token, ()))
            if problem is not None:
                problems.append(problem)
        except StoreError:
            still.append(draft)
        except ValidationError as exc:
            # e.g. the rate limit: the note stays here for a later try, with the reason.
            still.append(draft)
            st.error(error_text(exc))
    state.set_unsaved(still)
    waiting = {d.token for d in still}
    st.session_state[_UNSAVED_PHOTOS] = {
        token: photos for token, photos in kept_photos.items() if token in waiting
    }
    if still:
        st.error(t("Still not saved. Please try again in a moment."))
    elif problems:
        state.flash(problems[0], ok=False)
        st.rerun()
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
