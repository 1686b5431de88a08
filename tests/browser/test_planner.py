"""A planner in headless Chromium: switch a layer on, download exactly what is filtered,
upload a layer on the data page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rules.roles import Role
from store import open_store
from tests.browser.conftest import ARTIFACTS, AppServer, staff_account
from tests.browser.mapdriver import (
    TIMEOUT_MS,
    fill_in,
    map_frame,
    point_of,
    settle,
    staff_page,
    tap_at,
    wait_for_pins,
)

pytestmark = pytest.mark.browser


COUNT_ACCIDENTS_JS = """() => {
    let n = 0;
    map_div.eachLayer(l => { if (l.feature && l.feature.properties
        && l.feature.properties.light !== undefined) n++; });
    return n;
}"""


def test_a_planner_switches_on_accidents_and_downloads_the_filtered_pins(
    demo_server: AppServer, new_page: Any, tmp_path: Path
) -> None:
    staff_account(demo_server, "pia", Role.PLANNER)
    page = new_page(1400, 1000)
    staff_page(page, demo_server.url, "pia", "Planungskarte")
    frame = map_frame(page)
    frame = wait_for_pins(frame, 360)

    page.get_by_text("Unfälle mit Personenschaden (Unfallatlas)", exact=False).first.click()
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({COUNT_ACCIDENTS_JS})() > 100", timeout=TIMEOUT_MS)
    page.screenshot(path=str(ARTIFACTS / "planner-accidents.png"), full_page=True)

    # The file is made on request (not on every filter change), then offered.
    page.get_by_role("button", name="Datei erstellen (360 Zeilen)").click()
    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        page.get_by_role("button", name="360 Zeilen herunterladen").click()
    path = tmp_path / "export.geojson"
    download_info.value.save_as(path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    stored = open_store(str(demo_server.db_path)).pins_in_quarters(["710", "320", "530"])
    assert sorted(f["properties"]["id"] for f in exported["features"]) == sorted(
        p.id for p in stored
    )
    assert any("Stadt Dortmund" in s for s in exported["metadata"]["sources"])


LAMPS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"id": "L1", "zustand": "in Ordnung", "hoehe": 6},
            "geometry": {"type": "Point", "coordinates": [7.5567, 51.5245]},
        },
        {
            "type": "Feature",
            "properties": {"id": "L2", "zustand": "defekt", "hoehe": 4.5},
            "geometry": {"type": "Point", "coordinates": [7.5580, 51.5250]},
        },
        {
            "type": "Feature",
            "properties": {"id": "B1", "zustand": "in Ordnung", "hoehe": 8},
            "geometry": {"type": "Point", "coordinates": [13.40, 52.52]},
        },
    ],
}


def test_a_planner_uploads_lamps_sees_the_preview_and_imports(
    demo_server: AppServer, new_page: Any, tmp_path: Path
) -> None:
    upload = tmp_path / "laternen.geojson"
    upload.write_text(json.dumps(LAMPS), encoding="utf-8")
    staff_account(demo_server, "pia", Role.PLANNER)
    page = new_page(1400, 1200)
    staff_page(page, demo_server.url, "pia", "Datenebenen")
    page.get_by_text("50 MB", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("combobox", name="Was ist in der Datei?").click()
    page.get_by_role("option", name="Straßenlaternen", exact=True).click()
    settle(page)  # the choice reruns the page; a file given meanwhile was sometimes lost
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_text("1 Objekt würde ausgelassen", exact=False).wait_for(timeout=TIMEOUT_MS)
    fill_in(page.get_by_label("Quelle (wer hat die Daten veröffentlicht, wo)"), "Tiefbauamt, Test")
    fill_in(page.get_by_label("Lizenz"), "dl-de/by-2.0")
    fill_in(page.get_by_label("Namensnennung, die auf der Karte erscheint"), "Stadt Dortmund")
    page.get_by_role("button", name="Importieren").click()
    page.get_by_text("2 Objekte als laternen importiert", exact=False).wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(ARTIFACTS / "data-upload.png"), full_page=True)
    layers = {m.id: m for m in open_store(str(demo_server.db_path)).list_layers()}
    assert layers["laternen"].feature_count == 2
    lamps = open_store(str(demo_server.db_path)).layer_frame("laternen")
    assert sorted(lamps["status"]) == ["defect", "ok"]


def test_a_file_over_the_limit_is_refused_in_german(
    app_server: AppServer, new_page: Any, tmp_path: Path
) -> None:
    too_big = tmp_path / "gross.geojson"
    with too_big.open("wb") as file:
        file.truncate(51 * 1024 * 1024)  # the browser refuses it before sending a byte
    staff_account(app_server, "pia", Role.PLANNER)
    page = new_page(1400, 1000)
    staff_page(page, app_server.url, "pia", "Datenebenen")
    page.get_by_role("combobox", name="Was ist in der Datei?").click()
    page.get_by_role("option", name="Straßenlaternen", exact=True).click()
    settle(page)
    page.locator("input[type=file]").set_input_files(str(too_big))
    page.get_by_text("Die Datei darf höchstens", exact=False).wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text("or smaller", exact=False).count() == 0


# Canvas drawing order: what is drawn later lies above. [last note, first hotspot cell].
DRAW_ORDER_JS = """() => {
    let lastNote = -1, firstCell = -1, i = 0;
    const renderers = new Set();
    map_div.eachLayer(l => {
        if (l._renderer && l._renderer._drawFirst) renderers.add(l._renderer);
    });
    renderers.forEach(r => {
        for (let o = r._drawFirst; o; o = o.next, i++) {
            const p = o.layer.feature && o.layer.feature.properties;
            if (!p) continue;
            if (p.label !== undefined) { if (firstCell < 0) firstCell = i; }
            else if (p.id !== undefined && p.c !== undefined) { lastNote = i; }
        }
    });
    return [lastNote, firstCell];
}"""
SYMBOLS_JS = """() => {
    const kinds = {};
    document.querySelectorAll('.sq-symbol svg').forEach(s => {
        const has = sel => s.querySelector(sel) !== null;
        const shape = has('circle') || !has('rect') ? 'accident'
            : (has('rect[rx]') ? 'stop' : 'school');
        kinds[shape] = (kinds[shape] || 0) + 1;
    });
    return kinds;
}"""
# A note well inside a hot cell, and where it is: the cell's bounds shrunk by a third.
NOTE_IN_CELL_JS = """() => {
    const cells = [], notes = [];
    map_div.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (p && p.label === 'hot' && l.getBounds) cells.push(l.getBounds().pad(-0.35));
        else if (p && p.id !== undefined && p.c !== undefined && l.getLatLng) notes.push(l);
    });
    for (const n of notes) {
        const at = n.getLatLng();
        if (cells.some(b => b.contains(at))) return {lon: at.lng, lat: at.lat};
    }
    return null;
}"""
# A point of a hot cell on screen with no note within 16 px, in the frame's pixels.
CELL_SPOT_JS = """() => {
    map_div.closePopup();  // the note's popup would cover the cell
    const size = map_div.getSize(), dots = [];
    const cells = [];
    map_div.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (p && p.label === 'hot' && l.getBounds) cells.push(l.getBounds().pad(-0.1));
        else if (l instanceof L.CircleMarker) {
            dots.push(map_div.latLngToContainerPoint(l.getLatLng()));
        }
    });
    for (let x = 20; x < size.x - 20; x += 6) {
        for (let y = 20; y < size.y - 20; y += 6) {
            const at = map_div.containerPointToLatLng([x, y]);
            if (!cells.some(b => b.contains(at))) continue;
            if (dots.every(d => Math.hypot(d.x - x, d.y - y) > 16)) return {x: x, y: y};
        }
    }
    return null;
}"""
SIZES = ((1440, 900, "desktop"), (820, 1180, "tablet"), (390, 844, "phone"))


def test_the_planner_sees_hotspots_above_the_notes_with_a_legend_at_every_size(
    demo_server: AppServer, new_page: Any
) -> None:
    staff_account(demo_server, "pia", Role.PLANNER)
    page = new_page(1440, 900)
    staff_page(page, demo_server.url, "pia", "Planungskarte")
    frame = wait_for_pins(map_frame(page), 360)
    zoom_of_all = frame.evaluate("() => map_div.getZoom()")
    for name in ("Unfälle mit Personenschaden", "Haltestellen (VRR)", "Schulen und Kitas (OSM)"):
        page.get_by_text(name, exact=False).first.click()
        settle(page)
    page.get_by_text("Hotspots (Gi*)", exact=True).first.click()
    settle(page)
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({DRAW_ORDER_JS})()[1] >= 0", timeout=TIMEOUT_MS)
    last_note, first_cell = frame.evaluate(DRAW_ORDER_JS)
    assert last_note < first_cell, (last_note, first_cell)
    assert frame.evaluate("() => map_div.getZoom()") > zoom_of_all  # the analysed quarter
    kinds = frame.evaluate(SYMBOLS_JS)
    assert set(kinds) == {"stop", "school", "accident"}, kinds

    # A note under a cell still opens with a tap; the cell opens beside it.
    note = frame.evaluate(NOTE_IN_CELL_JS)
    assert note is not None, "a demo note lies in a hot cell"
    frame.evaluate(f"() => {{ map_div.setView([{note['lat']}, {note['lon']}], 18); return 0; }}")
    frame.wait_for_timeout(500)
    at = point_of(frame, note["lon"], note["lat"])
    tap_at(frame, at["x"], at["y"])
    frame.locator(".leaflet-popup .sq-pin").wait_for(timeout=TIMEOUT_MS)
    spot = frame.evaluate(CELL_SPOT_JS)
    assert spot is not None
    tap_at(frame, spot["x"], spot["y"])
    frame.locator(".leaflet-popup .sq-feature").wait_for(timeout=TIMEOUT_MS)
    assert "Hotspot-Zelle" in frame.locator(".leaflet-popup .sq-feature").inner_text()

    legend = page.locator(".sq-legend")
    for width, height, size in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        legend.scroll_into_view_if_needed()
        for entry in ("Hotspot: mehr Punkte", "Haltestelle (H)", "Schule oder Kita (Haus)"):
            assert legend.get_by_text(entry, exact=False).is_visible(), (size, entry)
        box = legend.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, size
        font_px = legend.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert font_px >= 14, (size, font_px)
        page.screenshot(path=str(ARTIFACTS / f"planner-legend-{size}.png"), full_page=True)

    # The notes switch off; the cells stay.
    page.get_by_text("Hinweise auf der Karte zeigen", exact=True).click()
    settle(page)
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({DRAW_ORDER_JS})()[0] < 0", timeout=TIMEOUT_MS)
    assert frame.evaluate(DRAW_ORDER_JS)[1] >= 0
