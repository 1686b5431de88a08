"""What became of my note? The measures linked to a note and where they stand."""

import streamlit as st

from ui import resources
from ui.i18n import t
from ui.pin_fate import choose_pin, pick_on_map, show_fate

resources.demo_notice()
store = resources.store()
st.title(t("What became of my note?"))
st.write(
    t(
        "Enter the number your note got when you saved it (or open the link you were shown). "
        "You will see which measures of the plan it is part of and where they stand."
    )
)
with st.expander(t("Or tap your note on the map")):
    pick_on_map(store, resources.district_pack())
pin_id = choose_pin()
if pin_id is not None:
    show_fate(store, pin_id)
