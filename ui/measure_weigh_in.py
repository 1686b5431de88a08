"""Residents weigh in on a proposed measure: "finde ich gut" and a comment.

Both are taken only while the measure is open to discussion and its quarter's comment
phase is open (rules.measure_weigh_in); otherwise one sentence says why. A comment is
shown to everyone once a moderator released it, always as plain text.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from rules.errors import SQError
from rules.measure_weigh_in import COMMENT_MAX_CHARS, refusal
from rules.measures import Measure
from rules.text import clean_text
from store import Store
from ui import state
from ui.i18n import error_text, t, tn

_TEXT: Final = "weigh_in_text_"  # + measure id: the comment being written
_SENT: Final = "weigh_in_sent_"  # + measure id: a comment sent just now (state.recent)
_ERROR: Final = "weigh_in_error_"  # + measure id: (text, why) of the last refused send
_SUPPORTED: Final = "weigh_in_supported_"  # + measure id: a support given just now
_NOTICE_S: Final = 60.0  # a confirmation outlives the reruns that follow a click


def weigh_in_panel(store: Store, measure: Measure) -> None:
    """Support and comment on `measure` while its quarter's comment phase is open; the
    comments a moderator released, as plain text."""
    said = store.weigh_in([measure.id])[measure.id]
    st.subheader(t("Your opinion"))
    st.markdown(tn("{count} person likes this", "{count} people like this", said.supports))
    refused = refusal(measure.status, phase_open=store.is_comment_phase_open(measure.quarter_id))
    if refused is not None:
        st.info(error_text(refused))
    else:
        _support(store, measure)
        _comment_form(store, measure)
    _released(said.comments)


def _support(store: Store, measure: Measure) -> None:
    """The "I like this" button, once per participant; afterwards a word that it counts."""
    participant = state.participant_id()
    if store.supports_measure(measure.id, participant):
        if state.recent(f"{_SUPPORTED}{measure.id}", _NOTICE_S):
            st.success(t("Thank you! Your support is counted."))
        else:
            st.caption(t("You like this measure. Your support is counted once."))
        return
    if st.button(
        t("I like this"),
        key=f"weigh_in_support_{measure.id}",
        type="primary",
        icon=":material/thumb_up:",
    ):
        try:
            store.support_measure(measure.id, participant)
        except SQError as exc:
            st.error(error_text(exc))
            return
        state.keep_for_a_while(f"{_SUPPORTED}{measure.id}", True)
        st.rerun()


def _comment_form(store: Store, measure: Measure) -> None:
    """A text area with the number of characters used, and a send button; what was
    typed stays until it is stored (a refusal keeps it for a correction)."""
    key = f"{_TEXT}{measure.id}"
    st.text_area(
        t("Your comment (at most {limit} characters)", limit=COMMENT_MAX_CHARS),
        key=key,
        height=120,
        placeholder=t("e.g. Please also light the path to the bus stop."),
    )
    used = len(clean_text(str(st.session_state.get(key) or "")))  # as it would be stored
    counter = t("{count} of {limit} characters", count=used, limit=COMMENT_MAX_CHARS)
    if used > COMMENT_MAX_CHARS:
        st.error(counter)
    else:
        st.caption(counter)
    st.caption(
        t(
            "Please write no names or other personal details. A moderator reads every"
            " comment before it is shown to everyone."
        )
    )
    st.button(
        t("Send comment"),
        key=f"weigh_in_send_{measure.id}",
        on_click=_send,
        args=(store, measure.id),
    )
    refused = st.session_state.get(f"{_ERROR}{measure.id}")
    if isinstance(refused, tuple) and refused[0] == str(st.session_state.get(key) or ""):
        st.error(refused[1])  # said while the refused text is still there
    elif state.recent(f"{_SENT}{measure.id}", _NOTICE_S):
        st.success(
            t(
                "Thank you! Your comment has been received. It will appear here once a"
                " moderator has read it."
            )
        )


def _send(store: Store, measure_id: int) -> None:
    """Store the comment typed (before the page runs, so the emptied text area shows)."""
    key = f"{_TEXT}{measure_id}"
    text = str(st.session_state.get(key) or "")
    st.session_state[f"{_ERROR}{measure_id}"] = None
    if not text.strip() and state.recent(f"{_SENT}{measure_id}", _NOTICE_S):
        return  # the second click of a double click: the comment is stored already
    try:
        store.add_measure_comment(measure_id, state.participant_id(), text)
    except SQError as exc:
        st.session_state[f"{_ERROR}{measure_id}"] = (text, error_text(exc))
        return
    st.session_state[key] = ""
    state.keep_for_a_while(f"{_SENT}{measure_id}", True)


def _released(comments: tuple[str, ...]) -> None:
    """The comments a moderator released, each as plain text (never markup)."""
    st.markdown("**" + tn("{count} comment", "{count} comments", len(comments)) + "**")
    if not comments:
        st.caption(t("No comments released yet."))
        return
    for comment in comments:
        with st.container(border=True):
            st.text(comment)
