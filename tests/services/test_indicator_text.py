"""The words and numbers of the indicator tables, in the language asked for."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from services.indicator_text import cell_text, indicator_label, number, percent, wide_table


def _row(group: str, key: str, value: float, count: int, base: int, enough: bool) -> pd.Series:
    return pd.Series(
        {"group": group, "key": key, "value": value, "count": count, "base": base, "enough": enough}
    )


@pytest.mark.parametrize(
    ("lang", "expected"), [("de", "1.234,6"), ("en", "1,234.6")], ids=["de", "en"]
)
def test_numbers_follow_the_language(lang: str, expected: str) -> None:
    assert number(1234.56, lang) == expected
    assert number(math.nan, lang) == "–"
    assert percent(0.41, lang) == "41 %"
    assert percent(math.nan, lang) == "–"


@pytest.mark.parametrize(
    ("lang", "share", "density", "few"),
    [
        ("de", "41 % (12 von 29)", "30,0 (n = 30)", "5 – zu wenige Hinweise"),
        ("en", "41 % (12 of 29)", "30.0 (n = 30)", "5 – too few notes"),
    ],
    ids=["de", "en"],
)
def test_a_figure_is_shown_with_its_count(lang: str, share: str, density: str, few: str) -> None:
    assert cell_text(_row("category", "dark", 12 / 29, 12, 29, True), lang) == share
    assert cell_text(_row("density", "pins_per_km2", 30.0, 30, 30, True), lang) == density
    assert cell_text(_row("count", "pins", 5, 5, 5, False), lang) == few
    assert cell_text(_row("size", "area_km2", 1.234, 0, 0, True), lang) == (
        "1,23" if lang == "de" else "1.23"
    )


def test_indicator_labels_are_translated() -> None:
    assert indicator_label("category", "dark", "de") == "Kategorie: zu dunkel"
    assert indicator_label("density", "pins_per_km2", "de") == "Hinweise je km²"
    assert indicator_label("density", "pins_per_km2", "en") == "notes per km²"
    assert indicator_label("measures", "decided", "de") == "Maßnahmen: beschlossen"
    assert indicator_label("other", "unknown_key", "de") == "unknown_key"


def test_the_wide_table_has_a_column_per_quarter_in_the_order_asked() -> None:
    long = pd.DataFrame(
        [
            ("a", "count", "pins", 25.0, 25, 25, True),
            ("b", "count", "pins", 5.0, 5, 5, False),
            ("a", "category", "dark", 0.4, 10, 25, True),
            ("b", "category", "dark", 1.0, 5, 5, False),
        ],
        columns=["quarter_id", "group", "key", "value", "count", "base", "enough"],
    )
    wide = wide_table(long, {"b": "Bee", "a": "Ay"}, "de")
    assert list(wide.columns) == ["Bee", "Ay"]
    assert list(wide.index) == ["Hinweise", "Kategorie: zu dunkel"]
    assert wide.loc["Hinweise", "Ay"] == "25"
    assert wide.loc["Kategorie: zu dunkel", "Bee"] == "100 % (5 von 5) – zu wenige Hinweise"
