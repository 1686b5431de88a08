"""Plan of measures: candidate places from the notes, measures, status by role."""

import streamlit as st

from geo.roles import Action
from ui import resources
from ui.auth import require_page
from ui.i18n import t
from ui.planner_data import quarter_pins
from ui.staff_measures import candidate_list, exports, measure_list

resources.demo_notice()
actor = require_page(Action.READ_EXACT)
pack = resources.district_pack()
store = resources.store()
names = pack.short_labels()
quarter_ids = tuple(q.district_id for q in pack.quarters)

st.title(t("Plan of measures"))
st.subheader(t("Places where several people marked the same"))
candidate_list(store, quarter_pins(store, quarter_ids), actor, names)
st.subheader(t("Measures"))
measures = store.measures()
measure_list(store, measures, actor, names)
exports(measures)
