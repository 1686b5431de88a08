"""The presentation view of a lab in Chromium: a facilitator opens it from the code card
in a new tab; on a 1920x1080 and a 1280x720 projector the code's letters are at least
15 % and the QR code at least 40 % of the screen's height, nothing scrolls and no menu
shows; a note saved into the lab raises the count within seconds, and closing the lab
replaces the code with a message, without a reload. German only, no barrier axe-core
finds, no request to anyone but the app."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest

from devtools.app_server import AppServer
from rules.labs import LabSession
from rules.roles import Actor, Role
from store import Store, open_store
from tests.browser.conftest import Blocked, staff_account
from tests.browser.mapdriver import TIMEOUT_MS, go_to, log_in, settle
from tests.browser.test_no_third_party import AXE, AXE_RUN_JS, SHOWN_AND_SPOKEN_JS, english_in
from tests.factories import make_draft

pytestmark = pytest.mark.browser

FACILITATOR = Actor("fa", Role.FACILITATOR)
# What the walk of every page collects, less what CSS hides from eye and screen reader
# alike (the menu this view hides with display: none).
SHOWN_JS = SHOWN_AND_SPOKEN_JS.replace(
    "const hidden = (e) => ", "const hidden = (e) => !e.checkVisibility() || "
)
# The code's letters as drawn (ink, not line box), the QR image, what scrolls, what shows.
MEASURE_JS = """async () => {
    await document.fonts.ready;
    const code = document.querySelector('.sq-code');
    const style = getComputedStyle(code);
    const pen = document.createElement('canvas').getContext('2d');
    pen.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const ink = pen.measureText(code.textContent);
    const qr = document.querySelector('.sq-qr img').getBoundingClientRect();
    const box = (e) => e.getBoundingClientRect();
    const shown = (selector) => [...document.querySelectorAll(selector)]
        .some((e) => box(e).width > 0 && box(e).height > 0);
    const scrolling = [...document.querySelectorAll('*')].filter((e) =>
        e.scrollHeight > e.clientHeight + 1 && e.clientHeight > 0
        && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY));
    const parts = [...document.querySelectorAll('.sq-show')].map(box);
    const column = code.closest('[data-testid="stColumn"]') || code.parentElement;
    return {
        codeFont: style.fontFamily,
        codeFits: code.scrollWidth <= code.clientWidth && box(code).right <= box(column).right,
        codeInk: ink.actualBoundingBoxAscent + ink.actualBoundingBoxDescent,
        codeText: code.textContent,
        qrWidth: qr.width, qrHeight: qr.height,
        width: innerWidth, height: innerHeight,
        lowest: Math.max(...parts.map((r) => r.bottom)),
        rightmost: Math.max(...parts.map((r) => r.right), qr.right),
        pageScrolls: document.scrollingElement.scrollHeight > innerHeight + 1,
        scrolling: scrolling.map((e) => e.getAttribute('data-testid') || e.tagName),
        menu: shown('[data-testid="stSidebar"]') || shown('[data-testid="stHeader"]')
            || shown('.st-key-language_top button'),
    };
}"""


def _open_lab(server: AppServer) -> tuple[Store, LabSession]:
    staff_account(server, FACILITATOR.name, FACILITATOR.role)
    store = open_store(str(server.db_path))
    session = store.open_session(
        quarter_id="320",
        title="Quartierslabor Brackel 1",
        held_on=date.today(),
        place="Bürgerhaus",
        format="lab_table",
        actor=FACILITATOR,
    )
    return store, session


def _view_from_code_card(page: Any, server: AppServer, session: LabSession) -> Any:
    """Log in, open the lab's code card and its presentation view (a new tab)."""
    log_in(page, server.url, FACILITATOR.name)
    go_to(page, "Quartierslabore")
    settle(page)
    page.get_by_role("button", name="Code zeigen").click()
    settle(page)
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Präsentationsansicht").click()
    view = opened.value
    view.set_default_timeout(TIMEOUT_MS)
    view.locator(".sq-count").wait_for(timeout=TIMEOUT_MS)
    assert view.url.endswith(f"/praesentation?sitzung={session.id}")
    return view


def _count_within(view: Any, text: str, seconds: float) -> float:
    """Seconds until `text` shows (the view is not reloaded); fails after `seconds`."""
    started = time.monotonic()
    view.locator(".sq-count", has_text=text).wait_for(timeout=seconds * 1000)
    return time.monotonic() - started


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_on_a_projector_the_code_and_qr_are_large_and_nothing_scrolls(
    app_server: AppServer, new_page: Any, blocked: Blocked, width: int, height: int
) -> None:
    _store, session = _open_lab(app_server)
    view = _view_from_code_card(new_page(1440, 900), app_server, session)
    view.set_viewport_size({"width": width, "height": height})
    settle(view)
    size = view.evaluate(MEASURE_JS)
    print(f"{width}x{height}: {size}")  # the measured figures, with -s
    assert size["codeText"].replace(" ", "") == session.join_code
    assert size["codeFits"], size
    assert size["codeInk"] / height >= 0.15, size
    assert abs(size["qrWidth"] - size["qrHeight"]) < 1 and size["qrHeight"] / height >= 0.40, size
    assert size["lowest"] <= height and size["rightmost"] <= width, size
    assert not size["pageScrolls"] and size["scrolling"] == [], size
    assert not size["menu"], size
    # The widest code the alphabet allows fits as well (monospaced, but let us see it).
    view.evaluate(
        """() => { const spans = document.querySelectorAll('.sq-code span');
                   spans[0].textContent = 'WMW'; spans[1].textContent = 'MWM'; }"""
    )
    widest = view.evaluate(MEASURE_JS)
    assert widest["codeFits"] and widest["codeInk"] / height >= 0.15, widest
    assert blocked.urls == []


def test_the_count_follows_the_lab_and_a_closed_lab_says_so(
    app_server: AppServer, new_page: Any, blocked: Blocked
) -> None:
    store, session = _open_lab(app_server)
    view = _view_from_code_card(new_page(1280, 720), app_server, session)
    view.locator(".sq-count", has_text="0 Hinweise · 0 Unterstützungen").wait_for()

    # German only, no barrier axe-core finds (this page is in no menu, so the walk of
    # every menu page does not come here).
    assert "const hidden = (e) => !e.checkVisibility() || " in SHOWN_JS
    shown = view.evaluate(SHOWN_JS)
    assert "Scannen und mitmachen" in shown
    assert "Quartierslabore" not in shown and "Sichere Quartiere" not in shown  # no menu
    assert english_in(shown) == []
    view.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the CSP refuses one
    assert view.evaluate(AXE_RUN_JS) == []

    note = store.add_pin(
        make_draft(
            "lab-1", quarter_id="320", session_id=session.id, channel="lab_table", participant="a"
        )
    )
    waited = _count_within(view, "1 Hinweis · 0 Unterstützungen", seconds=12)
    store.add_support(note.id, "b", session_id=session.id)
    waited = max(waited, _count_within(view, "1 Hinweis · 1 Unterstützung", seconds=12))
    print(f"count followed the store within {waited:.1f} s")
    assert view.locator(".sq-code").count() == 1

    store.close_session(session.id, actor=FACILITATOR)
    view.get_by_text("Dieses Quartierslabor ist geschlossen.").wait_for(timeout=12_000)
    assert view.locator(".sq-code").count() == 0
    assert view.locator(".sq-qr").count() == 0
    view.locator(".sq-count", has_text="1 Hinweis · 1 Unterstützung").wait_for()
    assert blocked.urls == []
