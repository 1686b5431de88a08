"""The limits of taking part hold per device: a second tab or a reload is no second
"Me too"; the next person at a shared lab tablet gets their own."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from datapack.loading import load_districts
from devtools.app_server import AppServer
from rules.pins import PinDraft
from store import open_store
from tests.browser.mapdriver import PIN_JS, map_frame, settle, tap, wait_for_pins
from tests.browser.test_shared_map import join, open_brackel_lab

pytestmark = pytest.mark.browser


def support_the_pin(page: Any) -> None:
    """Tap the one note on the map and say "Me too"."""
    button = page.get_by_role("button", name="Ich auch (+1)")
    for _attempt in range(3):  # a timed map refresh may swallow a tap: tap again, as people do
        settle(page)  # a tap before the note's marker is drawn would place a new note
        frame = wait_for_pins(map_frame(page), 1)
        spot = frame.evaluate(f"() => ({PIN_JS})()[0].getLatLng()")
        tap(frame, spot["lng"], spot["lat"])
        try:
            button.wait_for(timeout=15_000)
            break
        except PlaywrightError:
            continue
    button.click()
    settle(page)


def hand_over(page: Any, request: pytest.FixtureRequest) -> Any:
    """Follow "Nächste Person an diesem Gerät"; the page it opens (a new tab, as every
    link of the app does)."""
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Nächste Person an diesem Gerät").click()
    request.node.sq_pages.append(opened.value)  # shown in the report if the test fails
    return opened.value


def supports(server: AppServer) -> int:
    (pin,) = open_store(str(server.db_path)).pins_in_quarter("320")
    return pin.supports


def test_a_second_tab_or_a_reload_is_no_second_me_too(
    app_server: AppServer, new_page: Any, request: pytest.FixtureRequest
) -> None:
    code = open_brackel_lab(app_server)
    store = open_store(str(app_server.db_path))
    session = store.session_by_code(code)
    assert session is not None
    point = load_districts().geometry("320").representative_point()
    store.add_pin(
        PinDraft("320", point.x, point.y, "dark", "night", token="t1", session_id=session.id)
    )

    page = new_page(820, 1180)
    join(page, app_server.url, code)
    support_the_pin(page)
    assert supports(app_server) == 1

    second_tab = page.context.new_page()
    request.node.sq_pages.append(second_tab)  # shown in the report if the test fails
    join(second_tab, app_server.url, code)
    support_the_pin(second_tab)
    page.reload()
    join(page, app_server.url, code)
    support_the_pin(page)
    assert supports(app_server) == 1  # one device, one "Me too"

    # The next person at the same tablet takes part with a number of their own.
    page = hand_over(page, request)
    page.get_by_text("Sie nehmen teil an:").wait_for()
    support_the_pin(page)
    assert supports(app_server) == 2
    # Handing on again at once is refused and said so.
    page = hand_over(page, request)
    page.get_by_text("Dieses Gerät wurde gerade erst weitergegeben").wait_for()
    support_the_pin(page)
    assert supports(app_server) == 2
