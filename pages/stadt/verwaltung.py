"""Administration: accounts and roles, the audit log, retention of free texts."""

import streamlit as st

from rules.roles import Action
from ui import resources
from ui.auth import require_page
from ui.i18n import t
from ui.staff_admin import accounts, audit_log, retention

resources.demo_notice()
actor = require_page(Action.MANAGE_USERS)
store = resources.store()
st.title(t("Administration"))
accounts(store, actor)
st.divider()
audit_log(store, actor)
st.divider()
retention(store, actor)
