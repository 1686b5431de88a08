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


def test_the_quarters_maps_share_one_scale_measured_on_the_figure(comparison) -> None:
    """Bövinghausen (about 2.5 km²) is drawn smaller than Brackel (about 9.8 km²): the
    outline's drawn size over its size in metres is the same in every map."""
    import re

    from geo.crs import geometry_to_metric

    result, names = comparison
    root = ET.fromstring(output.maps_svg(result, names, "de"))
    svg = "{http://www.w3.org/2000/svg}"
    maps = [g for g in root.iter(f"{svg}g") if g.get("class") == "map"]
    scales, drawn = [], {}
    for group, fact in zip(maps, result.facts, strict=True):
        d = next(p.get("d", "") for p in group.iter(f"{svg}path") if p.get("class") == "outline")
        xy = [tuple(map(float, p.split(","))) for p in re.findall(r"[\d.]+,[\d.]+", d)]
        width_px = max(x for x, _ in xy) - min(x for x, _ in xy)
        height_px = max(y for _, y in xy) - min(y for _, y in xy)
        min_x, min_y, max_x, max_y = geometry_to_metric(fact.area).bounds
        scales += [(max_x - min_x) / width_px, (max_y - min_y) / height_px]
        drawn[fact.quarter_id] = width_px * height_px
        bar = next(g for g in group.iter(f"{svg}g") if g.get("class") == "scalebar")
        assert bar.get("data-metres") in {"100", "200", "500", "1000", "2000"}
    assert max(scales) / min(scales) < 1.005, scales
    assert drawn["710"] < drawn["320"] / 2  # Bövinghausen no longer looks as large


def test_the_maps_one_by_one_have_one_size_and_the_same_scale_bar(comparison) -> None:
    result, names = comparison
    maps, legend = output.map_panels(result, names, "de", demo=True)
    assert len(maps) == len(result.facts)
    roots = [ET.fromstring(m) for m in maps]
    assert len({(r.get("width"), r.get("height")) for r in roots}) == 1
    svg = "{http://www.w3.org/2000/svg}"
    bars = [
        (g.get("data-metres"), next(r for r in g.iter(f"{svg}rect")).get("width"))
        for root in roots
        for g in root.iter(f"{svg}g")
        if g.get("class") == "scalebar"
    ]
    assert len(bars) == len(maps) and len(set(bars)) == 1  # same length, same pixels
    for root, fact in zip(roots, result.facts, strict=True):
        assert names[fact.quarter_id] in "".join(t.text or "" for t in root.iter(f"{svg}text"))
    assert "0 (keine)" in legend and "gleiche Klassen" in legend


def test_on_demo_data_every_figure_and_the_printable_page_say_so(comparison) -> None:
    result, names = comparison
    banner = "Demodaten – keine echten Hinweise"
    assert translate(output.DEMO_BANNER, "de") == banner
    for svg in output.figures(result, names, "de", demo=True):
        assert banner in svg
    assert not any(banner in svg for svg in output.figures(result, names, "de"))
    page = output.printable_page(
        result,
        names,
        result.table.head(3),
        [],
        [],
        period=(date(2026, 5, 1), date(2026, 6, 30)),
        attributions=[],
        lang="de",
        demo=True,
    )
    assert page.split("<body>", 1)[1].startswith(f'<p class="demo" role="note">{banner}</p>')


def test_the_printable_page_has_felt_and_recorded_with_accidents(tmp_path) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    pack = load_districts()
    ids = pack.district_ids[:2]
    store = SqliteStore(tmp_path / "f.sqlite")
    hire_staff(store)
    made = demo_pins(quarter_areas(pack.districts, ids), per_quarter=30)
    store.add_pins([p.draft for p in made], created_at=[p.created_at for p in made])
    spots = [pack.geometry(q).representative_point() for q in ids]
    accidents = gpd.GeoDataFrame(
        {"light": ["dark", "day"]}, geometry=[Point(p.x, p.y) for p in spots], crs="EPSG:4326"
    )
    result = compare(
        pack, store.pins_frame(list(ids)), ids, population={}, lamps=None, accidents=accidents
    )
    names = pack.short_labels()
    page = output.printable_page(
        result,
        names,
        result.table.head(3),
        [],
        [],
        period=(date(2026, 5, 1), date(2026, 6, 30)),
        attributions=[],
        lang="de",
    )
    section = page.split('<section class="felt">', 1)[1].split("</section>", 1)[0]
    assert section.startswith("<h2>Empfunden und erfasst</h2>")
    assert "erfasst: Unfälle bei Dunkelheit" in section
    assert all(names[q] in section for q in ids)
    assert translate(output.FELT_NOTE, "de") in section
    assert 'class="demo"' not in page
