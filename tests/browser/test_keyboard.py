"""A person who uses only the keyboard joins a lab, places a note without the map, reads
the quarter's notes as a list and supports one: no mouse, no tap, every step by Tab,
arrows, Space and Enter."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.app_server import AppServer
from store import open_store
from tests.browser.mapdriver import settle
from tests.browser.test_shared_map import open_brackel_lab

pytestmark = pytest.mark.browser

# What the focused element is called: its label, accessible name or text.
FOCUSED_NAME_JS = """() => {
    const e = document.activeElement;
    const controls = 'a,button,input,select,textarea,summary,[role=tab],[role=radio],[role=switch]';
    if (!e || !e.matches(controls)) return '';  // not a region that holds focus for a skip
    const byId = e.id ? document.querySelector(`label[for="${CSS.escape(e.id)}"]`) : null;
    const wrapping = e.closest('label');
    return [e.getAttribute('aria-label'), byId && byId.innerText,
            wrapping && wrapping.innerText, e.innerText, e.value]
        .filter(Boolean).join(' | ');
}"""
MAX_TABS = 120


def tab_to(page: Any, name: str) -> str:
    """Press Tab until the focused element's name holds `name`; what it is called."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = str(page.evaluate(FOCUSED_NAME_JS))
        if name in focused:
            return focused
    raise AssertionError(f"{name!r} not reached with {MAX_TABS} presses of Tab")


def choose(page: Any, first: str, wanted: str) -> None:
    """In a group of radio buttons: Tab into it (at `first`), arrows to `wanted`, Space."""
    tab_to(page, first)
    for _ in range(12):
        if wanted in str(page.evaluate(FOCUSED_NAME_JS)):
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{wanted!r} is not in the group of {first!r}")


def place_at_a_landmark(page: Any) -> None:
    """Without the map: a stop or school of Brackel, "use this place", the note's form."""
    tab_to(page, "Orientierungspunkt")
    page.keyboard.type("Brackel")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    tab_to(page, "Diesen Ort verwenden")
    page.keyboard.press("Enter")
    page.get_by_text("Ihr Hinweis zum markierten Ort").wait_for()
    settle(page)


def test_join_place_a_note_without_the_map_and_support_one_by_keyboard(
    app_server: AppServer, new_page: Any
) -> None:
    code = open_brackel_lab(app_server)
    page = new_page(1280, 900)
    page.goto(app_server.url)
    settle(page)

    tab_to(page, "Code Ihres Quartierslabors")
    page.keyboard.type(code)
    tab_to(page, "Mitmachen")
    page.keyboard.press("Enter")
    page.get_by_text("Sie nehmen teil an:").wait_for()
    settle(page)

    tab_to(page, "Auf der Karte")  # tabs: one stop for Tab, arrows between them
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    place_at_a_landmark(page)

    choose(page, "zu dunkel", "zu dunkel")
    choose(page, "tagsüber", "nachts")
    tab_to(page, "Hinweis speichern")
    page.keyboard.press("Enter")
    page.get_by_text("Danke! Ihr Hinweis ist gespeichert").wait_for()
    settle(page)
    store = open_store(str(app_server.db_path))
    (pin,) = store.pins_in_quarter("320")
    assert (pin.category, pin.time_band) == ("dark", "night")
    # The tab chosen stays chosen after the save (it jumped back to the map), and the
    # coordinates section stays open across the reruns that follow.
    assert page.get_by_role("tab", name="Ohne Karte").get_attribute("aria-selected") == "true"
    tab_to(page, "Oder Koordinaten eingeben")
    page.keyboard.press("Enter")
    coordinates = page.get_by_label("Breite, Länge (z. B. 51.5136, 7.5470)")
    coordinates.wait_for()
    place_at_a_landmark(page)
    assert page.get_by_role("tab", name="Ohne Karte").get_attribute("aria-selected") == "true"
    assert coordinates.is_visible()

    tab_to(page, "Alle Hinweise als Liste")
    page.keyboard.press("Space")
    page.get_by_text(f"Hinweis {pin.id}").first.wait_for()
    settle(page)
    tab_to(page, "Ich auch (+1)")
    page.keyboard.press("Enter")
    page.get_by_text("Danke! Jetzt unterstützt 1 Person diesen Hinweis.").wait_for()
    (supported,) = store.pins_in_quarter("320")
    assert supported.supports == 1
