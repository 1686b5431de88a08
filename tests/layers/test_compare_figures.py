"""Small multiples on one scale, bars with counts, and the printable page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from geo.classes import classify, shared_breaks
from geo.crs import METRIC_CRS
from layers.compare_figures import (
    SCALE_BAR_METRES,
    MapPanel,
    bars_svg,
    class_colours,
    class_labels,
    scale_bar_metres,
    scale_label,
    small_multiples_svg,
)
from layers.compare_report import TableSection, report_html

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


def _xy(d: str) -> tuple[list[float], list[float]]:
    pairs = [tuple(map(float, xy.split(","))) for xy in re.findall(r"-?[\d.]+,-?[\d.]+", d)]
    return [x for x, _ in pairs], [y for _, y in pairs]


def metres_per_pixel(group: ET.Element, outline_bounds: tuple[float, ...]) -> tuple[float, float]:
    """Measured on the picture: the outline's drawn width and height against its metres."""
    d = next(p.get("d", "") for p in group.iter(f"{SVG}path") if p.get("class") == "outline")
    xs, ys = _xy(d)
    min_x, min_y, max_x, max_y = outline_bounds
    return (max_x - min_x) / (max(xs) - min(xs)), (max_y - min_y) / (max(ys) - min(ys))


def _quarter(title: str, x0: float, width_m: float, height_m: float) -> MapPanel:
    outline = box(x0, 0, x0 + width_m, height_m)
    grid = gpd.GeoDataFrame(
        {"count": [1, 0]},
        geometry=[
            box(x0, 0, x0 + width_m / 2, height_m),
            box(x0 + width_m / 2, 0, x0 + width_m, height_m),
        ],
        crs=METRIC_CRS,
    )
    return MapPanel(title=title, grid=grid, outline=outline)


def test_every_map_has_the_same_metres_per_pixel_and_the_largest_sets_it() -> None:
    # A small quarter (1.2 x 0.8 km), a large one (4 x 2.5 km), a tall one (1 x 3 km).
    panels = [
        _quarter("klein", 0, 1200, 800),
        _quarter("groß", 10_000, 4000, 2500),
        _quarter("hoch", 20_000, 1000, 3000),
    ]
    root = ET.fromstring(
        small_multiples_svg(
            panels, np.array([0, 1]), legend_title="Hinweise", none_label="keine", banner=None
        )
    )
    maps = [g for g in root.iter(f"{SVG}g") if g.get("class") == "map"]
    measured = [
        m for g, p in zip(maps, panels, strict=True) for m in metres_per_pixel(g, p.outline.bounds)
    ]
    # One scale in both directions and every map, to rounding (0.1 px of the path).
    assert max(measured) / min(measured) < 1.002, measured
    # The largest span (the large quarter's 4 km) fills the 352 px of a map's square.
    assert 4000 / measured[2] == pytest.approx(352, abs=0.5)
    # The small quarter is drawn smaller: not stretched to fill its square.
    small_xs, _ = _xy(
        next(p.get("d", "") for p in maps[0].iter(f"{SVG}path") if p.get("class") == "outline")
    )
    assert max(small_xs) - min(small_xs) == pytest.approx(1200 / measured[0], abs=0.3)
    assert max(small_xs) - min(small_xs) < 120


def test_each_map_has_a_scale_bar_whose_label_matches_its_length() -> None:
    panels = [_quarter("klein", 0, 1200, 800), _quarter("groß", 10_000, 4000, 2500)]
    root = ET.fromstring(
        small_multiples_svg(panels, np.array([0, 1]), legend_title="x", none_label="0")
    )
    maps = [g for g in root.iter(f"{SVG}g") if g.get("class") == "map"]
    for group, panel in zip(maps, panels, strict=True):
        (bar,) = [g for g in group.iter(f"{SVG}g") if g.get("class") == "scalebar"]
        metres = int(bar.get("data-metres", "0"))
        assert metres in SCALE_BAR_METRES
        length_px = float(
            next(r for r in bar.iter(f"{SVG}rect") if r.get("class") == "bar").get("width", "0")
        )
        m_per_px, _ = metres_per_pixel(group, panel.outline.bounds)
        assert length_px * m_per_px == pytest.approx(metres, rel=0.003)
        assert _texts(bar) == ["0", scale_label(metres)]
        assert 40 < length_px <= 0.4 * 360  # long enough to read, not over the map's width
    # 4 km in 352 px: 1 km would be 88 px, 2 km 176 px (too long): the bar is 1 km.
    assert _texts(bar)[-1] == "1 km"


@pytest.mark.parametrize(
    ("px_per_metre", "metres", "label"),
    [
        (1.0, 100, "100 m"),
        (0.5, 200, "200 m"),
        (0.2, 500, "500 m"),
        (0.1, 1000, "1 km"),
        (0.05, 2000, "2 km"),
        (5.0, 100, "100 m"),
    ],
)
def test_the_scale_bar_takes_the_longest_round_length_that_fits(
    px_per_metre: float, metres: int, label: str
) -> None:
    assert scale_bar_metres(px_per_metre, max_px=144) == metres
    assert scale_label(metres) == label


def test_a_figure_on_demo_data_says_so_across_its_top() -> None:
    panels = [_quarter("A", 0, 1000, 1000)]
    plain = ET.fromstring(
        small_multiples_svg(panels, np.array([0, 1]), legend_title="x", none_label="0")
    )
    demo = ET.fromstring(
        small_multiples_svg(
            panels, np.array([0, 1]), legend_title="x", none_label="0", banner="Demodaten <x>"
        )
    )
    assert float(demo.get("height", "0")) > float(plain.get("height", "0"))
    (band,) = [g for g in demo.iter(f"{SVG}g") if g.get("class") == "banner"]
    assert _texts(band) == ["Demodaten <x>"]
    assert not [g for g in plain.iter(f"{SVG}g") if g.get("class") == "banner"]
    bars = ET.fromstring(
        bars_svg(
            ["a"],
            ["A"],
            np.array([[1]]),
            np.array([[1.0]]),
            title="t",
            greyed=[False],
            banner="Demodaten",
        )
    )
    assert "Demodaten" in _texts(bars)


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


def test_the_printable_page_has_felt_and_recorded_and_the_demo_banner_on_top() -> None:
    felt = pd.DataFrame(
        {
            "empfunden: Hinweise „nachts“": ["40 % (12 von 30)"],
            "erfasst: Unfälle": ["2 – zu wenige Hinweise"],
        },
        index=["Brackel"],
    )
    html = report_html(
        title="Vergleich der Quartiere",
        subtitle="Brackel",
        summary=[],
        images=[],
        table=pd.DataFrame({"Brackel": ["1"]}, index=["Hinweise"]),
        marker="zu wenige Hinweise",
        notes=[],
        sources=[],
        made="",
        lang="de",
        banner="Demodaten – keine echten Hinweise",
        felt=TableSection("Empfunden und erfasst", felt, "Nebeneinander <nie> verrechnet."),
        table_heading="Kennzahlen",
    )
    body = html.split("<body>", 1)[1]
    # The banner comes first, before the title, in its own box.
    assert body.startswith('<p class="demo" role="note">Demodaten – keine echten Hinweise</p><h1>')
    section = html.split('<section class="felt">', 1)[1].split("</section>", 1)[0]
    assert section.startswith("<h2>Empfunden und erfasst</h2>")
    assert "empfunden: Hinweise „nachts“" in section and "40 % (12 von 30)" in section
    assert section.count('class="few"') == 1 and "&lt;nie&gt;" in section
    assert html.index("Empfunden und erfasst") < html.index("<h2>Kennzahlen</h2>")
    plain = report_html(
        title="V",
        subtitle="",
        summary=[],
        images=[],
        table=felt,
        marker="x",
        notes=[],
        sources=[],
        made="",
        lang="de",
    )
    assert 'class="demo"' not in plain and "<section" not in plain


def test_the_printable_page_has_the_screens_headings() -> None:
    html = report_html(
        title="V",
        subtitle="",
        summary=["Ein Satz."],
        images=["<svg>1</svg>", "<svg>2</svg>", "<svg>3</svg>"],
        table=pd.DataFrame({"A": ["1"]}, index=["Hinweise"]),
        marker="x",
        notes=[],
        sources=[],
        made="",
        lang="de",
        summary_heading="Kurz gesagt",
        figure_headings=["Wo die Hinweise liegen", "Was und wann"],
    )
    assert "<h2>Kurz gesagt</h2><ul><li>Ein Satz.</li></ul>" in html
    assert (
        "<h2>Wo die Hinweise liegen</h2><figure><svg>1</svg></figure>"
        "<h2>Was und wann</h2><figure><svg>2</svg></figure><figure><svg>3</svg></figure>"
    ) in html
