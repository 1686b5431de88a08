"""The browser talks to the app's own server only: every page, every role, and an offline
lab that shows streets from the tile cache prepared beforehand."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image

from devtools.app_server import AppServer
from devtools.fake_tile_service import TILE_COLOUR, FakeTileService
from rules.roles import Role
from tests.browser.conftest import ARTIFACTS, Blocked, staff_account
from tests.browser.mapdriver import MAP_FRAME, log_in, open_quarter, settle
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.browser

STAFF_ROLES = (Role.FACILITATOR, Role.MODERATOR, Role.PLANNER, Role.STEERING, Role.ADMIN)
MENU = '[data-testid="stSidebarNav"] a'
# What a person sees and a screen reader says, in the page and its same-origin frames:
# text nodes and the attributes that name things, except what is hidden from both.
SHOWN_AND_SPOKEN_JS = """() => {
    const found = [];
    const hidden = (e) => e.closest('[aria-hidden="true"], script, style, noscript, template');
    const collect = (doc) => {
        const show = NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT;
        const walker = doc.createTreeWalker(doc.body, show);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (n.nodeType === Node.TEXT_NODE) {
                if (n.parentElement && !hidden(n.parentElement) && n.nodeValue.trim())
                    found.push(n.nodeValue.trim());
                continue;
            }
            if (hidden(n)) continue;
            for (const a of ['aria-label', 'title', 'placeholder', 'alt'])
                if (n.getAttribute(a)) found.push(n.getAttribute(a));
            if (n.tagName === 'IFRAME') {
                try { if (n.contentDocument && n.contentDocument.body) collect(n.contentDocument); }
                catch (e) {}
            }
        }
    };
    collect(document);
    return found;
}"""
AXE = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"  # from npm (scripts/setup.sh)
# WCAG 2.1 A and AA; what a person meets on the page as drawn (the map's frame aside).
AXE_RUN_JS = """async () => {
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return result.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.html.slice(0, 120)).join(' | ')}`);
}"""
# Words of English that are not German words: any of them in German mode is a slip.
_ENGLISH_WORDS = (
    "the and of with to is your you press enter choose option options upload show hide "
    "password download fullscreen clear browse files drag drop here per more view skip "
    "main content heading search copy clipboard close open delete remove running zoom "
    "found results select rows submit apply calendar month previous next sidebar menu "
    "library interactive maps please click save cancel yes loading error warning "
    "draw edit layers finish undo changes last start end date day year pages "
)
ENGLISH = frozenset(_ENGLISH_WORDS.split())


def english_in(texts: list[str]) -> list[str]:
    """The texts holding an English word."""
    return [
        text
        for text in texts
        if ENGLISH & {word.lower() for word in re.findall(r"[A-Za-z]+", text)}
    ]


def hosts_asked(page: Any) -> list[str]:
    """Every host the page's context sends a request to, from now on."""
    hosts: list[str] = []
    page.context.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    return hosts


def visit_every_menu_entry(
    page: Any, english: dict[str, list[str]], barriers: dict[str, list[str]]
) -> list[str]:
    """Open each entry of the menu in turn, as a person clicks through; their addresses.
    What each page shows or says in English is added to `english` under its address, and
    axe-core's serious or critical WCAG violations to `barriers`."""
    settle(page)
    links = page.locator(MENU)
    paths = [links.nth(n).get_attribute("href") for n in range(links.count())]
    for number in range(len(paths)):
        links.nth(number).evaluate("link => link.click()")
        settle(page)
        page.wait_for_timeout(300)  # the translating script follows each change at once
        slips = english_in(page.evaluate(SHOWN_AND_SPOKEN_JS))
        if slips:
            english.setdefault(page.url, []).extend(slips)
        page.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the CSP refuses one
        found = page.evaluate(AXE_RUN_JS)
        if found:
            barriers.setdefault(page.url, []).extend(found)
    return paths


def walk_every_page_as_every_role(
    server: AppServer, new_page: Any
) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]]]:
    """Every page as a visitor and as each staff role: the hosts asked, the English texts
    and names, axe-core's barriers (each by page address)."""
    english: dict[str, list[str]] = {}
    barriers: dict[str, list[str]] = {}
    page = new_page()
    asked = hosts_asked(page)
    open_quarter(page, server.url, "Brackel")
    settle(page)
    assert page.evaluate("document.documentElement.lang") == "de"
    visited = visit_every_menu_entry(page, english, barriers)
    assert len(visited) >= 10
    for role in STAFF_ROLES:
        name = f"user-{role.value}"
        staff_account(server, name, role)
        page = new_page()
        asked += hosts_asked(page)
        log_in(page, server.url, name)
        visit_every_menu_entry(page, english, barriers)
    return asked, english, barriers


def _report(name: str, lines: list[str]) -> None:
    if lines:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / name).write_text("\n".join(lines), encoding="utf-8")


def test_every_page_as_every_role_asks_only_the_app_speaks_german_and_has_no_barrier(
    demo_server: AppServer, new_page: Any, blocked: Blocked
) -> None:
    # One walk for the three checks: each walk over every page as six people takes minutes.
    asked, english, barriers = walk_every_page_as_every_role(demo_server, new_page)
    assert blocked.urls == []
    assert asked and set(asked) == {"127.0.0.1"}
    slips = sorted({slip for found in english.values() for slip in found})
    _report("english-slips.txt", slips)
    report = [f"{url}: {barrier}" for url, found in barriers.items() for barrier in found]
    _report("axe-barriers.txt", report)
    assert slips == [], f"{len(slips)} English texts; see test-artifacts/english-slips.txt"
    assert report == [], f"{len(report)} WCAG barriers; see test-artifacts/axe-barriers.txt"


@pytest.fixture
def tile_service() -> Iterator[FakeTileService]:
    service = FakeTileService().start()
    yield service
    service.stop()


def magenta_share(png: bytes) -> float:
    """How much of a screenshot is the fake service's tile colour."""
    with Image.open(io.BytesIO(png)) as image:
        pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    return float((pixels == TILE_COLOUR).all(axis=1).mean())


def test_an_offline_lab_shows_streets_from_the_prepared_cache(
    tmp_path: Path, tile_service: FakeTileService, new_page: Any, blocked: Blocked
) -> None:
    env = {"SQ_BASEMAP": tile_service.url_template, "SQ_TILE_CACHE": str(tmp_path / "tiles")}
    # Preparing the laptop while online: Brackel's tiles at the zooms the map opens with.
    prepared = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.prepare_tiles",
            "--quarter",
            "brackel",
            "--max-zoom",
            "15",
            "--pause",
            "0",
            "--yes",
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    assert "tiles" in prepared.stdout and "0 failed" in prepared.stdout
    fetched = len(tile_service.requests)
    assert fetched > 10
    tile_service.stop()  # the hall has no internet

    server = AppServer(db_path=tmp_path / "pins.sqlite", extra_env=env).start()
    try:
        page = new_page(820, 1180)
        frame = open_quarter(page, server.url, "Brackel")
        frame.wait_for_function(
            "() => document.querySelectorAll('img.leaflet-tile-loaded').length >= 4",
            timeout=60_000,
        )
        sources = frame.eval_on_selector_all(
            "img.leaflet-tile-loaded", "images => images.map(i => i.src)"
        )
        assert all(src.startswith(f"{server.url}/tiles/") for src in sources)
        # Loaded tiles still fade in (Leaflet's opacity transition): on a busy machine the
        # first picture can come before they show, so look again for a few seconds.
        for _ in range(20):
            shot = page.locator(MAP_FRAME).screenshot()
            if magenta_share(shot) > 0.3:
                break
            page.wait_for_timeout(500)
        (ARTIFACTS / "offline-lab-map.png").write_bytes(shot)
        assert magenta_share(shot) > 0.3  # the streets fill the map, not a grey outline
    finally:
        server.stop()
    assert blocked.urls == []
    assert len(tile_service.requests) == fetched
