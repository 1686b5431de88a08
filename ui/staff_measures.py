"""The plan of measures for staff: candidate places (each with a small map of where it
lies), new measures, exports. The list of measures is ui.measure_list."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import streamlit as st
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from streamlit_folium import st_folium

from config.basemaps import Basemap
from geo.candidates import Candidate, PlaceFacts
from geo.districts import DistrictPack
from layers.basemap import quarter_map
from layers.draw import add_draw_tools
from rules.errors import SQError
from rules.measures import (
    CREATORS,
    Measure,
    MeasureDraft,
)
from rules.roles import Actor
from services import candidates as _candidates
from services.candidates import PlaceCandidate, pins_at_place, quarter_pin_ids
from services.measures import export_file, measures_csv, measures_geojson
from store import Store
from ui import labels, resources, state
from ui.i18n import N_, error_text, md, t, tn
from ui.measure_fields import measure_fields
from ui.measure_maps import map_and_text, map_legend, note_points, place_map

_CREATED = "measure_created"  # the id of the measure made last (state.recent)
_NOTICE_S = 120.0  # a confirmation outlives the reruns that follow a click
LAMP_STATUS_WORDS = {"ok": N_("working"), "defect": N_("defect"), "unknown": N_("state unknown")}


def candidate_list(
    store: Store,
    found: list[PlaceCandidate],
    actor: Actor,
    names: dict[str, str],
    *,
    pack: DistrictPack,
    pins: gpd.GeoDataFrame,
) -> None:
    """Places where several people marked the same concern, and significant hotspots,
    with a small map of where they lie and what the layers say there
    (services.candidates.place_candidates); planners turn one into a measure."""
    if not found:
        st.info(t("No place has three or more notes of the same kind within 40 m yet."))
        return
    map_legend()
    points = note_points(pins)
    for number, shown in enumerate(found):
        candidate = shown.candidate
        bands = ", ".join(f"{labels.time_band(b)} {n}" for b, n in candidate.time_bands)
        template = (
            N_("{quarter}: “{category}”, {notes}, {supports}")
            if candidate.area is None
            else N_("{quarter}: hotspot (Gi*), {notes}, mostly “{category}”")
        )
        quarter = names.get(candidate.quarter_id, candidate.quarter_id)
        with st.container(border=True, key=f"candidate_box_{number}"):
            heading = t(
                template,
                quarter=quarter,
                category=labels.category(candidate.category),
                notes=tn("{count} note", "{count} notes", len(candidate.pin_ids)),
                supports=tn("{count} support", "{count} supports", candidate.supports),
            )
            st.markdown(f"**{md(heading)}**")
            where, about = map_and_text()
            with where:
                place_map(pack, points, candidate.quarter_id, shown.place, candidate.pin_ids)
            with about:
                st.caption(
                    t("When: {bands}. Notes: {pins}.", bands=bands, pins=_pin_list(candidate))
                )
                st.caption(
                    " · ".join(_fact_texts(shown.facts))
                    or t("No layer says anything about this place.")
                )
            if actor.role in CREATORS:
                with st.expander(t("Make a measure of this place")):
                    measure_form(
                        store,
                        actor,
                        quarter_id=candidate.quarter_id,
                        place=shown.place,
                        pin_ids=candidate.pin_ids,
                        key=f"candidate_{number}",
                    )


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs={DistrictPack: id})
def place_candidates(
    pack: DistrictPack,
    _pins: gpd.GeoDataFrame,
    quarter_ids: tuple[str, ...],
    _layers: dict[str, gpd.GeoDataFrame | None],
    version: str,
    answered: frozenset[int] = frozenset(),
) -> list[PlaceCandidate]:
    """Candidate places of the quarters with their facts (groups of close notes and
    significant hotspots), without those whose notes a measure already answers
    (`answered`, pin ids). Cached per `version`, the store's data version, which changes
    with the pins and the layers (neither is hashed), and per `answered`: a click on the
    page does not run DBSCAN, Gi* and the facts again."""
    del version
    hot = _candidates.hotspot_candidates(_pins, {q: pack.geometry(q) for q in quarter_ids})
    return _candidates.place_candidates(_pins, hot, _layers, answered=answered)


def answered_pins(measures: list[Measure]) -> frozenset[int]:
    """The ids of the notes some measure already answers (any status)."""
    return frozenset(p for measure in measures for p in measure.pin_ids)


def _fact_texts(facts: PlaceFacts) -> list[str]:
    texts = []
    if facts.lamp_m is not None and facts.lamp_status is not None:
        texts.append(
            t(
                "nearest lamp {metres} m away ({status})",
                metres=round(facts.lamp_m),
                status=t(LAMP_STATUS_WORDS.get(facts.lamp_status, facts.lamp_status)),
            )
        )
    if facts.stop_name is not None and facts.stop_m is not None:
        texts.append(
            t("stop {name} {metres} m away", name=facts.stop_name, metres=round(facts.stop_m))
        )
    if facts.accidents is not None:
        texts.append(
            tn(
                "{count} recorded accident within 100 m ({dark} in the dark)",
                "{count} recorded accidents within 100 m ({dark} in the dark)",
                facts.accidents,
                dark=facts.accidents_dark,
            )
        )
    return texts


def _pin_list(candidate: Candidate) -> str:
    return ", ".join(f"#{p}" for p in candidate.pin_ids)


def measure_form(
    store: Store,
    actor: Actor,
    *,
    quarter_id: str,
    place: BaseGeometry,
    pin_ids: tuple[int, ...],
    key: str,
) -> None:
    with st.form(key):
        fields = measure_fields(key)
        if not st.form_submit_button(t("Create measure"), type="primary"):
            return
    draft = MeasureDraft(
        title=fields.title,
        measure_type=fields.measure_type,
        quarter_id=quarter_id,
        place=place,
        working_group=fields.working_group,
        responsible=fields.responsible,
        priority=fields.priority,
        cost_eur=fields.cost_eur,
        target_date=fields.target_date,
        pin_ids=pin_ids,
        description=fields.description,
    )
    try:
        made = store.create_measure(draft, actor=actor)
    except SQError as exc:
        st.error(error_text(exc))
        return
    # Said above the candidates after a rerun: the form's expander may close meanwhile,
    # and the new measure must show in the list below at once.
    state.keep_for_a_while(_CREATED, made.id)
    st.rerun()


def created_notice() -> None:
    """Confirm the measure made last, for a while: another rerun (a map reporting its
    view, a second click) must not take the confirmation away before it is read."""
    measure_id = state.recent(_CREATED, _NOTICE_S)
    if measure_id is not None:
        st.success(t("Measure #{id} created; it is now proposed.", id=measure_id))


def new_measure(
    store: Store,
    pack: DistrictPack,
    pins: gpd.GeoDataFrame,
    actor: Actor,
    *,
    attributions: tuple[str, ...],
    basemap: Basemap | None,
) -> None:
    """A measure from scratch: its place set or drawn on the map; the notes inside an
    area (or within 40 m of a point) are offered for linking."""
    names = pack.short_labels()
    lab = pack.district_ids
    quarter_id = st.selectbox(
        t("Quarter"), lab, format_func=lambda q: names[q], key="scratch_quarter"
    )
    fmap = quarter_map(pack.districts, quarter_id, attributions=attributions, basemap=basemap)
    add_draw_tools(fmap)
    st.caption(t("Set a marker or draw an area with the tools on the map's left."))
    result = (
        st_folium(
            fmap,
            key=f"draw_{quarter_id}",
            height=420,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
        )
        or {}
    )
    drawing = result.get("last_active_drawing")
    if not isinstance(drawing, dict) or "geometry" not in drawing:
        return
    place = shape(drawing["geometry"])
    chosen = st.multiselect(
        t("Notes this measure answers"),
        quarter_pin_ids(pins, quarter_id),
        default=pins_at_place(pins, quarter_id, place),
        format_func=lambda i: f"#{i}",
        key=f"scratch_pins_{quarter_id}",
    )
    measure_form(
        store,
        actor,
        quarter_id=quarter_id,
        place=place,
        pin_ids=tuple(chosen),
        key="scratch",
    )


def exports(measures: list[Measure]) -> None:
    """The measures as GeoJSON and as CSV, with the sources inside."""
    sources = list(resources.attributions())
    about = {"exported_on": date.today().isoformat(), "demo": resources.settings().demo}
    left, right = st.columns(2)
    name, mime = export_file("geojson")
    left.download_button(
        t("Measures as GeoJSON"),
        measures_geojson(measures, sources=sources, about=about),
        file_name=name,
        mime=mime,
        key="measures_geojson",
    )
    name, mime = export_file("csv")
    right.download_button(
        t("Measures as CSV (zip)"),
        measures_csv(measures, sources=sources, about=about),
        file_name=name,
        mime=mime,
        key="measures_csv",
    )
