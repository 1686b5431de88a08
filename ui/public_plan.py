"""The public plan of measures on the screen (/plan): filters by quarter, status and
working group, each quarter's progress, the measures on the map and as a list, each
linking to its own page (/massnahme?nr=N). The rules are services.public_plan's."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Final
from urllib.parse import urlsplit

import streamlit as st
from streamlit_folium import st_folium

from geo.districts import DistrictPack
from layers.basemap import districts_map, quarter_map
from layers.public_plan_map import (
    STATUS_COLOURS,
    STATUS_SHAPES,
    PlanMapLabels,
    PlanMark,
    measures_layer,
)
from rules.labs import WORKING_GROUPS
from rules.local_time import local
from rules.measures import MEASURE_TYPES, STATUSES
from services.public_plan import (
    PUBLIC_STATUSES,
    Progress,
    PublicMeasure,
    filter_plan,
    measure_path,
    progress,
    public_plan,
)
from store import Store
from ui import resources
from ui.i18n import md, t, tn

MEASURE_PAGE: Final = "pages/mitmachen/massnahme.py"
PLAN_PAGE: Final = "pages/mitmachen/plan.py"
ALL: Final = "all"
_QUARTER: Final = "plan_quarter"
_STATUS: Final = "plan_status"
_GROUP: Final = "plan_group"
_MAP_HEIGHT_PX: Final = 460
ENTRY_KEY: Final = "plan_measure_"  # + measure id: each list entry's container


def public_base_url() -> str:
    """The address residents reach the app at: SQ_PUBLIC_URL, else this request's own
    scheme and host (as the lab's QR code does)."""
    configured = resources.settings().public_url
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(str(st.context.url or "http://127.0.0.1:8501/"))
    return f"{parts.scheme}://{parts.netloc}"


def plan_page(store: Store, pack: DistrictPack) -> None:
    """The whole public plan: filters, progress, map, list."""
    names = pack.short_labels()
    lab = pack.district_ids
    rows = public_plan(store, lab)
    quarter, status, group = _filters(lab, names)
    chosen = [quarter] if quarter else list(lab)
    _progress(progress(rows, chosen), names)
    shown = filter_plan(rows, quarter_id=quarter, status=status, working_group=group)
    if not shown:
        st.info(
            t("No measure matches this choice.")
            if filter_plan(rows, quarter_id=quarter)
            else t(
                "There are no public measures here yet. A measure appears here once the "
                "steering circle has put it on its agenda."
            )
        )
        return
    _map(pack, shown, quarter)
    status_legend()
    st.subheader(tn("{count} measure", "{count} measures", len(shown)))
    for row in shown:
        _entry(row, names)


def _filters(
    lab: Sequence[str], names: dict[str, str]
) -> tuple[str | None, str | None, str | None]:
    """Quarter (also kept in the address as ?quartier=), status and working group;
    None where any is wanted."""
    linked = st.query_params.get("quartier")
    if _QUARTER not in st.session_state:
        st.session_state[_QUARTER] = linked if linked in lab else ALL
    where, which, who = st.columns(3)
    quarter = where.selectbox(
        t("Quarter"),
        [ALL, *lab],
        format_func=lambda q: t("all three lab quarters") if q == ALL else names[q],
        key=_QUARTER,
    )
    status = which.selectbox(
        t("Status"),
        [ALL, *PUBLIC_STATUSES],
        format_func=lambda s: t("every status") if s == ALL else t(STATUSES[s]),
        key=_STATUS,
    )
    group = who.selectbox(
        t("Working group"),
        [ALL, *WORKING_GROUPS],
        format_func=lambda g: t("every working group") if g == ALL else t(WORKING_GROUPS[g]),
        key=_GROUP,
    )
    if quarter == ALL:
        st.query_params.pop("quartier", None)
    elif linked != quarter:
        st.query_params["quartier"] = quarter
    return (
        None if quarter == ALL else str(quarter),
        None if status == ALL else str(status),
        None if group == ALL else str(group),
    )


def progress_text(name: str, found: Progress) -> str:
    """ "Brackel: 7 von 19 Maßnahmen umgesetzt (1 verworfen)"."""
    if not found.total and not found.rejected:
        return t("{quarter}: no public measures yet", quarter=name)
    text = tn(
        "{quarter}: {done} of {count} measure carried out",
        "{quarter}: {done} of {count} measures carried out",
        found.total,
        quarter=name,
        done=found.done,
    )
    if found.rejected:
        text += " (" + t("{count} rejected", count=found.rejected) + ")"
    return text


def _progress(found: dict[str, Progress], names: dict[str, str]) -> None:
    for quarter_id, counts in found.items():
        st.progress(counts.share, text=progress_text(names[quarter_id], counts))


def _map(pack: DistrictPack, rows: Sequence[PublicMeasure], quarter: str | None) -> None:
    """The chosen quarter (or the three) with the measures shown as numbered marks."""
    basemap, credits = resources.settings().basemap, resources.attributions()
    if quarter is None:
        fmap = districts_map(
            pack.districts, list(pack.district_ids), attributions=credits, basemap=basemap
        )
    else:
        fmap = quarter_map(pack.districts, quarter, attributions=credits, basemap=basemap)
    measures_layer([_mark(row) for row in rows], map_labels()).add_to(fmap)
    st_folium(
        fmap,
        key=f"plan_map_{quarter or ALL}",
        height=_MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=[],
    )
    st.caption(t("Tap a number on the map to see the measure and open its page."))


def map_labels() -> PlanMapLabels:
    return PlanMapLabels(
        statuses={s: t("Status: {status}", status=t(STATUSES[s])) for s in STATUS_COLOURS},
        heading=t("Measure {number}"),
        open_link=t("Open measure {number}"),
    )


def _mark(row: PublicMeasure) -> PlanMark:
    measure = row.measure
    return PlanMark(
        number=measure.id,
        title=measure.title,
        kind=t(MEASURE_TYPES[measure.measure_type]),
        status=measure.status,
        place=measure.place,
        path=measure_path(measure.id),
    )


def status_legend() -> None:
    """What the marks' colours and shapes say; our own words, so markup is safe."""
    radius = {"round": "50%", "square": "3px", "dashed": "3px"}
    items = []
    for status in PUBLIC_STATUSES:
        shape = STATUS_SHAPES[status]
        border = "dashed" if shape == "dashed" else "solid"
        items.append(
            '<span style="white-space:nowrap;margin-right:0.9em">'
            f'<span aria-hidden="true" style="display:inline-block;width:1em;height:1em;'
            f"vertical-align:-0.15em;background:{STATUS_COLOURS[status]};"
            f'border-radius:{radius[shape]};border:2px {border} #ffffff;box-shadow:0 0 0 1px #222">'
            f"</span> {html.escape(t(STATUSES[status]))}</span>"
        )
    st.markdown(f'<div style="line-height:1.9">{" ".join(items)}</div>', unsafe_allow_html=True)


def day(moment: datetime) -> str:
    """A stored moment as the day people in Dortmund read: 01.12.2026."""
    return local(moment).strftime("%d.%m.%Y")


def status_line(row: PublicMeasure) -> str:
    """Where the measure stands and since when, as markdown; a rejection with its
    reason, an open measure with its target date."""
    measure = row.measure
    words = t(STATUSES[measure.status])
    if row.status_since is not None:
        line = t("**{status}** since {day}", status=words, day=day(row.status_since))
    else:
        line = f"**{words}**"
    if measure.status == "rejected" and measure.status_reason:
        line += ". " + t("The reason given: {reason}", reason=md(measure.status_reason))
    elif measure.target_date and measure.status != "done":
        line += " · " + t("Planned by: {day}", day=measure.target_date.strftime("%d.%m.%Y"))
    return line


def facts_line(row: PublicMeasure, names: dict[str, str]) -> str:
    """Kind, working group, responsible body and quarter, one line (markdown-safe)."""
    measure = row.measure
    parts = [t(MEASURE_TYPES[measure.measure_type])]
    if measure.working_group in WORKING_GROUPS:
        parts.append(t("Working group: {group}", group=t(WORKING_GROUPS[measure.working_group])))
    if measure.responsible:
        parts.append(t("Responsible: {body}", body=md(measure.responsible)))
    parts.append(md(names.get(measure.quarter_id, measure.quarter_id)))
    return " · ".join(parts)


def notes_line(row: PublicMeasure) -> str:
    """How many notes the measure answers, and their supports."""
    if not row.notes:
        return t("No note of the map is linked to this measure.")
    return t(
        "Answers {notes} ({supports}).",
        notes=tn("{count} note", "{count} notes", row.notes),
        supports=tn("{count} support", "{count} supports", row.supports),
    )


def _entry(row: PublicMeasure, names: dict[str, str]) -> None:
    measure = row.measure
    with st.container(border=True, key=f"{ENTRY_KEY}{measure.id}"):
        st.markdown(f"**{t('Measure {number}', number=measure.id)}: {md(measure.title)}**")
        st.caption(facts_line(row, names))
        st.markdown(status_line(row))
        st.caption(notes_line(row))
        st.page_link(
            MEASURE_PAGE,
            label=t("Open measure {number}", number=measure.id),
            query_params={"nr": str(measure.id)},
            icon=":material/arrow_forward:",
        )
