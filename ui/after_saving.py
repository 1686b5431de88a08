"""After saving a note: take it back within minutes (a slip of the finger on a tablet),
and ask to be told by e-mail what becomes of it; and the page the mails' links open.

Both offers are about this browser's last note only (ui.state.my_pins), and only if
the note is this browser's (the participation number that saved it). Following is
offered only when mails can be sent (services.follow_mail.mail_setup); without it the
note's own link ("What became of my note?") is the way to follow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import streamlit as st

from rules.errors import SQError
from rules.follows import valid_follow_token
from rules.local_time import local
from services.follow_mail import CONFIRM, UNSUBSCRIBE, MailSetup, ask_to_follow, mail_setup
from store import Store
from ui import resources, state
from ui.i18n import error_text, md, t

_NOTE: Final = "after_saving_note"  # what the store said of the last note (once per note)
_CONFIRMING: Final = "withdraw_confirming"  # the note whose withdrawal awaits a yes
_ASKED: Final = "follow_asked"  # note id -> the address a confirmation mail went to
_LINK_ANSWER: Final = "follow_link_answer"  # (token, action) -> the answer shown


@dataclass(frozen=True, slots=True)
class _Note:
    """This browser's last note, as far as these offers care."""

    pin_id: int
    is_author: bool
    withdraw_until: datetime | None  # None: withdrawing was never possible


def _last_note(store: Store) -> _Note | None:
    mine = state.my_pins()
    if not mine:
        return None
    kept = st.session_state.get(_NOTE)
    if isinstance(kept, _Note) and kept.pin_id == mine[-1]:
        return kept
    participant = state.participant_id()
    try:
        note = _Note(
            pin_id=mine[-1],
            is_author=store.is_author(mine[-1], participant),
            withdraw_until=store.withdrawable_until(mine[-1], participant),
        )
    except SQError:
        return None  # the store is away: no offers now, the next run asks again
    st.session_state[_NOTE] = note
    return note


def _setup() -> MailSetup | None:
    return mail_setup(resources.settings())


def after_saving(store: Store) -> None:
    """Below the thank-you: "withdraw this note" (with a confirmation, for 10 minutes)
    and "tell me by e-mail" (when mails can be sent)."""
    note = _last_note(store)
    if note is None or not note.is_author:
        return
    until = note.withdraw_until
    can_withdraw = until is not None and datetime.now(UTC) <= until
    setup = _setup()
    if not can_withdraw and setup is None:
        return
    with st.container(border=True, key="after_saving"):
        if can_withdraw and until is not None:
            _withdraw_offer(store, note.pin_id, until)
        if setup is not None:
            _follow_offer(store, note.pin_id, setup)


def _withdraw_offer(store: Store, pin_id: int, until: datetime) -> None:
    if st.session_state.get(_CONFIRMING) != pin_id:
        text, button = st.columns([3, 2], vertical_alignment="center")
        clock = local(until).strftime("%H:%M")
        text.markdown(
            t(
                "Saved by mistake? You can withdraw note no. {number} until {time}.",
                number=pin_id,
                time=clock,
            )
        )
        if button.button(t("Withdraw note"), key="withdraw_pin", width="stretch"):
            st.session_state[_CONFIRMING] = pin_id
            st.rerun()
        return
    st.warning(
        t(
            "Really withdraw note no. {number}? It is deleted from the map for good.",
            number=pin_id,
        )
    )
    yes, no = st.columns(2)
    if no.button(t("No, keep it"), key="withdraw_no", width="stretch"):
        st.session_state[_CONFIRMING] = None
        st.rerun()
    if not yes.button(t("Yes, withdraw"), key="withdraw_yes", type="primary", width="stretch"):
        return
    st.session_state[_CONFIRMING] = None
    try:
        store.withdraw_pin(pin_id, state.participant_id())
    except SQError as exc:
        st.error(error_text(exc))
        return
    state.set_mine([p for p in state.my_pins() if p != pin_id])
    st.session_state[_NOTE] = None
    state.flash(t("Note no. {number} has been withdrawn and deleted.", number=pin_id))
    st.rerun()


def _follow_offer(store: Store, pin_id: int, setup: MailSetup) -> None:
    asked: dict[int, str] = st.session_state.setdefault(_ASKED, {})
    if pin_id in asked:
        st.info(
            t(
                "We have sent a mail to {address}. Please open the link in it to confirm;"
                " only then will we write to you.",
                address=md(asked[pin_id]),
            )
        )
        return
    with st.expander(t("Tell me by e-mail what becomes of this note")):
        st.caption(
            t(
                "You first get a mail with a link to confirm. We keep your address apart from"
                " the note, only to tell you when a measure for it takes a step, and delete"
                " it when every measure is done or rejected, or with one click in any mail."
            )
        )
        with st.form(key=f"follow_form_{pin_id}", border=False):
            email = st.text_input(
                t("Your e-mail address"),
                key=f"follow_email_{pin_id}",
                placeholder="name@beispiel.de",
                autocomplete="email",
                max_chars=254,
            )
            sent = st.form_submit_button(t("Send confirmation mail"), width="stretch")
        if not sent:
            return
        try:
            follow = ask_to_follow(store, pin_id, email, state.participant_id(), setup=setup)
        except SQError as exc:
            st.error(error_text(exc))
            return
    if follow.confirmed_at is not None:
        st.info(t("This address already gets mails about note no. {number}.", number=pin_id))
        return
    asked[pin_id] = follow.email
    st.rerun()


# --- the page the mails' links open (/folgen?token=…&aktion=…) -----------------


def follow_link_answer(store: Store) -> None:
    """Confirm or delete the address of the link's token, and say so plainly. Done once
    per link and session: a rerun shows the same answer, not "no longer stored"."""
    token = valid_follow_token(st.query_params.get("token"))
    action = st.query_params.get("aktion")
    if token is None or action not in (CONFIRM, UNSUBSCRIBE):
        st.warning(
            t("This link is incomplete. Please open it once more from your e-mail, as a whole.")
        )
        return
    answers: dict[tuple[str, str], tuple[str, int | None]] = st.session_state.setdefault(
        _LINK_ANSWER, {}
    )
    key = (token, str(action))
    if key not in answers:
        try:
            answers[key] = _answer(store, token, str(action))
        except SQError as exc:
            st.error(error_text(exc))
            return
    outcome, pin_id = answers[key]
    _show(outcome, pin_id)


def _answer(store: Store, token: str, action: str) -> tuple[str, int | None]:
    if action == CONFIRM:
        follow = store.confirm_follow(token)
        return ("confirmed", follow.pin_id) if follow else ("unknown", None)
    pin_id = store.unfollow(token)
    return ("deleted", pin_id) if pin_id is not None else ("not_stored", None)


def _show(outcome: str, pin_id: int | None) -> None:
    if outcome == "confirmed":
        st.success(
            t(
                "Thank you! Your e-mail address is confirmed. We will write to you when a"
                " measure for your note no. {number} takes a step.",
                number=pin_id,
            )
        )
        st.caption(t("Every mail has a link that deletes your address with one click."))
    elif outcome == "deleted":
        st.success(
            t(
                "Your e-mail address has been deleted. You will get no more mails about"
                " note no. {number}.",
                number=pin_id,
            )
        )
    elif outcome == "not_stored":
        st.info(t("This e-mail address is not stored (any more). You will get no mails from us."))
    else:
        st.warning(
            t(
                "This link is no longer valid. The address may have been deleted: after"
                " unsubscribing, when it was not confirmed within 7 days, or when every"
                " measure for the note was completed."
            )
        )
    if pin_id is not None:
        st.markdown(
            t(
                "[What became of my note?](/mein-hinweis?hinweis={number})",
                number=pin_id,
            )
        )
