"""One moderation action as every moderation queue runs it (texts, photos, comments)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from rules.errors import SQError
from ui.i18n import error_text


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
