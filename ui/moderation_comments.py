"""The moderators' queue of residents' comments on measures: release, or hide with a
reason; each audited by the store."""

from __future__ import annotations

from functools import partial
from typing import Final

import streamlit as st

from geo.districts import DistrictPack
from rules.local_time import local
from rules.roles import Actor
from store import Store
from store.measure_weigh_in import PendingComment
from ui.i18n import md, t
from ui.moderation_action import release_or_hide
from ui.quarter_picker import quarter_label

SHOWN: Final = 20  # comments on screen at once; the next ones follow a release
_DONE: Final = "comment_moderated"  # the message of the last action (one run)


def comment_queue(store: Store, actor: Actor, pack: DistrictPack) -> None:
    """Every comment waiting for release, oldest first, with its measure."""
    waiting = store.pending_comments(actor=actor)
    st.subheader(t("Comments on measures waiting for release ({count})", count=len(waiting)))
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(str(done))
    if not waiting:
        st.caption(t("No comments are waiting."))
        return
    if len(waiting) > SHOWN:
        st.caption(
            t(
                "The oldest {shown} of {count} are shown; the next ones follow as these are"
                " handled.",
                shown=SHOWN,
                count=len(waiting),
            )
        )
    for comment in waiting[:SHOWN]:
        _comment_item(store, actor, comment, quarter_label(pack, comment.quarter_id))


def _comment_item(store: Store, actor: Actor, comment: PendingComment, quarter: str) -> None:
    with st.container(border=True, key=f"comment_box_{comment.id}"):
        st.markdown(
            t(
                "**Comment on measure #{id}:** {title}",
                id=comment.measure_id,
                title=md(comment.measure_title),
            )
        )
        st.caption(f"{md(quarter)} · {local(comment.created_at):%d.%m.%Y %H:%M}")
        st.text(comment.text)  # plain text, whatever it holds
        release_or_hide(
            "comment_",
            comment.id,
            release=(t("Release"), partial(store.release_comment, comment.id, actor=actor)),
            hide=(
                t("Hide"),
                t("Hide this comment"),
                partial(store.hide_comment, comment.id, actor=actor),
            ),
            released=partial(_remember, t("Comment released: it is shown with the measure.")),
            hidden=partial(_remember, t("Comment hidden.")),
        )


def _remember(done: str) -> None:
    """What the next run says was done."""
    st.session_state[_DONE] = done
