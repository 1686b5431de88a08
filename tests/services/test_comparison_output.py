"""What the comparison says and draws (services.comparison_output), in both languages,
from a comparison computed on demo pins; no page involved."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date

import pandas as pd
import pytest

from datapack.loading import load_districts
from geo.demo import demo_pins, quarter_areas
from geo.indicators import ShareFact
from layers.pins import PinLabels
from services import comparison_output as output
from services.comparison import Comparison, compare
from services.i18n import translate
from services.labels import category, pin_labels, severity, time_band
from store import SqliteStore
from tests.factories import hire_staff


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> tuple[Comparison, dict[str, str]]:
    pack = load_districts()
    ids = pack.district_ids
    store = SqliteStore(tmp_path_factory.mktemp("out") / "c.sqlite")
    hire_staff(store)
    made = demo_pins(quarter_areas(pack.districts, ids), per_quarter=60)
    store.add_pins([p.draft for p in made], created_at=[p.created_at for p in made])
    result = compare(pack, store.pins_frame(ids), ids, population={}, lamps=None, accidents=None)
    return result, pack.short_labels()


def test_labels_follow_the_language() -> None:
    assert category("dark", "de") == "zu dunkel"
    assert category("dark", "en") == "too dark"
    assert time_band("night", "en") == "at night"
    assert severity(None, "en") == "no answer"
    assert severity(3, "en") == "very unsafe"
    labels = pin_labels("de")
    assert isinstance(labels, PinLabels)
    assert labels.categories["dark"] == "zu dunkel"
    assert labels.when != "When"


def test_sentences_name_the_quarters_and_shares_in_the_language() -> None:
    names = {"320": "Brackel", "710": "Bövinghausen"}
    fact = ShareFact(group="category", key="dark", shares=(("320", 0.41), ("710", 0.18)))
    (german,) = output.sentences([fact], names, "de")
    (english,) = output.sentences([fact], names, "en")
    assert "Brackel" in german and "41 %" in german and "18 %" in german
    assert "zu dunkel" in german
    assert english.startswith("In Brackel, 41 % of the notes are about “too dark”")


def test_without_accidents_there_is_no_felt_vs_recorded(comparison) -> None:
    result, names = comparison
    assert output.felt_vs_recorded(result, names, "de") is None


def test_figures_are_three_svgs_in_german(comparison) -> None:
    result, names = comparison
    figures = output.figures(result, names, "de")
    assert len(figures) == 3
    for svg in figures:
        root = ET.fromstring(svg)  # well-formed
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Hinweise nach Kategorie" in figures[1]
    assert all(names[f.quarter_id] in figures[0] for f in result.facts)


def _german_table(data: bytes, *, text: tuple[str, ...] = ()) -> pd.DataFrame:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    return pd.read_csv(
        io.BytesIO(data),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        keep_default_na=False,
        dtype=dict.fromkeys(text, str),
    )


def test_table_csv_has_one_row_per_figure_with_names_and_labels(comparison) -> None:
    result, names = comparison
    table = _german_table(output.table_csv(result, names))
    assert list(table.columns) == [
        "Bezirks-Nr.",
        "Quartier",
        "Kennzahl",
        "Wert",
        "Einheit",
        "Anzahl",
        "Grundgesamtheit",
        "Genug Hinweise",
    ]
    assert len(table) == len(result.table)
    assert set(table["Quartier"]) == {names[f.quarter_id] for f in result.facts}
    assert translate("notes per km²", "de") in set(table["Kennzahl"])
    assert set(table["Genug Hinweise"]) <= {"ja", "nein"}
    assert not {"dark", "night", "category", "time_band"} & set(table.stack().astype(str))


def test_table_csv_gives_shares_in_per_cent_and_rounds(comparison) -> None:
    result, names = comparison
    table = _german_table(output.table_csv(result, names), text=("Wert",))
    source = result.table
    night = (source["group"] == "time_band") & (source["key"] == "night")
    first = source.loc[night].iloc[0]
    row = table.loc[night.to_numpy()].iloc[0]
    assert row["Einheit"] == "%"
    assert float(str(row["Wert"]).replace(",", ".")) == round(first["value"] * 100, 1)
    density = (source["key"] == "pins_per_km2").to_numpy()
    values = [str(v) for v in table.loc[density, "Wert"]]
    assert all(len(v.split(",")[1]) <= 2 for v in values if "," in v)
    assert "." not in "".join(values)  # decimal commas only


def test_the_printable_page_holds_title_period_rule_and_sources(comparison) -> None:
    result, names = comparison
    page = output.printable_page(
        result,
        names,
        result.table.head(3),
        ["Ein Satz."],
        [],
        period=(date(2026, 5, 1), date(2026, 6, 30)),
        attributions=["© Stadt Dortmund"],
        lang="de",
    )
    assert "Vergleich der Quartiere" in page
    assert "01.05.2026" in page and "30.06.2026" in page
    assert output.rule_text("de") in page
    assert "© Stadt Dortmund" in page
