"""Shared map: join a lab with its code, place a pin where it feels unsafe, see everyone's pins."""

import streamlit as st

from ui import resources, state
from ui.after_saving import after_saving
from ui.i18n import md, t
from ui.participation import (
    code_from_link,
    handover_link,
    join_box,
    joined_session,
    pin_panel,
)
from ui.pin_entry import my_notes_link, pin_form, typed_text_kept, unsaved_notice
from ui.pin_list import pin_list
from ui.place_entry import place_entry
from ui.quarter_picker import quarter_label, quarter_picker
from ui.shared_map import shared_map

resources.demo_notice()
pack = resources.district_pack()
store = resources.store()
code_from_link(store)
state.quarter_from_link(pack.districts.index)
quarter_id = state.quarter()

if quarter_id is None or quarter_id not in pack.districts.index:
    st.title(t("Where do you feel unsafe?"))
    st.write(
        t("At a lab: enter the code shown on the screen, then tap the map where you feel unsafe.")
    )
    join_box(store)
    st.write(t("Or just look at a quarter's map:"))
    quarter_picker(pack)
    st.stop()

name = quarter_label(pack, quarter_id)
area = pack.geometry(quarter_id)
joined = joined_session(store)

head, back = st.columns([2, 1], vertical_alignment="bottom")
head.title(name)
if back.button(t("Choose another quarter"), width="stretch"):
    state.choose_quarter(None)
    st.rerun()

state.show_flash()
my_notes_link()
after_saving(store)
unsaved_notice(store)

# Map left, form right on a tablet; stacked (map first) on a phone.
left, right = st.columns([3, 2], gap="small")
with left:
    if joined is not None and joined.is_open:
        # On a phone the questions sit below the map: say where to look next.
        if state.pending() is None:
            st.caption(t("Tap the map where you feel unsafe."))
        else:
            st.caption(t("Place marked. The questions are next to or below the map."))
        # Keyed and tracked: the tab a person chose stays chosen after a save or a
        # refresh (untracked tabs jumped back to the map), and the hidden one costs nothing.
        on_map, without_map = st.tabs(
            [t("On the map"), t("Without the map")], key="place_tab", on_change="rerun"
        )
        if on_map.open:
            with on_map:
                shared_map(pack, store, quarter_id, name)
        if without_map.open:
            with without_map:
                place_entry(resources.landmarks(), area, name, quarter_id)
    else:
        shared_map(pack, store, quarter_id, name)
    # A tapped note's "Me too" and "Report" right below the map, where the eye is (on a
    # phone the right column comes only after the list).
    pin_panel(store, quarter_id)
    pin_list(store, pack, quarter_id)
with right:
    if notice := state.map_notice():
        st.warning(notice)
    place = state.pending()
    if joined is None:
        st.info(t("To add notes, enter the code of your lab."))
        join_box(store)
    elif not joined.is_open:
        st.warning(
            t(
                "The lab “{title}” has ended and takes no new notes. Thank you for taking part!",
                title=md(joined.title),
            )
        )
        typed_text_kept(place)
    elif place is None:
        st.caption(t("You take part in: {title}", title=md(joined.title)))
        st.info(t("Tap the map where you feel unsafe. You can then say why and when."))
        handover_link(joined)
    else:
        pin_form(store, place, session=joined, area=area, name=name)
