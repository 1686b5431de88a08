"""The plan's map: a reportlab drawing, and the SVG the HTML report holds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import geopandas as gpd
from shapely.geometry import Point, box

from geo.crs import METRIC_CRS
from layers.plan_map import MapMeasure, drawing_svg, plan_map

SVG = "{http://www.w3.org/2000/svg}"


def _map() -> str:
    pins = gpd.GeoDataFrame(
        geometry=[Point(100, 100), Point(900, 500), Point(500, 300)], crs=METRIC_CRS
    )
    hot = gpd.GeoDataFrame(geometry=[box(450, 250, 550, 350)], crs=METRIC_CRS)
    measures = [MapMeasure(7, Point(500, 300), "decided"), MapMeasure(8, box(0, 0, 50, 50), "done")]
    drawing = plan_map(
        box(0, 0, 1000, 600),
        pins,
        hot,
        measures,
        legend={"decided": "beschlossen", "done": "umgesetzt", "unknown": "—"},
        width=500,
        height=300,
    )
    return drawing_svg(drawing, "Brackel <Karte>")


def test_the_svg_names_itself_and_shows_measures_legend_and_notes() -> None:
    root = ET.fromstring(_map())
    assert root.get("aria-label") == "Brackel <Karte>"
    assert root.find(f"{SVG}title").text == "Brackel <Karte>"  # type: ignore[union-attr]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"7", "8", "beschlossen", "umgesetzt"} <= set(texts)
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
