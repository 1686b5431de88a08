"""The steering circle compares the three lab quarters with demo data, in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rules.roles import Role
from store import open_store
from tests.browser.conftest import ARTIFACTS, AppServer, staff_account
from tests.browser.mapdriver import TIMEOUT_MS, staff_page

pytestmark = pytest.mark.browser


def test_the_steering_circle_sees_the_three_quarters_side_by_side(
    demo_server: AppServer, new_page: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    staff_account(demo_server, "stella", Role.STEERING)
    page = new_page()
    page.set_viewport_size({"width": 1400, "height": 1000})
    staff_page(page, demo_server.url, "stella", "Vergleich der Quartiere")
    page.get_by_role("heading", name="Kennzahlen").wait_for(timeout=TIMEOUT_MS)
    # The table is drawn on a canvas; its cells exist for screen readers.
    page.get_by_text("Hinweise je km²").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    # Six pictures, all drawn (SVG, inline): a map per quarter, their legend, two bar charts.
    images = page.locator("img[src^='data:image/svg+xml']")
    images.nth(5).wait_for(timeout=TIMEOUT_MS)
    assert images.count() == 6
    sizes = [images.nth(i).evaluate("i => i.naturalWidth") for i in range(6)]
    assert all(size > 300 for size in sizes), sizes
    # The maps side by side, each as wide as the others: one scale on the screen too.
    boxes = [images.nth(i).bounding_box() for i in range(3)]
    assert len({round(b["width"]) for b in boxes if b}) == 1, boxes
    assert len({round(b["y"]) for b in boxes if b}) == 1, boxes
    summary = page.locator("li").filter(has_text="der Hinweise").all_text_contents()
    assert summary and all(" %" in line for line in summary)
    page.get_by_role("button", name="Tabelle als CSV").wait_for()
    page.get_by_role("button", name="Druckansicht (HTML)").wait_for()
    page.screenshot(path=str(ARTIFACTS / "comparison.png"), full_page=True)
    page.get_by_role("heading", name="Was und wann").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "comparison-bars.png"))
    page.get_by_role("button", name="Tabelle als CSV").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "comparison-table.png"))
    # On a phone the maps stand one under another, still all of one width.
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(
        "() => { const i = [...document.querySelectorAll(\"img[src^='data:image/svg+xml']\")];"
        " return i.length === 6 && i[1].getBoundingClientRect().top"
        " > i[0].getBoundingClientRect().bottom; }",
        timeout=TIMEOUT_MS,
    )
    boxes = [images.nth(i).bounding_box() for i in range(3)]
    assert len({round(b["width"]) for b in boxes if b}) == 1, boxes
    assert all(b and b["width"] > 300 for b in boxes), boxes  # readable: nearly full width


def test_a_planner_imports_residents_for_the_densities(
    demo_server: AppServer, new_page: Any, tmp_path: Path
) -> None:
    table = tmp_path / "einwohner.csv"
    table.write_text("statistischer_bezirk_nr;einwohner;stichtag\n320;30.000;2025-12-31\n")
    staff_account(demo_server, "pia", Role.PLANNER)
    page = new_page()
    staff_page(page, demo_server.url, "pia", "Vergleich der Quartiere")
    page.get_by_text("Einwohnerzahlen je statistischem Bezirk importieren (CSV)").click()
    page.locator("input[type=file]").set_input_files(str(table))
    page.get_by_text("Einwohnerzahlen von 1 Bezirken gespeichert.").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("von der Planung importiert", exact=False).wait_for(timeout=TIMEOUT_MS)
    stored = open_store(str(demo_server.db_path)).population()
    assert stored["320"].residents == 30_000
