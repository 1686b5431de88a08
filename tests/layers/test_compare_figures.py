"""Small multiples on one scale, bars with counts, and the printable page."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from shapely.geometry import box

from geo.classes import shared_breaks
from geo.crs import METRIC_CRS
from layers.compare_figures import (
    MapPanel,
    bars_png,
    class_colours,
    class_labels,
    small_multiples,
    small_multiples_png,
)
from layers.compare_report import report_html

PNG = b"\x89PNG\r\n\x1a\n"


def _panel(title: str, counts: list[int], x0: float) -> MapPanel:
    cells = [box(x0 + i * 100, 0, x0 + (i + 1) * 100, 100) for i in range(len(counts))]
    grid = gpd.GeoDataFrame({"count": counts}, geometry=cells, crs=METRIC_CRS)
    return MapPanel(title=title, grid=grid, outline=box(x0, 0, x0 + 100 * len(counts), 100))


def test_the_same_count_has_the_same_colour_in_every_map() -> None:
    panels = [_panel("A", [0, 1, 4, 9], 0), _panel("B", [9, 4, 0, 30, 1], 10_000)]
    breaks = shared_breaks([p.grid["count"].to_numpy() for p in panels], classes=4)
    figure = small_multiples(panels, breaks, legend_title="Hinweise", none_label="keine")
    colour_of: dict[int, set[str]] = {}
    for ax, panel in zip(figure.axes, panels, strict=True):
        faces = np.asarray(ax.collections[0].get_facecolor(), dtype=float)
        assert len(faces) == len(panel.grid)
        for count, face in zip(panel.grid["count"], faces, strict=True):
            colour_of.setdefault(int(count), set()).add(to_hex(tuple(face.tolist())))
    assert all(len(c) == 1 for c in colour_of.values()), colour_of
    expected = dict(zip(range(len(breaks)), class_colours(breaks), strict=True))
    assert colour_of[0] == {expected[0]}
    assert colour_of[30] == {expected[len(breaks) - 1]}
    # The legend names every class once, for all maps.
    assert [t.get_text() for t in figure.legends[0].get_texts()] == class_labels(breaks, "keine")


def test_the_figures_are_pictures() -> None:
    panels = [_panel("A", [0, 2], 0), _panel("B", [5, 0], 1000)]
    breaks = shared_breaks([p.grid["count"].to_numpy() for p in panels])
    assert small_multiples_png(panels, breaks, legend_title="x", none_label="0").startswith(PNG)
    bars = bars_png(
        ["zu dunkel", "Verkehr"],
        ["Brackel", "Hörde"],
        np.array([[12, 3], [18, 0]]),
        np.array([[0.4, 1.0], [0.6, 0.0]]),
        title="Hinweise nach Kategorie",
        greyed=[False, True],
    )
    assert bars.startswith(PNG)


def test_the_printable_page_escapes_and_greys() -> None:
    table = pd.DataFrame(
        {"Brackel": ["41 % (12 von 29)", "3 – zu wenige Hinweise"], "<b>X</b>": ["1", "2"]},
        index=["Kategorie: zu dunkel", "Hinweise"],
    )
    html = report_html(
        title="Vergleich <script>",
        subtitle="Brackel, Hörde",
        summary=["In Brackel betreffen 41 % der Hinweise „zu dunkel“."],
        images=[PNG + b"rest"],
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
    assert "data:image/png;base64," in html
    assert "Erstellt am 26.11.2026" in html and "Stadt Dortmund" in html
    assert "http" not in html  # nothing loads from elsewhere
