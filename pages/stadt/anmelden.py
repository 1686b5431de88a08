"""Log in: staff only; participants take part without an account."""

import streamlit as st

from ui import resources
from ui.i18n import t
from ui.staff_login import login_section

resources.demo_notice()
store = resources.store()
st.title(t("Log in for city staff"))
st.caption(t("Residents take part without an account, with the code of their lab."))
login_section(store)
