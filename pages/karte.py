"""Shared map: pick a quarter, place a pin where it feels unsafe, see everyone's pins."""

import streamlit as st

from ui import resources, state
from ui.i18n import t
from ui.pin_entry import pin_form, unsaved_notice
from ui.place_entry import place_entry
from ui.quarter_picker import quarter_label, quarter_picker
from ui.shared_map import shared_map

resources.demo_notice()
pack = resources.district_pack()
quarter_id = state.quarter()

if quarter_id is None or quarter_id not in pack.districts.index:
    st.title(t("Where do you feel unsafe?"))
    st.write(t("Choose your quarter. Then tap the map where you feel unsafe."))
    quarter_picker(pack)
    st.stop()

store = resources.store()
name = quarter_label(pack, quarter_id)
area = pack.geometry(quarter_id)

head, back = st.columns([3, 1], vertical_alignment="bottom")
head.title(name)
if back.button(t("Choose another quarter"), width="stretch"):
    state.choose_quarter(None)
    st.rerun()

state.show_flash()
unsaved_notice(store)

# Map left, form right on a tablet; stacked (map first) on a phone.
left, right = st.columns([2, 1], gap="medium")
with left:
    on_map, without_map = st.tabs([t("On the map"), t("Without the map")])
    with on_map:
        shared_map(pack, store, quarter_id, name)
    with without_map:
        place_entry(resources.landmarks(), area, name)
with right:
    if notice := state.map_notice():
        st.warning(notice)
    place = state.pending()
    if place is None:
        st.info(t("Tap the map where you feel unsafe. You can then say why and when."))
    else:
        pin_form(store, place, quarter_id=quarter_id, area=area, name=name)
