"""Issue 15 page (being built)."""

import streamlit as st

from ui.i18n import t

st.title(t("What the city does"))
