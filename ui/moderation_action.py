"""One moderation action as every moderation queue runs it (texts, photos, comments)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from rules.errors import SQError
from ui.i18n import error_text, t


def act(action: Callable[[], object], *, then: Callable[[], None] | None = None) -> None:
    """Run one moderation action; show its refusal plainly (someone else may have acted a
    moment ago), or, after `then`, rerun so the queue shows the change."""
    try:
        action()
    except SQError as exc:
        st.error(error_text(exc))
        return
    if then is not None:
        then()
    st.rerun()


def release_or_hide(
    prefix: str,
    item: int,
    *,
    release: tuple[str, Callable[[], object]],
    hide: tuple[str, str, Callable[..., object]],
    released: Callable[[], None] | None = None,
    hidden: Callable[[], None] | None = None,
) -> None:
    """The two answers to an item of a queue, side by side: `release` (its button's label,
    the action) and `hide` (the popover's label, its button's label, the action, called
    with the reason typed as `reason=`). Widget keys: <prefix>release_<item>,
    <prefix>hide_reason_<item>, <prefix>hide_<item>."""
    release_label, do_release = release
    hide_label, confirm_label, do_hide = hide
    left, right = st.columns(2)
    if left.button(release_label, key=f"{prefix}release_{item}", type="primary"):
        act(do_release, then=released)
    with right.popover(hide_label):
        reason = st.text_input(t("Reason"), key=f"{prefix}hide_reason_{item}", max_chars=300)
        if st.button(confirm_label, key=f"{prefix}hide_{item}"):
            act(lambda: do_hide(reason=reason or ""), then=hidden)
