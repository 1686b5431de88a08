"""What a person does with the map, in Playwright terms."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import Error as PlaywrightError

# The map's frame: static/page.js names it "Karte" (Streamlit calls it by its module).
MAP_FRAME = 'iframe[title="Karte"], iframe[title="streamlit_folium.st_folium"]'
# Pins the map shows, single or in a numbered group of nearby pins.
COUNT_PINS_JS = """() => {
    let n = 0;
    map_div.eachLayer(l => {
        if (l.getChildCount) n += l.getChildCount();
        else if (l.feature && l.feature.properties && l.feature.properties.id !== undefined) n++;
    });
    return n;
}"""
# What a finger can hit on the map: single pins and groups, as circles in frame pixels.
MARKS_JS = """() => {
    const marks = [];
    map_div.eachLayer(l => {
        if (l.getChildCount) {
            const p = map_div.latLngToContainerPoint(l.getLatLng());
            marks.push({x: p.x, y: p.y, r: l._icon ? l._icon.offsetWidth / 2 : 0,
                        count: l.getChildCount()});
        } else if (l.feature && l.feature.properties && l.feature.properties.id !== undefined) {
            const p = map_div.latLngToContainerPoint(l.getLatLng());
            marks.push({x: p.x, y: p.y, r: l.options.radius + l.options.weight / 2, count: 1});
        }
    });
    return marks;
}"""
TIMEOUT_MS = 60_000  # generous: a loaded CI machine is slow, and a wait ends as soon as it holds


def open_quarter(page: Any, base_url: str, label: str) -> Any:
    """Open the app, choose a quarter; return the map's frame once Leaflet has drawn."""
    page.goto(base_url)
    page.get_by_role("button", name=label, exact=True).click()
    return map_frame(page)


def map_frame(page: Any) -> Any:
    handle = page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS)
    frame = handle.content_frame()
    frame.wait_for_function(
        "() => typeof map_div !== 'undefined' && map_div._loaded", timeout=TIMEOUT_MS
    )
    return frame


def pin_count(frame: Any) -> int:
    return int(frame.evaluate(COUNT_PINS_JS))


def wait_for_pins(frame: Any, count: int, timeout_ms: int = TIMEOUT_MS) -> Any:
    """Wait until the map draws `count` pins; return its frame (a rerun may replace it)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        remaining_ms = max(1, int((deadline - time.monotonic()) * 1000))
        try:
            frame.wait_for_function(f"() => ({COUNT_PINS_JS})() === {count}", timeout=remaining_ms)
            return frame
        except PlaywrightError as exc:
            if "detached" not in str(exc) or time.monotonic() >= deadline:
                raise
            frame = map_frame(frame.page)


def point_of(frame: Any, lon: float, lat: float) -> dict[str, float]:
    point = frame.evaluate(f"() => map_div.latLngToContainerPoint([{lat}, {lon}])")
    return {"x": float(point["x"]), "y": float(point["y"])}


def marks(frame: Any) -> list[dict[str, float]]:
    """The single pins and groups of pins drawn now: centre and radius in frame pixels,
    and how many pins each stands for."""
    return list(frame.evaluate(MARKS_JS))


def tap(frame: Any, lon: float, lat: float) -> None:
    """Tap the map at a geographic place."""
    point = point_of(frame, lon, lat)
    tap_at(frame, point["x"], point["y"])


def tap_at(frame: Any, x: float, y: float) -> None:
    """Tap the map at a point of its own pixels. Not Playwright's click(position=…): on a
    phone the page was measured to be still scrolling the map into view when the click
    went off, about 50 px from where it was meant to land."""
    area = frame.locator("#map_div")
    area.scroll_into_view_if_needed()
    box, deadline = area.bounding_box(), time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:  # until the page has stopped scrolling
        frame.page.wait_for_timeout(100)
        now = area.bounding_box()
        if now == box:
            break
        box = now
    frame.page.mouse.click(box["x"] + x, box["y"] + y)


def tap_measure(frame: Any, measure_id: int) -> Any:
    """Tap a measure's numbered mark on the public plan's map (a finger on its middle);
    its popup once open."""
    frame.locator(f'.sq-measure[data-measure-id="{measure_id}"]').wait_for(timeout=TIMEOUT_MS)
    centre = frame.evaluate(
        """(id) => {
            const box = document.querySelector(`.sq-measure[data-measure-id="${id}"]`)
                .getBoundingClientRect();
            return {x: box.x + box.width / 2, y: box.y + box.height / 2};
        }""",
        measure_id,
    )
    tap_at(frame, centre["x"], centre["y"])
    popup = frame.locator(f'.sq-measure-popup[data-measure-id="{measure_id}"]')
    popup.wait_for(timeout=TIMEOUT_MS)
    return popup


def fill_and_save(
    page: Any, *, category: str, time_band: str, text: str, double_click: bool = False
) -> None:
    page.get_by_text(category, exact=True).click()
    page.get_by_text(time_band, exact=True).click()
    page.locator("textarea").fill(text)
    save = page.get_by_role("button", name="Hinweis speichern")
    if double_click:
        save.dblclick()
    else:
        save.click()


STAFF_PASSWORD = "ein-langes-passwort-1"


def fill_in(field: Any, text: str) -> None:
    """Type into a form field and leave it, as after tabbing on. Streamlit commits a form
    field when it loses focus and re-renders the form; a click that is itself what takes
    the focus away was measured to be lost about once in six (no run starts)."""
    field.fill(text)
    field.blur()


def open_menu(page: Any) -> None:
    """Open the menu if it is closed (residents' pages start with it closed)."""
    button = page.locator('[data-testid="stExpandSidebarButton"]')
    if button.count() and button.is_visible():
        button.click()


def log_in(page: Any, base_url: str, username: str, password: str = STAFF_PASSWORD) -> None:
    """Log in on the staff login page (reached through the menu, as a person would)."""
    page.goto(base_url)
    page.get_by_role("link", name="Anmelden").or_(
        page.locator('[data-testid="stExpandSidebarButton"]')
    ).first.wait_for(timeout=TIMEOUT_MS)
    open_menu(page)
    page.get_by_role("link", name="Anmelden").click()
    fill_in(page.get_by_label("Benutzername"), username)
    fill_in(page.get_by_label("Passwort", exact=True), password)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.get_by_text(f"Angemeldet als {username}", exact=False).first.wait_for(timeout=TIMEOUT_MS)


def go_to(page: Any, menu_entry: str) -> None:
    open_menu(page)
    page.get_by_role("link", name=menu_entry).click()


def staff_page(page: Any, base_url: str, username: str, menu_entry: str) -> None:
    """Log in and open a staff page from the menu; return once it has finished drawing."""
    log_in(page, base_url, username)
    go_to(page, menu_entry)
    settle(page)


# Streamlit marks its app element with the script's state, and the elements of the run
# before with data-stale while a new run replaces them.
QUIET_JS = """(quietMs) => {
    const app = document.querySelector('[data-test-script-state]');
    const now = performance.now();
    const busy = !app || app.getAttribute('data-test-script-state') !== 'notRunning'
        || document.querySelector('[data-stale="true"]') !== null;
    if (busy || window.sqBusyAt === undefined) { window.sqBusyAt = now; return false; }
    return now - window.sqBusyAt >= quietMs;
}"""


def settle(page: Any, quiet_ms: int = 1_000) -> None:
    """Wait until the app has finished its runs (as a person waits for a page to stop
    changing): no script run and nothing stale for `quiet_ms`."""
    page.evaluate("() => { window.sqBusyAt = undefined; }")
    page.wait_for_function(QUIET_JS, arg=quiet_ms, timeout=TIMEOUT_MS, polling=100)


# Every pin's marker, also those drawn as part of a numbered group.
PIN_JS = """() => {
    const found = [];
    map_div.eachLayer(l => {
        if (l.getAllChildMarkers) found.push(...l.getAllChildMarkers());
        else if (l.feature && l.feature.properties
                 && l.feature.properties.id !== undefined) found.push(l);
    });
    return found;
}"""


def popup_texts(frame: Any) -> list[str]:
    """Open every pin's popup in turn and collect the texts shown."""
    return list(
        frame.evaluate(f"""() => {{
        const texts = [];
        ({PIN_JS})().forEach(l => {{
            // Opened on the map, so that a pin inside a group shows its popup too.
            map_div.openPopup(l.getPopup().setLatLng(l.getLatLng()));
            const popup = l.getPopup().getElement();
            const text = popup && popup.querySelector(".sq-pin-text");
            if (text) {{ texts.push(text.textContent); }}
            map_div.closePopup();
        }});
        return texts;
    }}""")
    )


def wait_for_popup_texts(page: Any, expected: list[str], timeout_ms: int = TIMEOUT_MS) -> Any:
    """Poll the map (re-finding its frame: a rerun may replace it) until the pins'
    popups show `expected`; return the frame."""
    deadline = time.monotonic() + timeout_ms / 1000
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            frame = map_frame(page)
            seen = popup_texts(frame)
            if seen == expected:
                return frame
        except PlaywrightError:
            pass  # the frame was replaced while we read it; look again
        time.sleep(0.5)
    raise AssertionError(f"popups show {seen!r}, expected {expected!r}")
