"""A participant in headless Chromium: pin in Brackel, see it live, reload, restart."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from shapely.geometry import Point

from datapack.loading import load_districts
from geo.crs import geometry_to_metric
from rules.roles import Actor, Role
from store import open_store
from tests.browser.conftest import ARTIFACTS, AppServer, Blocked
from tests.browser.mapdriver import (
    PIN_JS,
    TIMEOUT_MS,
    fill_and_save,
    map_frame,
    settle,
    tap,
    wait_for_pins,
    wait_for_popup_texts,
)
from tests.factories import hire_staff

pytestmark = pytest.mark.browser

# Several ways markup could run if it were ever put into the page as HTML.
XSS_TEXT = (
    "<script>window.top.__xss = 1</script>"
    '<img src=x onerror="window.top.__xss = 2">'
    "\"'><svg onload=window.top.__xss=3>"
    "`${window.top.__xss = 4}` </p></div>"
)
XSS_CHECK = "() => window.top.__xss === undefined"


def open_brackel_lab(server: AppServer) -> str:
    """A facilitator opened a lab in Brackel; its join code."""
    store = open_store(str(server.db_path))
    facilitator = Actor("fa", Role.FACILITATOR)
    hire_staff(store, (facilitator,))
    session = store.open_session(
        quarter_id="320",
        title="Quartierslabor Brackel",
        held_on=date(2026, 11, 26),
        place="Bürgerhaus",
        format="lab_table",
        actor=facilitator,
    )
    return session.join_code


def join(page: Any, base_url: str, code: str) -> Any:
    """Open the lab's link (what its QR code holds); return the map's frame."""
    page.goto(f"{base_url}/?code={code}")
    page.get_by_text("Sie nehmen teil an:").wait_for(timeout=TIMEOUT_MS)
    return map_frame(page)


def test_pin_in_brackel_is_shared_survives_reload_and_restart(
    app_server: AppServer, new_page: Any, blocked: Blocked
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    brackel = load_districts().geometry("320").representative_point()
    dialogs: list[str] = []

    code = open_brackel_lab(app_server)
    watcher = new_page()  # a second participant at the same lab table
    watcher_frame = join(watcher, app_server.url, code)
    watcher_frame = wait_for_pins(watcher_frame, 0)

    page = new_page()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    frame = join(page, app_server.url, code)
    tap(frame, brackel.x, brackel.y)
    page.get_by_text("Ihr Hinweis zum markierten Ort").wait_for()
    # An impatient double-click on "save" must still store one pin.
    fill_and_save(page, category="zu dunkel", time_band="nachts", text=XSS_TEXT, double_click=True)
    page.get_by_text("Danke! Ihr Hinweis ist auf der Karte.").wait_for()

    frame = map_frame(page)
    frame = wait_for_pins(frame, 1)
    # Without a reload, the other participant's map shows the new pin too.
    watcher_frame = wait_for_pins(watcher_frame, 1)

    # A moderator releases the text; the maps show it within a refresh, as text.
    store = open_store(str(app_server.db_path))
    (saved,) = store.pins_in_quarter("320")
    moderator = Actor("mona", Role.MODERATOR)
    hire_staff(store, (moderator,))
    store.release_text(saved.id, actor=moderator)
    frame = wait_for_popup_texts(page, [XSS_TEXT])
    frame.evaluate(f"() => ({PIN_JS})()[0].openPopup()")
    assert frame.locator(".sq-pin strong").text_content() == "zu dunkel"
    page.screenshot(path=str(ARTIFACTS / "shared-map-pin.png"), full_page=True)
    assert page.evaluate(XSS_CHECK) and frame.evaluate(XSS_CHECK)
    assert dialogs == []

    # A reload (or a dropped connection) comes back to the lab by itself, with the
    # number of the note just saved: the code stays in the address.
    page.reload()
    page.get_by_text("Sie nehmen teil an:").wait_for(timeout=TIMEOUT_MS)
    assert f"code={code}" in page.url
    page.get_by_text(f"Ihr Hinweis hat die Nummer {saved.id}.").wait_for(timeout=TIMEOUT_MS)
    frame = wait_for_pins(map_frame(page), 1)

    app_server.stop()
    app_server.start()
    restarted = new_page()
    frame = join(restarted, app_server.url, code)
    frame = wait_for_pins(frame, 1)
    assert restarted.evaluate(XSS_CHECK) and frame.evaluate(XSS_CHECK)

    (pin,) = open_store(str(app_server.db_path)).pins_in_quarter("320")
    assert (pin.category, pin.time_band, pin.text) == ("dark", "night", XSS_TEXT)
    # The offline guard was active: nothing left this machine.
    assert all("127.0.0.1" not in url for url in blocked.urls)


def test_a_tap_outside_the_quarter_is_explained(app_server: AppServer, new_page: Any) -> None:
    brackel = load_districts().geometry("320")
    page = new_page()
    frame = join(page, app_server.url, open_brackel_lab(app_server))
    # A place near the map's top-right corner (the zoom buttons sit top-left),
    # which the outline does not reach.
    x = frame.evaluate("() => map_div.getSize().x") - 30
    corner = frame.evaluate(f"() => map_div.containerPointToLatLng([{x}, 30])")
    outside = Point(corner["lng"], corner["lat"])
    assert geometry_to_metric(brackel).distance(geometry_to_metric(outside)) > 100
    frame.locator("#map_div").click(position={"x": x, "y": 30})
    page.get_by_text("Dieser Ort liegt außerhalb von Brackel").wait_for()
    assert page.get_by_text("Ihr Hinweis zum markierten Ort").count() == 0
    assert open_store(str(app_server.db_path)).count_pins() == 0


def test_the_page_icon_comes_from_the_app_itself(app_server: AppServer, new_page: Any) -> None:
    """A ":material/…" page icon is fetched from a Google font server by every
    visitor's browser; the app's own icon is served by the app."""
    page = new_page()
    page.goto(app_server.url)
    page.get_by_text("Gemeinsame Karte").first.wait_for()
    page.wait_for_function("() => document.querySelector(\"link[rel~='icon']\") !== null")
    icons = page.evaluate(
        "() => [...document.querySelectorAll(\"link[rel~='icon']\")].map(l => l.href)"
    )
    assert icons and all(href.startswith(app_server.url) for href in icons), icons


def test_the_maps_own_address_opens_it_without_an_english_dialog(
    app_server: AppServer, new_page: Any
) -> None:
    code = open_brackel_lab(app_server)
    page = new_page(390, 844)
    page.goto(f"{app_server.url}/karte?code={code}")
    page.get_by_text("Sie nehmen teil an:").wait_for()
    map_frame(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stDialog"]').count() == 0


# On the page as drawn: the note's form's width, words split over two lines (a word with
# more than one line box) and buttons whose label does not fit.
LAYOUT_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const form = main.querySelector('[data-testid="stForm"]');
    const broken = [], cut = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of node.nodeValue.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            if ([...range.getClientRects()].filter(r => r.width > 0).length > 1)
                broken.push(word[0]);
        }
    }
    for (const button of main.querySelectorAll('button')) {
        const label = button.querySelector('p') || button;
        if (label.scrollWidth > label.clientWidth + 1) cut.push(button.innerText);
    }
    return {form: form ? form.getBoundingClientRect().width : 0, broken, cut};
}"""


def test_on_a_tablet_the_form_has_room_and_no_word_or_button_is_cut(
    app_server: AppServer, new_page: Any
) -> None:
    code = open_brackel_lab(app_server)
    page = new_page(820, 1180)
    frame = join(page, app_server.url, code)
    # The menu starts closed for residents: the map and the form get the width.
    main_left = page.evaluate(
        "document.querySelector('[data-testid=\"stMain\"]').getBoundingClientRect().left"
    )
    assert main_left < 50
    brackel = load_districts().geometry("320").representative_point()
    tap(frame, brackel.x, brackel.y)
    page.get_by_text("Ihr Hinweis zum markierten Ort").wait_for()
    settle(page)
    layout = page.evaluate(LAYOUT_JS)
    page.screenshot(path=str(ARTIFACTS / "tablet-form.png"))
    assert layout["form"] >= 300, layout
    assert layout["broken"] == [] and layout["cut"] == [], layout


def test_on_a_phone_the_language_switch_is_at_hand_with_the_menu_closed(
    app_server: AppServer, new_page: Any
) -> None:
    code = open_brackel_lab(app_server)
    page = new_page(390, 844)
    join(page, app_server.url, code)
    assert page.locator('[data-testid="stExpandSidebarButton"]').is_visible()  # menu closed
    switch = page.get_by_role("button", name="English", exact=True)
    box = switch.bounding_box()
    assert box is not None and box["y"] < 60 and box["x"] + box["width"] <= 390, box
    page.wait_for_function(
        "() => document.querySelector('.st-key-language_top button').lang === 'en'"
    )
    switch.click()
    page.get_by_text("You take part in:").wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Deutsch", exact=True).click()
    page.get_by_text("Sie nehmen teil an:").wait_for(timeout=TIMEOUT_MS)
