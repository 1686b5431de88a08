"""Lab sessions: facilitators open a session, show its code, close it, transcribe paper maps."""

import streamlit as st

from rules.roles import Action
from ui import resources
from ui.auth import require_page
from ui.i18n import t
from ui.staff_sessions import open_form, opened_card, session_list

resources.demo_notice()
actor = require_page(Action.RUN_SESSIONS)
pack = resources.district_pack()
store = resources.store()
st.title(t("Lab sessions"))
opened_card(store, actor)
open_form(store, pack, actor)
st.divider()
session_list(store, pack, actor)
