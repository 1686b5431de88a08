"""Sichere Quartiere: the frame around the pages (config, sidebar, navigation)."""

import streamlit as st

from ui.i18n import language_switch, t
from ui.theme import apply_style

st.set_page_config(page_title="Sichere Quartiere", page_icon=":material/pin_drop:", layout="wide")
apply_style()

st.sidebar.markdown("### Sichere Quartiere")
st.sidebar.caption(t("Safety map of the Dortmund neighbourhood labs"))
language_switch()

# Each url_path is its file's stem: Streamlit resolves a first request against the
# pages/ folder before st.navigation runs, and another name shows "page not found".
pages = [
    st.Page(
        "pages/karte.py",
        title=t("Shared map"),
        icon=":material/pin_drop:",
        default=True,
        url_path="karte",
    ),
    st.Page("pages/planer.py", title=t("Planning map"), icon=":material/map:", url_path="planer"),
    st.Page("pages/daten.py", title=t("Data layers"), icon=":material/layers:", url_path="daten"),
]
st.navigation(pages).run()
