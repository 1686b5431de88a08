"""What the comparison of quarters says and draws, in an explicit language: the
summary sentences, felt next to recorded, the figures, the table as CSV and the
printable page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from formats.export import csv_bytes
from geo.crs import geometry_to_metric
from geo.indicators import MIN_COUNT, ShareFact
from layers.compare_figures import MapPanel, bars_svg, map_panels_svg, small_multiples_svg
from layers.compare_report import TableSection, report_html
from rules.errors import N_
from rules.vocab import CATEGORIES, TIME_BANDS
from services import labels
from services.comparison import Comparison
from services.csv_labels import CSV_LANGUAGE, comparison_csv_labels
from services.i18n import translate
from services.indicator_text import TOO_FEW, cell_texts, indicator_label, percent

# Felt (notes) and recorded (accidents) figures that belong side by side.
_FELT_RECORDED = (
    ("night", "accidents_dark_share"),
    ("pins_per_km2", "accidents_per_km2"),
)


DEMO_BANNER = N_("Demo data – no real notes")
FELT_NOTE = N_(
    "What people feel and what the police recorded, side by side: the citizens' "
    "survey showed that they can differ, so neither stands in for the other."
)


def demo_banner(demo: bool, lang: str) -> str | None:
    """What every figure and the printable page say above all else on demo data."""
    return translate(DEMO_BANNER, lang) if demo else None


def rule_text(lang: str) -> str:
    """The minimum-count rule and why there is no single score, in words."""
    return translate(
        "Shares and densities resting on fewer than {n} notes are greyed and marked "
        "“too few notes”; they are not compared. There is no combined safety score: "
        "what people feel and what was recorded stay side by side.",
        lang,
        n=MIN_COUNT,
    )


def felt_vs_recorded(
    comparison: Comparison, names: dict[str, str], lang: str
) -> pd.DataFrame | None:
    """Per quarter, what people felt next to what was recorded, each with its count;
    None without the accident layer. Two columns per pair, never one figure."""
    table = comparison.table.assign(text=cell_texts(comparison.table, lang))
    if "accidents_per_km2" not in set(table["key"]):
        return None
    texts = table.set_index(["quarter_id", "key"])["text"]
    headers = {
        "night": translate("felt: notes about the night", lang),
        "accidents_dark_share": translate("recorded: accidents in the dark", lang),
        "pins_per_km2": translate("felt: notes per km²", lang),
        "accidents_per_km2": translate("recorded: injury accidents per km²", lang),
    }
    rows = {
        names[f.quarter_id]: {
            headers[key]: texts[(f.quarter_id, key)] for pair in _FELT_RECORDED for key in pair
        }
        for f in comparison.facts
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def sentences(facts: list[ShareFact], names: dict[str, str], lang: str) -> list[str]:
    """'In Brackel, 41 % of the notes are about “too dark”, in Bövinghausen 18 %.'"""
    worded = []
    for fact in facts:
        label = labels.category if fact.group == "category" else labels.time_band
        (first, share), *rest = fact.shares
        others = ", ".join(
            translate("in {quarter} {share}", lang, quarter=names[q], share=percent(s, lang))
            for q, s in rest
        )
        template = (
            N_("In {quarter}, {share} of the notes are about “{what}”, {others}.")
            if fact.group == "category"
            else N_("In {quarter}, {share} of the notes concern {what}, {others}.")
        )
        worded.append(
            translate(
                template,
                lang,
                quarter=names[first],
                share=percent(share, lang),
                what=label(fact.key, lang),
                others=others,
            )
        )
    return worded


def maps_svg(
    comparison: Comparison, names: dict[str, str], lang: str, *, demo: bool = False
) -> str:
    """The quarters' notes per cell as small multiples, one scale for the colours and
    one for the distances."""
    return small_multiples_svg(
        _panels(comparison, names),
        comparison.breaks,
        legend_title=_legend_title(lang),
        none_label=translate("none", lang),
        banner=demo_banner(demo, lang),
    )


def map_panels(
    comparison: Comparison, names: dict[str, str], lang: str, *, demo: bool = False
) -> tuple[list[str], str]:
    """The maps of maps_svg each as a picture of its own (same size, same scale) and
    their legend: for the screen, where a phone shows them one under another."""
    return map_panels_svg(
        _panels(comparison, names),
        comparison.breaks,
        legend_title=_legend_title(lang),
        none_label=translate("none", lang),
        banner=demo_banner(demo, lang),
    )


def _panels(comparison: Comparison, names: dict[str, str]) -> list[MapPanel]:
    pins = comparison.table.loc[comparison.table["key"] == "pins"]
    totals = dict(zip(pins["quarter_id"], pins["count"].astype(int), strict=True))
    return [
        MapPanel(
            title=f"{names[f.quarter_id]} (n = {totals[f.quarter_id]})",
            grid=comparison.grids[f.quarter_id],
            outline=geometry_to_metric(f.area),
        )
        for f in comparison.facts
    ]


def _legend_title(lang: str) -> str:
    return translate("notes per 100 m cell (same classes in every map)", lang)


def group_bars_svg(
    comparison: Comparison, names: dict[str, str], group: str, lang: str, *, demo: bool = False
) -> str:
    """The notes by category or by time of day, quarters side by side."""
    table = comparison.table.loc[comparison.table["group"] == group]
    keys = list(CATEGORIES if group == "category" else TIME_BANDS)
    quarters = [f.quarter_id for f in comparison.facts]
    counts = np.zeros((len(keys), len(quarters)))
    shares = np.zeros((len(keys), len(quarters)))
    for j, q in enumerate(quarters):
        mine = table.loc[table["quarter_id"] == q].set_index("key").reindex(keys)
        counts[:, j] = mine["count"].to_numpy(dtype=float)
        shares[:, j] = mine["value"].to_numpy(dtype=float)
    enough = [bool(table.loc[table["quarter_id"] == q, "enough"].all()) for q in quarters]
    label = labels.category if group == "category" else labels.time_band
    title = N_("Notes by category") if group == "category" else N_("Notes by time of day")
    return bars_svg(
        [label(k, lang) for k in keys],
        [names[q] for q in quarters],
        counts,
        shares,
        title=translate(title, lang),
        greyed=[not e for e in enough],
        banner=demo_banner(demo, lang),
    )


def figures(
    comparison: Comparison, names: dict[str, str], lang: str, *, demo: bool = False
) -> tuple[str, str, str]:
    """The page's three figures as SVG: maps, categories, times of day; on `demo` data
    each says so in a band across its top."""
    return (
        maps_svg(comparison, names, lang, demo=demo),
        group_bars_svg(comparison, names, "category", lang, demo=demo),
        group_bars_svg(comparison, names, "time_band", lang, demo=demo),
    )


def printable_page(
    comparison: Comparison,
    names: dict[str, str],
    wide: pd.DataFrame,
    summary: Sequence[str],
    images: Sequence[str],
    *,
    period: tuple[date, date],
    attributions: Sequence[str],
    lang: str,
    demo: bool = False,
) -> str:
    """The printable page: the same figures, tables and sources as one HTML document,
    "felt and recorded" among them when the accident layer is there; on `demo` data a
    banner above the title says so."""
    side = felt_vs_recorded(comparison, names, lang)
    return report_html(
        title=translate("Comparison of quarters", lang),
        subtitle=translate(
            "{quarters} · notes from {start} to {end}",
            lang,
            quarters=", ".join(names[f.quarter_id] for f in comparison.facts),
            start=period[0].strftime("%d.%m.%Y"),
            end=period[1].strftime("%d.%m.%Y"),
        ),
        summary=summary,
        images=images,
        table=wide,
        marker=translate(TOO_FEW, lang),
        notes=[rule_text(lang)],
        sources=attributions,
        made=translate("Made on {day}", lang, day=date.today().strftime("%d.%m.%Y")),
        lang=lang,
        banner=demo_banner(demo, lang),
        felt=None
        if side is None
        else TableSection(translate("Felt and recorded", lang), side, translate(FELT_NOTE, lang)),
        table_heading=translate("Indicators", lang),
        summary_heading=translate("In short", lang),
        figure_headings=[
            translate("Where the notes are", lang),
            translate("What and when", lang),
        ],
    )


# Rows whose value is a share of their base (geo.indicators): the CSV gives them in per cent.
_SHARE_GROUPS = frozenset({"category", "time_band", "working_group", "light"})
_SHARE_KEYS = frozenset({"accidents_dark_share"})


def table_csv(comparison: Comparison, names: dict[str, str]) -> bytes:
    """The indicator table for German Excel, long form, one row per figure: quarter
    names, German indicator names, shares in per cent (1 decimal), densities and
    areas with 2 decimals."""
    table = comparison.table.copy()
    share = table["group"].isin(_SHARE_GROUPS) | table["key"].isin(_SHARE_KEYS)
    indicators = [
        indicator_label(g, k, CSV_LANGUAGE)
        for g, k in zip(table["group"], table["key"], strict=True)
    ]
    out = pd.DataFrame(
        {
            "quarter_id": table["quarter_id"],
            "quarter": [names[q] for q in table["quarter_id"]],
            "indicator": indicators,
            "value": np.where(share, (table["value"] * 100).round(1), table["value"].round(2)),
            "unit": np.where(share, "%", ""),
            "count": table["count"],
            "base": table["base"],
            "enough": table["enough"].astype(bool),
        }
    )
    return csv_bytes(out, comparison_csv_labels())
