"""Sichere Quartiere: the frame around the pages (config, sidebar, navigation)."""

import streamlit as st

from ui.i18n import language_switch, t
from ui.theme import apply_style

st.set_page_config(page_title="Sichere Quartiere", page_icon="📍", layout="wide")
apply_style()

st.sidebar.markdown("### Sichere Quartiere")
st.sidebar.caption(t("Safety map of the Dortmund neighbourhood labs"))
language_switch()

pages = [
    st.Page("pages/karte.py", title=t("Shared map"), icon="📍", default=True, url_path="karte"),
]
st.navigation(pages).run()
