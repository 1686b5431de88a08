"""From pins to a decided measure, in Chromium: a planner makes a measure from a
candidate place (each shown on a small map), corrects it, the steering circle decides
it, the participant sees what became of the note."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from datapack.loading import load_districts
from rules.pins import PinDraft
from rules.roles import Role
from store import open_store
from tests.browser.conftest import ARTIFACTS, AppServer, staff_account
from tests.browser.mapdriver import (
    TIMEOUT_MS,
    fill_in,
    map_frame,
    staff_page,
)

pytestmark = pytest.mark.browser


def test_a_candidate_becomes_a_decided_measure_the_participant_can_follow(
    demo_server: AppServer, new_page: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    # Four people found the same underpass in Brackel too dark.
    store = open_store(str(demo_server.db_path))
    corner = load_districts().geometry("320").representative_point()
    store.add_pins(
        [
            PinDraft("320", corner.x + i * 1e-4, corner.y, "dark", "night", 2, "", f"u{i}")
            for i in range(4)
        ]
    )
    staff_account(demo_server, "pia", Role.PLANNER)
    staff_account(demo_server, "stella", Role.STEERING)

    planner = new_page(1280, 1100)
    staff_page(planner, demo_server.url, "pia", "Maßnahmenplan")
    # Their group (the demo data, filled when the server starts, has hotspots of its own).
    group = planner.locator("[class*='st-key-candidate_box_']").filter(
        has_text="„zu dunkel“, 4 Hinweise"
    )
    # Where it is: a small map with the four notes as dots, named for screen readers.
    thumb = group.get_by_role("img", name="Kleine Karte von Brackel", exact=False)
    assert "4 Hinweise als Punkte" in (thumb.get_attribute("aria-label") or "")
    assert thumb.locator("circle.note").count() == 4
    assert thumb.bounding_box()["width"] >= 300  # its full size, the scale bar readable
    group.get_by_text("Aus diesem Ort eine Maßnahme machen").click()
    fill_in(group.get_by_label("Titel der Maßnahme"), "Zusätzliche Laterne am Weg")
    group.get_by_role("button", name="Maßnahme anlegen").click()
    planner.get_by_text("Maßnahme Nr. 1 angelegt").wait_for(timeout=TIMEOUT_MS)

    (measure,) = store.measures()
    assert measure.title == "Zusätzliche Laterne am Weg"
    assert len(measure.pin_ids) == 4 and measure.quarter_id == "320"

    # The planner corrects the title; the history says who changed what, and when.
    entry = planner.locator(f"[class*='st-key-measure_box_{measure.id}']")
    # The list below the notice may still be on its way: wait for the entry's map.
    expect(entry.locator("svg[role=img] circle.note")).to_have_count(4, timeout=TIMEOUT_MS)
    entry.get_by_role("button", name="Bearbeiten").click()
    fill_in(entry.get_by_label("Titel der Maßnahme"), "Zusätzliche Laterne am Fußweg")
    entry.get_by_role("button", name="Änderungen speichern").click()
    planner.get_by_text("Maßnahme Nr. 1 gespeichert; geändert: Titel.").wait_for(timeout=TIMEOUT_MS)
    entry.get_by_text("Verlauf").click()
    entry.get_by_text("bearbeitet von pia am", exact=False).wait_for(timeout=TIMEOUT_MS)
    assert store.measure(measure.id).title == "Zusätzliche Laterne am Fußweg"  # type: ignore[union-attr]
    planner.screenshot(path=str(ARTIFACTS / "massnahme-bearbeitet.png"), full_page=True)

    steering = new_page(1280, 1100)
    staff_page(steering, demo_server.url, "stella", "Maßnahmenplan")
    steering.get_by_role("button", name="Auf die Tagesordnung setzen").click()
    steering.get_by_role("button", name="Beschließen").wait_for(timeout=TIMEOUT_MS)
    steering.get_by_role("button", name="Beschließen").click()
    steering.get_by_text("Stand: beschlossen", exact=False).wait_for(timeout=TIMEOUT_MS)
    assert store.measure(measure.id).status == "decided"  # type: ignore[union-attr]

    resident = new_page(900, 900)
    resident.goto(f"{demo_server.url}/mein-hinweis?hinweis={measure.pin_ids[0]}")
    resident.get_by_text("Zusätzliche Laterne am Fußweg").wait_for(timeout=TIMEOUT_MS)
    resident.get_by_text(
        "Der Lenkungskreis hat die Maßnahme beschlossen. Sie soll umgesetzt werden."
    ).wait_for(timeout=TIMEOUT_MS)
    resident.screenshot(path=str(ARTIFACTS / "mein-hinweis.png"), full_page=True)


def test_the_drawing_tools_load_from_the_app_itself(
    app_server: AppServer, new_page: Any, blocked: Any
) -> None:
    staff_account(app_server, "pia", Role.PLANNER)
    page = new_page(1280, 1100)
    staff_page(page, app_server.url, "pia", "Maßnahmenplan")
    page.get_by_text("Neue Maßnahme ohne Kandidat: Ort setzen oder zeichnen").click()
    frame = map_frame(page)
    frame.locator(".leaflet-draw-draw-polygon").wait_for(timeout=TIMEOUT_MS)
    frame.locator(".leaflet-draw-draw-marker").wait_for(timeout=TIMEOUT_MS)
    assert frame.locator(".leaflet-draw-draw-polyline").count() == 0  # a place, not a line
    assert not [u for u in blocked.urls if "leaflet" in u]  # nothing from a CDN
