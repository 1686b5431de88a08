"""A follower's links from the mails: confirm the address, or delete it with one click
(/folgen?token=…&aktion=bestaetigen|abmelden)."""

import streamlit as st

from ui import resources
from ui.after_saving import follow_link_answer
from ui.i18n import t

st.title(t("News about your note by e-mail"))
follow_link_answer(resources.store())
