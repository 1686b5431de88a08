"""The public plan in Chromium on a phone: an anonymous visitor opens /plan, finds a
measure on the map, taps it and opens the measure's own page by the popup's link."""

from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import Point

from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from store import SqliteStore
from tests.browser.conftest import AppServer
from tests.browser.mapdriver import TIMEOUT_MS, map_frame, settle, tap_measure
from tests.factories import hire_staff

pytestmark = pytest.mark.browser

PLANNER = Actor("pia", Role.PLANNER)
STEERING = Actor("stella", Role.STEERING)


def seed(store: SqliteStore) -> tuple[int, int]:
    """A decided measure and a proposed one in Brackel; their numbers."""
    hire_staff(store)
    decided = store.create_measure(
        MeasureDraft(
            "Laterne am Hellweg",
            "lighting",
            "320",
            Point(7.5512, 51.5187),
            responsible="Tiefbauamt",
        ),
        actor=PLANNER,
    )
    store.move_measure(decided.id, "discussed", actor=STEERING)
    store.move_measure(decided.id, "decided", actor=STEERING)
    draft = store.create_measure(
        MeasureDraft("Geheimer Entwurf", "design", "320", Point(7.556, 51.52)), actor=PLANNER
    )
    return decided.id, draft.id


def test_a_visitor_finds_a_measure_on_the_map_and_opens_its_page(
    app_server_factory: Any, new_page: Any
) -> None:
    decided, draft = seed(SqliteStore(app_server_factory.db_path))
    server: AppServer = app_server_factory.start()
    page = new_page(390, 844)
    page.goto(server.url)  # a fresh server answers its first deep link with "not found"
    settle(page)
    page.goto(f"{server.url}/plan?quartier=320")
    page.get_by_role("heading", name="Was die Stadt tut").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("Brackel: 0 von 1 Maßnahme umgesetzt").wait_for(timeout=TIMEOUT_MS)
    frame = map_frame(page)
    mark = frame.locator(f'.sq-measure[data-measure-id="{decided}"]')
    mark.wait_for(timeout=TIMEOUT_MS)
    assert frame.locator(f'.sq-measure[data-measure-id="{draft}"]').count() == 0
    assert mark.get_attribute("aria-label") == f"Maßnahme {decided}: Laterne am Hellweg"
    # A finger on the number opens the popup with the status in words and the link.
    popup = tap_measure(frame, decided)
    assert "Stand: beschlossen" in popup.inner_text()
    popup.get_by_role("link", name=f"Zur Maßnahme {decided}").click()
    page.wait_for_url(f"**/massnahme?nr={decided}", timeout=TIMEOUT_MS)
    page.get_by_role("heading", name="Laterne am Hellweg").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("Zuständig: Tiefbauamt").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)
    body = page.locator("body").inner_text()
    assert "beschlossen" in body and "Geheimer Entwurf" not in body
