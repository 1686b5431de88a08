"""Moderation: release texts and comments on measures, handle reported notes, merge
duplicates; all audited."""

import streamlit as st

from rules.roles import Action
from ui import resources
from ui.auth import require_page
from ui.i18n import t
from ui.moderation_comments import comment_queue
from ui.moderation_merge import merge_form
from ui.staff_moderation import flag_queue, text_queue

resources.demo_notice()
actor = require_page(Action.MODERATE)
store = resources.store()
st.title(t("Moderation"))
pack = resources.district_pack()
text_queue(store, actor, pack)
st.divider()
flag_queue(store, actor, pack)
st.divider()
comment_queue(store, actor, pack)
st.divider()
merge_form(store, actor, pack)
