"""The words and numbers of the indicator tables (geo.indicators.INDICATOR_COLUMNS), in
an explicit language: what the comparison page and the plan's report both show."""

from __future__ import annotations

import math

import pandas as pd
from babel.numbers import format_decimal

from rules.errors import N_
from rules.labs import WORKING_GROUPS
from rules.measures import STATUSES
from services import labels
from services.i18n import translate

TOO_FEW = N_("too few notes")  # marks the figures resting on too few notes

# Groups whose figures are shares of a base: "41 % (12 of 29)".
_SHARES = {"category", "time_band", "working_group", "light"}


def number(value: float, lang: str, digits: int = 1) -> str:
    """A figure in the language's notation ("1.234,5" in German); "–" when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale="de_DE" if lang == "de" else "en")


def percent(share: float, lang: str) -> str:
    return "–" if math.isnan(share) else f"{number(share * 100, lang, 0)} %"


def indicator_label(group: str, key: str, lang: str) -> str:
    """The name of one indicator row, e.g. "notes per km²", "category: too dark"."""
    fixed = {
        "area_km2": translate("area (km²)", lang),
        "residents": translate("residents", lang),
        "pins": translate("notes", lang),
        "supports": translate("supports (“me too”)", lang),
        "pins_per_km2": translate("notes per km²", lang),
        "pins_per_1000": translate("notes per 1,000 residents", lang),
        "pins_dark": translate("notes without a working lamp within 30 m", lang),
        "significant": translate("significant hotspots (Gi*, 50 m cells)", lang),
        "accidents_per_km2": translate("recorded injury accidents per km²", lang),
        "accidents_dark_per_km2": translate("… of them in the dark, per km²", lang),
        "accidents_daylight_per_km2": translate("… of them in daylight, per km²", lang),
        "accidents_dark_share": translate("share of recorded accidents in the dark", lang),
    }
    if key in fixed:
        return fixed[key]
    if group == "category":
        return translate("category: {name}", lang, name=labels.category(key, lang))
    if group == "time_band":
        return translate("when: {name}", lang, name=labels.time_band(key, lang))
    if group == "measures":
        return translate("measures: {status}", lang, status=translate(STATUSES[key], lang))
    if group == "working_group":
        name = (
            translate("no working group", lang)
            if key == "none"
            else translate(WORKING_GROUPS[key], lang)
        )
        return translate("working group: {name}", lang, name=name)
    return key


def cell_text(row: pd.Series, lang: str) -> str:
    """A figure with its count: "41 % (12 of 29)", "30.0 (n = 30)"."""
    key, group = row["key"], row["group"]
    if group == "size":
        return number(row["value"], lang, 2 if key == "area_km2" else 0)
    if group in _SHARES or key == "accidents_dark_share":
        text = translate(
            "{share} ({count} of {base})",
            lang,
            share=percent(row["value"], lang),
            count=row["count"],
            base=row["base"],
        )
    elif key in {"pins", "supports", "significant"} or group == "measures":
        text = number(row["value"], lang, 0)
    else:
        text = translate(
            "{value} (n = {count})", lang, value=number(row["value"], lang), count=row["count"]
        )
    return text if row["enough"] else f"{text} – {translate(TOO_FEW, lang)}"


def cell_texts(table: pd.DataFrame, lang: str) -> pd.Series:
    """cell_text of every row of an indicator table."""
    return table.apply(cell_text, axis=1, lang=lang)


def wide_table(table: pd.DataFrame, columns: dict[str, str], lang: str) -> pd.DataFrame:
    """An indicator table with a column per `columns` key (quarter or session), in order:
    indicator rows × columns of texts."""
    table = table.assign(text=cell_texts(table, lang))
    order = list(dict.fromkeys(zip(table["group"], table["key"], strict=True)))
    wide = table.pivot(index=["group", "key"], columns="quarter_id", values="text").reindex(order)
    wide.index = [indicator_label(g, k, lang) for g, k in wide.index]
    return wide[list(columns)].set_axis(list(columns.values()), axis=1)
