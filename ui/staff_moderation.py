"""The moderators' queue: texts to release, flags to handle, duplicates to merge."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from rules.errors import SQError
from rules.local_time import local
from rules.pins import Pin
from rules.roles import Actor
from store import Store
from ui import labels
from ui.i18n import error_text, t


def _act(action: Callable[[], object]) -> None:
    """Run one moderation action; show its refusal plainly, or rerun on success."""
    try:
        action()
    except SQError as exc:
        st.error(error_text(exc))
    else:
        st.rerun()


def _pin_head(pin: Pin) -> None:
    st.markdown(
        f"**#{pin.id} · {labels.category(pin.category)}** · {labels.time_band(pin.time_band)}"
    )
    st.caption(f"{pin.quarter_id} · {local(pin.created_at):%d.%m.%Y %H:%M}")


def text_queue(store: Store, actor: Actor) -> None:
    pending = store.pending_texts(actor=actor)
    st.subheader(t("Texts waiting for release ({count})", count=len(pending)))
    for pin in pending:
        with st.container(border=True):
            _pin_head(pin)
            st.text(pin.text)  # shown as plain text, whatever it holds
            release, hide = st.columns(2)
            if release.button(t("Release"), key=f"release_{pin.id}", type="primary"):
                _act(partial(store.release_text, pin.id, actor=actor))
            with hide.popover(t("Hide")):
                reason = st.text_input(t("Reason"), key=f"hide_reason_{pin.id}", max_chars=300)
                if st.button(t("Hide this note"), key=f"hide_{pin.id}"):
                    _act(partial(store.hide_pin, pin.id, actor=actor, reason=reason or ""))
            with st.expander(t("Edit out personal data, then release")):
                edited = st.text_area(t("Text"), value=pin.text, key=f"edit_text_{pin.id}")
                why = st.text_input(t("Reason"), key=f"edit_reason_{pin.id}", max_chars=300)
                if st.button(t("Save and release"), key=f"edit_{pin.id}"):
                    _act(
                        partial(
                            store.edit_text, pin.id, edited or "", actor=actor, reason=why or ""
                        )
                    )


def flag_queue(store: Store, actor: Actor) -> None:
    flags = store.open_flags(actor=actor)
    st.subheader(t("Reported notes ({count})", count=len(flags)))
    for flag in flags:
        pin = store.pin(flag.pin_id)
        with st.container(border=True):
            if pin is not None:
                _pin_head(pin)
                if pin.text:
                    st.text(pin.text)
            st.markdown(t("Reason given:"))
            st.text(flag.reason)
            done, hide = st.columns(2)
            if done.button(t("Nothing to do"), key=f"resolve_{flag.id}"):
                _act(partial(store.resolve_flag, flag.id, actor=actor))
            with hide.popover(t("Hide")):
                reason = st.text_input(
                    t("Reason"), key=f"flag_hide_reason_{flag.id}", max_chars=300
                )
                if st.button(t("Hide this note"), key=f"flag_hide_{flag.id}"):
                    _act(partial(store.hide_reported, flag.id, actor=actor, reason=reason or ""))


def merge_form(store: Store, actor: Actor) -> None:
    st.subheader(t("Merge duplicates"))
    with st.form("merge"):
        keep, duplicate = st.columns(2)
        keep_id = keep.number_input(t("Keep note #"), min_value=1, step=1)
        duplicate_id = duplicate.number_input(t("Merge note # into it"), min_value=1, step=1)
        reason = st.text_input(t("Reason"), max_chars=300)
        submitted = st.form_submit_button(t("Merge"))
    if submitted:
        try:
            count = store.merge_pins(
                int(keep_id), int(duplicate_id), actor=actor, reason=reason or ""
            )
        except SQError as exc:
            st.error(error_text(exc))
        else:
            st.success(t("Merged. The note now has {count} supports.", count=count))
