"""Data: planners upload, check and import layers, and see where every layer comes from."""

import streamlit as st

from rules.roles import Action, allowed
from ui import resources, state
from ui.auth import require_page
from ui.data_page import layer_list, upload_section
from ui.i18n import t

resources.demo_notice()
actor = require_page(Action.READ_EXACT)
resources.district_pack()
store = resources.store()
st.title(t("Data layers"))
state.show_flash()
if allowed(actor.role, Action.MANAGE_LAYERS):
    upload_section(store, demo_mode=resources.settings().demo, actor=actor)
    st.divider()
layer_list(store, actor)
