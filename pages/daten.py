"""Data: planners upload, check and import layers, and see where every layer comes from."""

import streamlit as st

from ui import resources
from ui.data_page import layer_list, upload_section
from ui.i18n import t

resources.demo_notice()
resources.district_pack()
store = resources.store()
st.title(t("Data layers"))
upload_section(store, demo_mode=resources.settings().demo)
st.divider()
layer_list(store)
