"""The plan of measures as a document: gathered from the store, worded in the language
asked for, rendered as PDF and HTML (layers/plan_report). The widget is ui/plan_report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import geopandas as gpd

from geo.crs import geometry_to_metric, to_metric
from geo.districts import DistrictPack
from layers.plan_map import MapKey, MapMeasure, plan_map
from layers.plan_report import (
    MAP_HEIGHT,
    TEXT_WIDTH,
    MeasureDetail,
    PlanDocument,
    Section,
    plan_html,
    plan_pdf,
)
from rules.errors import N_
from rules.labs import WORKING_GROUPS
from rules.measures import MEASURE_TYPES, PRIORITIES, STATUSES, Measure
from rules.population import Residents
from services.comparison import compare
from services.comparison_output import demo_banner
from services.i18n import translate, translate_plural
from services.indicator_text import cell_text, indicator_label, number
from services.public_plan import is_public, measure_address
from store import Store
from store.measure_weigh_in import WeighIn

# The indicators the report shows per quarter, a subset of the comparison's table.
_KEYS = (
    "pins",
    "supports",
    "pins_per_km2",
    "pins_per_1000",
    "night",
    "dark",
    "pins_dark",
    "significant",
    "accidents_per_km2",
    "accidents_dark_per_km2",
)
_STATUS_ORDER = list(STATUSES)
_NOTES_KEY = N_("note (one square each)")
_HOT_KEY = N_("significant hotspot (Gi*, 50 m cell)")


@dataclass(frozen=True, slots=True)
class Report:
    pdf: bytes
    html: str


def make_report(
    pack: DistrictPack,
    store: Store,
    quarter_ids: Sequence[str],
    *,
    population: dict[str, Residents],
    lamps: gpd.GeoDataFrame | None,
    accidents: gpd.GeoDataFrame | None,
    sources: Sequence[str],
    lang: str,
    demo: bool = False,
    base_url: str | None = None,
) -> Report:
    """The report of `quarter_ids` in `lang`: per quarter a map with its key and scale
    bar, its indicators, its measures (with priority, cost and target date), and below
    them each measure's supports and released comments from residents and, for a public
    measure when `base_url` (the app's public address) is given, its page's address as
    text and QR code. On `demo` data every page says so at its top."""
    names = pack.short_labels()
    pins_m = to_metric(store.pins_frame(list(quarter_ids)))
    comparison = compare(
        pack, pins_m, quarter_ids, population=population, lamps=lamps, accidents=accidents
    )
    wanted = comparison.table["key"].isin(_KEYS)
    key = MapKey(
        statuses={s: translate(label, lang) for s, label in STATUSES.items()},
        notes=translate(_NOTES_KEY, lang),
        hot_cells=translate(_HOT_KEY, lang),
    )
    sections = []
    for qid in quarter_ids:
        area = pack.geometry(qid)
        mine = pins_m.loc[pins_m["quarter_id"].to_numpy() == qid]
        hot = comparison.hot[qid]
        table = comparison.table.loc[wanted & (comparison.table["quarter_id"] == qid)]
        measures = _ordered(store.measures([qid]))
        said = store.weigh_in([m.id for m in measures])
        sections.append(
            Section(
                heading=names[qid],
                map=plan_map(
                    geometry_to_metric(area),
                    mine,
                    to_metric(hot) if hot is not None else mine.iloc[:0],
                    [MapMeasure(m.id, geometry_to_metric(m.place), m.status) for m in measures],
                    key=key,
                    width=TEXT_WIDTH,
                    height=MAP_HEIGHT,
                ),
                indicators=[
                    (indicator_label(row["group"], row["key"], lang), cell_text(row, lang))
                    for _, row in table.iterrows()
                ],
                measures_header=[
                    translate("No.", lang),
                    translate("Measure", lang),
                    translate("Kind", lang),
                    translate("Working group", lang),
                    translate("Responsible", lang),
                    translate("Priority", lang),
                    translate("Cost", lang),
                    translate("Target date", lang),
                    translate("Status", lang),
                ],
                measures=[_measure_row(m, lang) for m in measures],
                empty_text=translate("No measures yet.", lang),
                details=[_detail(m, said[m.id], lang, base_url) for m in measures],
                details_heading=translate("Residents' support and each measure's page", lang),
            )
        )
    doc = PlanDocument(
        title=translate("Plan of measures", lang),
        subtitle=", ".join(names[q] for q in quarter_ids),
        sections=sections,
        indicators_heading=translate("Indicators", lang),
        measures_heading=translate("Measures", lang),
        sources=list(sources),
        made=translate("Made on {day}", lang, day=date.today().strftime("%d.%m.%Y")),
        banner=demo_banner(demo, lang),
    )
    return Report(pdf=plan_pdf(doc), html=plan_html(doc, lang=lang))


def _ordered(measures: list[Measure]) -> list[Measure]:
    """By working group (none last), then by how far they are, then by number."""
    groups = list(WORKING_GROUPS)
    return sorted(
        measures,
        key=lambda m: (
            groups.index(m.working_group) if m.working_group in groups else len(groups),
            _STATUS_ORDER.index(m.status),
            m.id,
        ),
    )


def _detail(m: Measure, said: WeighIn, lang: str, base_url: str | None) -> MeasureDetail:
    """A measure's supports and released comments, and the address of its public page
    (only a public one has a page)."""
    lines = [
        translate_plural("{count} support", "{count} supports", said.supports, lang),
        *(translate("“{text}”", lang, text=comment) for comment in said.comments),
    ]
    return MeasureDetail(
        heading=f"{m.id} · {m.title}",
        lines=lines,
        address=measure_address(base_url, m.id) if base_url and is_public(m) else None,
    )


def _measure_row(m: Measure, lang: str) -> list[str]:
    group = (
        translate(WORKING_GROUPS[m.working_group], lang)
        if m.working_group in WORKING_GROUPS
        else "–"
    )
    status = translate(STATUSES[m.status], lang) + (
        f" ({m.status_reason})" if m.status_reason else ""
    )
    return [
        str(m.id),
        m.title,
        translate(MEASURE_TYPES[m.measure_type], lang),
        group,
        m.responsible or "–",
        translate(PRIORITIES[m.priority], lang) if m.priority in PRIORITIES else "–",
        euros(m.cost_eur, lang),
        m.target_date.strftime("%d.%m.%Y") if m.target_date else "–",
        status,
    ]


def euros(amount: float | None, lang: str) -> str:
    """A cost as stored, in the language's notation: "12.500 €", "1.234,50 €"; "–" when
    none was given."""
    if amount is None:
        return "–"
    cents = round(amount * 100) % 100 != 0
    return f"{number(amount, lang, 2 if cents else 0)} €"
