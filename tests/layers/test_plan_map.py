"""The plan's map: a reportlab drawing, and the SVG the HTML report holds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import geopandas as gpd
import pytest
from reportlab.graphics.shapes import Drawing, Rect, String
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from geo.crs import METRIC_CRS
from layers.compare_figures import SCALE_BAR_METRES, scale_label
from layers.plan_map import MapKey, MapMeasure, drawing_svg, plan_map

SVG = "{http://www.w3.org/2000/svg}"
KEY = MapKey(
    statuses={"decided": "beschlossen", "done": "umgesetzt", "unknown": "—"},
    notes="Hinweis",
    hot_cells="Hotspot-Zelle",
)


FRAME = box(0, 0, 1000, 600)


def _drawing(outline: BaseGeometry = FRAME, width: float = 500) -> Drawing:
    pins = gpd.GeoDataFrame(
        geometry=[Point(100, 100), Point(900, 500), Point(500, 300)], crs=METRIC_CRS
    )
    hot = gpd.GeoDataFrame(geometry=[box(450, 250, 550, 350)], crs=METRIC_CRS)
    measures = [MapMeasure(7, Point(500, 300), "decided"), MapMeasure(8, box(0, 0, 50, 50), "done")]
    return plan_map(outline, pins, hot, measures, key=KEY, width=width, height=300)


def _map() -> str:
    return drawing_svg(_drawing(), "Brackel <Karte>")


def test_the_svg_names_itself_and_shows_measures_legend_and_notes() -> None:
    root = ET.fromstring(_map())
    assert root.get("aria-label") == "Brackel <Karte>"
    assert root.find(f"{SVG}title").text == "Brackel <Karte>"  # type: ignore[union-attr]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"7", "8", "beschlossen", "umgesetzt", "Hinweis", "Hotspot-Zelle"} <= set(texts)
    assert "—" not in texts  # no colour for an unknown status: not in the legend
    dots = max((p.get("d", "") for p in root.iter(f"{SVG}path")), key=lambda d: d.count("M"))
    assert dots.count("M") == 3  # one square per note


def test_north_is_up() -> None:
    root = ET.fromstring(_map())
    dots = max((p.get("d", "") for p in root.iter(f"{SVG}path")), key=lambda d: d.count("M"))
    squares = [
        [tuple(map(float, xy.split(","))) for xy in re.findall(r"[\d.]+,[\d.]+", part)]
        for part in dots.split("M")[1:]
    ]
    centres = [(sum(x for x, _ in s) / 4, sum(y for _, y in s) / 4) for s in squares]
    # The notes at (100, 100) m and (900, 500) m: the northern one is higher on screen.
    assert centres[1][1] < centres[0][1] and centres[1][0] > centres[0][0]


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(
    "outline",
    [box(0, 0, 1000, 600), box(0, 0, 3000, 600), box(0, 0, 400, 2000)],
    ids=["as the frame", "wide", "tall"],
)
def test_the_key_and_scale_bar_lie_beneath_the_quarter_never_over_it(outline: BaseGeometry) -> None:
    drawing = _drawing(outline)
    quarter = drawing.quarter.getBounds()
    key = drawing.key.getBounds()
    bar = drawing.scale_bar.getBounds()
    assert not _overlap(key, quarter), (key, quarter)
    assert not _overlap(bar, quarter), (bar, quarter)
    assert not _overlap(key, bar), (key, bar)
    assert max(key[3], bar[3]) < quarter[1]  # beneath
    assert min(key[0], bar[0]) >= 0 and max(key[2], bar[2]) <= drawing.width
    # The frame keeps its 300 points for the quarter; the key adds to the height.
    assert drawing.height > 300 and quarter[3] - quarter[1] <= 300


def test_the_scale_bar_is_as_long_as_its_label_says() -> None:
    drawing = _drawing(FRAME, width=500)
    quarter = drawing.quarter.getBounds()
    points_per_metre = (quarter[2] - quarter[0]) / 1000  # measured on the drawing
    bar = next(s for s in drawing.scale_bar.contents if isinstance(s, Rect))
    (label,) = [
        s.text for s in drawing.scale_bar.contents if isinstance(s, String) and s.text != "0"
    ]
    metres = round(bar.width / points_per_metre)
    assert metres in SCALE_BAR_METRES and label == scale_label(metres)
    assert bar.width / points_per_metre == pytest.approx(metres, rel=0.01)
    # 1 km over about 484 points: 200 m is 97 points, 500 m would be 242 (too long).
    assert label == "200 m"
