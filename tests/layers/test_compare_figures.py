"""Small multiples on one scale, bars with counts, and the printable page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Polygon, box

from geo.classes import classify, shared_breaks
from geo.crs import METRIC_CRS
from layers.compare_figures import (
    MapPanel,
    bars_svg,
    class_colours,
    class_labels,
    small_multiples_svg,
)
from layers.compare_report import report_html

SVG = "{http://www.w3.org/2000/svg}"


def _panel(title: str, counts: list[int], x0: float) -> MapPanel:
    cells = [box(x0 + i * 100, 0, x0 + (i + 1) * 100, 100) for i in range(len(counts))]
    grid = gpd.GeoDataFrame({"count": counts}, geometry=cells, crs=METRIC_CRS)
    return MapPanel(title=title, grid=grid, outline=box(x0, 0, x0 + 100 * len(counts), 100))


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_the_same_count_has_the_same_colour_in_every_map() -> None:
    panels = [_panel("A", [0, 1, 4, 9], 0), _panel("B", [9, 4, 0, 30, 1], 10_000)]
    breaks = shared_breaks([p.grid["count"].to_numpy() for p in panels], classes=4)
    colours = class_colours(breaks)
    root = ET.fromstring(
        small_multiples_svg(panels, breaks, legend_title="Hinweise", none_label="keine")
    )
    maps = [g for g in root.iter(f"{SVG}g") if g.get("class") == "map"]
    assert len(maps) == len(panels)
    for group, panel in zip(maps, panels, strict=True):
        # One path per class present, its colour that class's in every map, one square
        # (subpath) per cell of that class.
        classes = classify(panel.grid["count"].to_numpy(), breaks)
        drawn = {
            p.get("fill"): p.get("d", "").count("M")
            for p in group.iter(f"{SVG}path")
            if p.get("class") == "cells"
        }
        expected = {colours[c]: int((classes == c).sum()) for c in set(classes.tolist())}
        assert drawn == expected
        assert _texts(group)[0] == panel.title
        assert any(p.get("class") == "outline" for p in group.iter(f"{SVG}path"))
    # The legend names every class once, for all maps.
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert _texts(legend) == ["Hinweise", *class_labels(breaks, "keine")]


def test_a_map_keeps_north_up_and_its_holes() -> None:
    ring = [(0, 0), (400, 0), (400, 200), (0, 200)]
    outline = Polygon(ring, [[(100, 50), (200, 50), (200, 150), (100, 150)]])
    grid = gpd.GeoDataFrame(
        {"count": [1, 0]}, geometry=[box(0, 0, 200, 200), box(200, 0, 400, 200)], crs=METRIC_CRS
    )
    panel = MapPanel(title="Brackel", grid=grid, outline=outline)
    root = ET.fromstring(
        small_multiples_svg(
            [panel], shared_breaks([grid["count"].to_numpy()]), legend_title="x", none_label="0"
        )
    )
    outline_d = next(p.get("d", "") for p in root.iter(f"{SVG}path") if p.get("class") == "outline")
    assert outline_d.count("M") == 2  # the outer ring and the hole
    lit = next(
        p
        for p in root.iter(f"{SVG}path")
        if p.get("class") == "cells" and p.get("fill") != class_colours(np.array([0, 1]))[0]
    )
    xs, ys = zip(
        *(map(float, xy.split(",")) for xy in re.findall(r"[\d.]+,[\d.]+", lit.get("d", ""))),
        strict=True,
    )
    # The cell with a note is the western one; north (y = 200 m) is at the top.
    assert max(xs) < 200 and min(ys) < max(ys)


def test_the_bars_carry_their_counts_and_grey_what_rests_on_too_few() -> None:
    svg = bars_svg(
        ["zu dunkel", "Verkehr <laut>"],
        ["Brackel", "Hörde"],
        np.array([[12, 3], [18, 0]]),
        np.array([[0.4, 1.0], [0.6, 0.0]]),
        title="Hinweise nach Kategorie",
        greyed=[False, True],
    )
    root = ET.fromstring(svg)
    texts = _texts(root)
    assert texts[0] == "Hinweise nach Kategorie"
    assert {"zu dunkel", "Verkehr <laut>", "Brackel", "Hörde"} <= set(texts)
    assert {"12 · 40 %", "3 · 100 %", "18 · 60 %", "0 · 0 %"} <= set(texts)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == 4
    widths = [float(r.get("width", "0")) for r in bars]
    assert widths[1] == max(widths) and widths[3] == 0  # Hörde's 100 %, Hörde's 0 %
    assert bars[1].get("fill") == bars[3].get("fill") == "#bbbbbb"  # too few: grey
    assert bars[0].get("fill") != "#bbbbbb"


def test_the_printable_page_escapes_and_greys() -> None:
    table = pd.DataFrame(
        {"Brackel": ["41 % (12 von 29)", "3 – zu wenige Hinweise"], "<b>X</b>": ["1", "2"]},
        index=["Kategorie: zu dunkel", "Hinweise"],
    )
    html = report_html(
        title="Vergleich <script>",
        subtitle="Brackel, Hörde",
        summary=["In Brackel betreffen 41 % der Hinweise „zu dunkel“."],
        images=['<svg xmlns="http://www.w3.org/2000/svg"><text>Karte</text></svg>'],
        table=table,
        marker="zu wenige Hinweise",
        notes=["Kein Gesamtwert."],
        sources=["Stadt Dortmund"],
        made="Erstellt am 26.11.2026",
        lang="de",
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;X&lt;/b&gt;" in html
    assert html.count('class="few"') == 1
    assert "<figure><svg" in html and "<text>Karte</text>" in html
    assert "Erstellt am 26.11.2026" in html and "Stadt Dortmund" in html
    assert not re.search(r"(src|href)=|url\(|@import", html)  # nothing loads from elsewhere
