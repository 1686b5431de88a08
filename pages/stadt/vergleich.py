"""Steering circle: two or three quarters side by side, fairly, with their counts."""

import streamlit as st

from geo.comparison import in_period
from geo.filters import date_span
from rules.roles import Action
from services.comparison import residents
from services.comparison_output import printable_page, table_csv
from services.layer_registry import layer_of_type
from ui import resources
from ui.auth import current_actor, require_page
from ui.comparison import (
    choose,
    comparison_and_figures,
    show_felt_vs_recorded,
    show_maps,
    show_summary,
    show_table,
)
from ui.comparison_population import population_import
from ui.comparison_sessions import show_sessions
from ui.i18n import language, t
from ui.layer_registry import all_layers, metric_layer_frame
from ui.planner_data import quarter_pins

resources.demo_notice()
require_page(Action.READ_EXACT)
pack = resources.district_pack()
store = resources.store()
names = pack.short_labels()

st.title(t("Comparison of quarters"))
all_lab_pins = quarter_pins(store, pack.district_ids)
quarter_ids, start, end = choose(pack, date_span(all_lab_pins))
if len(quarter_ids) < 2:
    st.info(t("Choose two or three quarters to compare."))
    st.stop()

pins = in_period(quarter_pins(store, tuple(quarter_ids)), start, end)
layers = all_layers(store)
population = residents(store)
lamps_meta = layer_of_type(layers, "lamps")
accidents_meta = layer_of_type(layers, "accidents")
lamps = metric_layer_frame(lamps_meta) if lamps_meta else None
accidents = metric_layer_frame(accidents_meta) if accidents_meta else None
key = (
    resources.settings().db_url,
    start,
    end,
    store.data_version(),
    lamps_meta.id if lamps_meta else None,
    accidents_meta.id if accidents_meta else None,
    language(),
)
with st.spinner(t("Computing the comparison …")):
    comparison, figures, (maps, legend) = comparison_and_figures(
        pack,
        pins,
        tuple(quarter_ids),
        population,
        lamps,
        accidents,
        tuple((m.quarter_id, m.status) for m in store.measures(quarter_ids)),
        key,
        demo=resources.settings().demo,
    )
images = list(figures)

st.subheader(t("In short"))
summary = show_summary(comparison, names)
st.subheader(t("Where the notes are"))
show_maps(maps, legend)
st.subheader(t("What and when"))
left, right = st.columns(2)
left.image(images[1], width="stretch", caption=t("Notes by what makes a place unsafe"))
right.image(images[2], width="stretch", caption=t("Notes by time of day"))
st.subheader(t("Felt and recorded"))
show_felt_vs_recorded(comparison, names)
st.subheader(t("Indicators"))
wide = show_table(comparison, names)
population_import(store, current_actor(), population, pack)

sources = [m.attribution for m in (lamps_meta, accidents_meta) if m] + list(
    resources.attributions()
)
download, printable = st.columns(2)
download.download_button(
    t("Table as CSV"),
    table_csv(comparison, names),
    file_name="vergleich-quartiere.csv",
    mime="text/csv",
    key="compare_csv",
)
printable.download_button(
    t("Printable view (HTML)"),
    printable_page(
        comparison,
        names,
        wide,
        summary,
        images,
        period=(start, end),
        attributions=sources,
        lang=language(),
        demo=resources.settings().demo,
    ),
    file_name="vergleich-quartiere.html",
    mime="text/html",
    key="compare_print",
)

st.subheader(t("Change from one lab to the next"))
show_sessions(store, pack, pins, quarter_ids, current_actor(), population)
