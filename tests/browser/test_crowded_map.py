"""300 notes in one quarter, on a phone: nearby notes are grouped, and a tap still
places a new note on an empty spot, zooms into a group, and opens a single note."""

from __future__ import annotations

import random
from typing import Any

import geopandas as gpd
import pytest
import shapely

from datapack.loading import load_districts
from geo.crs import METRIC_CRS
from store import open_store
from tests.browser.conftest import ARTIFACTS, AppServer
from tests.browser.mapdriver import TIMEOUT_MS, marks, settle, tap_at, wait_for_pins
from tests.browser.test_shared_map import join, open_brackel_lab
from tests.factories import make_draft

pytestmark = pytest.mark.browser

NOTES = 300
FORM = "Ihr Hinweis zum markierten Ort"
# Share of the quarter's drawn area that the drawn circles cover; `marks` as from
# mapdriver.marks, the quarter as points 25 m apart.
COVERED_JS = """([samples, marks]) => {
    const size = map_div.getSize();
    let inside = 0, covered = 0;
    for (const [lon, lat] of samples) {
        const p = map_div.latLngToContainerPoint([lat, lon]);
        if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) continue;
        inside++;
        if (marks.some(m => (m.x - p.x) ** 2 + (m.y - p.y) ** 2 <= m.r ** 2)) covered++;
    }
    return covered / Math.max(inside, 1);
}"""
# Every note as a single circle of the former size (radius 9 px, stroke 2 px).
UNGROUPED_JS = """() => {
    const out = [];
    map_div.eachLayer(l => {
        const pins = l.getAllChildMarkers ? l.getAllChildMarkers()
            : (l.feature && l.feature.properties.id !== undefined ? [l] : []);
        for (const pin of pins) {
            const p = map_div.latLngToContainerPoint(pin.getLatLng());
            out.push({x: p.x, y: p.y, r: 10, count: 1});
        }
    });
    return out;
}"""


def _in_brackel(count: int, spacing_m: float | None = None) -> list[shapely.Point]:
    """Places spread at random over Brackel (a fixed seed), or a grid `spacing_m` apart;
    in the metric CRS."""
    area = gpd.GeoSeries([load_districts().geometry("320")], crs=4326).to_crs(METRIC_CRS)[0]
    minx, miny, maxx, maxy = area.bounds
    if spacing_m is not None:
        grid = (
            shapely.Point(minx + spacing_m * (i + 0.5), miny + spacing_m * (j + 0.5))
            for i in range(int((maxx - minx) / spacing_m))
            for j in range(int((maxy - miny) / spacing_m))
        )
        return [p for p in grid if area.contains(p)]
    rng = random.Random(7)
    places: list[shapely.Point] = []
    while len(places) < count:
        place = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if area.contains(place):
            places.append(place)
    return places


def _lon_lat(places: list[shapely.Point]) -> list[list[float]]:
    return [[p.x, p.y] for p in gpd.GeoSeries(places, crs=METRIC_CRS).to_crs(4326)]


def _free_spot(frame: Any, samples: list[list[float]], drawn: list[dict[str, float]]) -> Any:
    """A point of the quarter, in frame pixels, at least 15 px from every drawn circle
    and clear of the map's controls at its edges."""
    return frame.evaluate(
        """([samples, marks]) => {
        const size = map_div.getSize();
        for (const [lon, lat] of samples) {
            const p = map_div.latLngToContainerPoint([lat, lon]);
            if (p.x < 60 || p.y < 60 || p.x > size.x - 60 || p.y > size.y - 60) continue;
            if (marks.every(m => Math.hypot(m.x - p.x, m.y - p.y) >= m.r + 15)) return p;
        }
        return null;
    }""",
        [samples, drawn],
    )


def test_with_300_notes_a_phone_can_place_a_note_zoom_into_a_group_and_open_a_note(
    app_server: AppServer, new_page: Any
) -> None:
    code = open_brackel_lab(app_server)
    store = open_store(str(app_server.db_path))
    notes = _lon_lat(_in_brackel(NOTES))
    store.add_pins(
        [
            make_draft(f"crowd-{i}", quarter_id="320", lon=lon, lat=lat)
            for i, (lon, lat) in enumerate(notes)
        ]
    )
    samples = _lon_lat(_in_brackel(0, spacing_m=25.0))

    page = new_page(390, 844)
    frame = wait_for_pins(join(page, app_server.url, code), NOTES)
    settle(page)
    drawn = marks(frame)
    page.screenshot(path=str(ARTIFACTS / "crowded-map-phone.png"), full_page=True)
    # Every note is on the map, most of them in numbered groups.
    assert sum(m["count"] for m in drawn) == NOTES
    assert len(drawn) <= 40 and max(m["count"] for m in drawn) > 1, drawn
    # Drawn one by one at the former size they covered most of the quarter.
    covered = frame.evaluate(COVERED_JS, [samples, drawn])
    ungrouped = frame.evaluate(COVERED_JS, [samples, frame.evaluate(UNGROUPED_JS)])
    assert ungrouped > 0.5 and covered < 0.35, (covered, ungrouped)

    # A tap on a group zooms in; it is no new note.
    zoom = frame.evaluate("() => map_div.getZoom()")
    biggest = max(drawn, key=lambda m: m["count"])
    tap_at(frame, biggest["x"], biggest["y"])
    frame.wait_for_function(f"() => map_div.getZoom() > {zoom}", timeout=TIMEOUT_MS)
    settle(page)
    assert page.get_by_text(FORM).count() == 0

    # A tap on an empty spot between the notes places a new one.
    spot = _free_spot(frame, samples, marks(frame))
    assert spot is not None
    tap_at(frame, spot["x"], spot["y"])
    page.get_by_text(FORM).wait_for(timeout=TIMEOUT_MS)

    # Close enough to see streets, single notes are drawn (where the public map puts
    # them, on its 25 m grid); a tap on one opens it.
    lon, lat = notes[0]
    frame.evaluate(f"() => {{ map_div.setView([{lat}, {lon}], 17, {{animate: false}}); }}")
    frame.wait_for_function(
        """() => { let single = false;
            map_div.eachLayer(l => { if (l.feature && l._map) single = true; });
            return single; }""",
        timeout=TIMEOUT_MS,
    )
    single = next(m for m in marks(frame) if m["count"] == 1 and m["x"] > 60 and m["y"] > 60)
    tap_at(frame, single["x"], single["y"])
    page.get_by_role("button", name="Ich auch (+1)").first.wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(ARTIFACTS / "crowded-map-note.png"), full_page=True)
