"""Planner: pins over survey, lighting, infrastructure and accidents; filter, analyse, export."""

import streamlit as st

from geo.filters import date_span, filter_pins
from rules.roles import Action
from services.layer_registry import layer_of_type
from ui import resources
from ui.auth import require_page
from ui.i18n import t
from ui.layer_registry import all_layers
from ui.planner_data import layer_frames, pins_visible, quarter_pins
from ui.planner_filters import planner_filters
from ui.planner_map import analysis_overlay, planner_map
from ui.planner_tables import counts, export_panel, perception_table, pin_table

resources.demo_notice()
require_page(Action.READ_EXACT)
pack = resources.district_pack()
store = resources.store()
layers = all_layers(store)
lab_quarters = pack.district_ids

st.title(t("Planning map"))
lab_frame = quarter_pins(store, lab_quarters)
view = planner_filters(pack, layers, date_span(lab_frame))

frame = quarter_pins(store, view.pin_filter.quarter_ids)
shown = filter_pins(frame, view.pin_filter) if pins_visible(view) else frame.iloc[:0]

analysis_layers = [
    m for m in layers if m.id in {view.analysis_source, view.lamps_layer} and m not in view.layers
]
frames = layer_frames(pack, [*view.layers, *analysis_layers], view.pin_filter.quarter_ids)

counts(view, shown, total=len(frame))
overlay = analysis_overlay(view, pack, shown, frames)
for warning in overlay.warnings:
    st.warning(warning)
for note in overlay.notes:
    st.caption(note)
planner_map(view, pack, shown, frames, overlay)

with st.expander(t("Notes as a table"), expanded=False):
    pin_table(shown)
survey, accidents = (
    frames[meta.id] if (meta := layer_of_type(view.layers, kind)) else None
    for kind in ("survey", "accidents")
)
perception_table(pack, shown, survey, accidents, list(view.pin_filter.quarter_ids))
export_panel(view, shown, frames, overlay.raster)
