"""What the city does: the public plan of measures, on a map and as a list, for everyone."""

import streamlit as st

from ui import resources
from ui.i18n import t
from ui.public_plan import plan_page

resources.demo_notice()
store = resources.store()
st.title(t("What the city does"))
st.write(
    t(
        "The measures the steering circle of the neighbourhood labs has taken up, where "
        "they stand and which notes they answer. Tap a number on the map or open a "
        "measure in the list."
    )
)
plan_page(store, resources.district_pack())
