"""Plan of measures: candidate places from the notes, measures, status by role."""

import streamlit as st

from rules.measures import CREATORS
from rules.roles import Action
from services.candidates import FACT_LAYERS
from services.comparison import residents
from ui import resources
from ui.auth import require_page
from ui.comment_phase import comment_phase_panel
from ui.i18n import t
from ui.layer_registry import all_layers, frame_of_type
from ui.measure_list import measure_list
from ui.plan_report import report_panel
from ui.planner_data import quarter_pins
from ui.staff_measures import (
    answered_pins,
    candidate_list,
    created_notice,
    exports,
    new_measure,
    place_candidates,
)

resources.demo_notice()
actor = require_page(Action.READ_EXACT)
pack = resources.district_pack()
store = resources.store()
names = pack.short_labels()
quarter_ids = pack.district_ids

layers = all_layers(store)
frames = {kind: frame_of_type(layers, kind) for kind in FACT_LAYERS}

st.title(t("Plan of measures"))
created_notice()
st.subheader(t("Places where several people marked the same"))
pins = quarter_pins(store, quarter_ids)
measures = store.measures()
found = place_candidates(
    pack, pins, quarter_ids, frames, store.data_version(), answered_pins(measures)
)
candidate_list(store, found, actor, names, pack=pack, pins=pins)
if actor.role in CREATORS:
    with st.expander(t("New measure without a candidate: set or draw its place")):
        new_measure(
            store,
            pack,
            pins,
            actor,
            attributions=resources.attributions(),
            basemap=resources.settings().basemap,
        )
st.subheader(t("Measures"))
# Keyed: a flash message that ends moves the page's elements, and an unkeyed expander
# then closes under the planner's hand.
with st.expander(t("Comment phase per quarter"), key="comment_phases_open", on_change="rerun"):
    comment_phase_panel(store, actor, pack, measures)
measure_list(store, measures, actor, names, pack=pack, pins=pins)
exports(measures)

st.subheader(t("The plan as a document"))
report_panel(
    pack,
    store,
    population=residents(store),
    lamps=frames["lamps"],
    accidents=frames["accidents"],
    sources=[m.attribution for m in layers if m.layer_type in frames]
    + list(resources.attributions()),
)
