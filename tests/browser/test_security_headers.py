"""The security headers in force on a real app server: on every kind of response, a page
of another origin cannot frame the moderation page, and every page and the map's main
interactions run without a single Content-Security-Policy violation in Chromium."""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image

from config.settings import load_settings
from devtools.app_server import AppServer
from devtools.pg_cluster import free_port
from geo.tiles import tile_at
from rules.labs import LabSession
from rules.roles import Actor, Role
from services.security_headers import headers_for
from store import SqliteStore, open_store
from tests.browser.conftest import staff_account
from tests.browser.mapdriver import (
    PIN_JS,
    TIMEOUT_MS,
    fill_and_save,
    log_in,
    map_frame,
    open_quarter,
    settle,
    tap,
)
from tests.browser.test_no_third_party import MENU
from tests.browser.test_public_plan import seed

pytestmark = pytest.mark.browser

ADMIN = "sq-admin"
BRACKEL_TILE = tile_at(7.5512, 51.5187, 14)
# In every frame, from its first script on: each violation the browser reports.
REPORT_VIOLATIONS_JS = """
document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`sq-csp-violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`
        + ` in ${e.documentURI} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
});
"""
Served = tuple[AppServer, int, LabSession]  # the server, a measure's number, a lab session
# What the browser says about the policies themselves (a violation, an unknown feature).
POLICY_WORDS = ("sq-csp-violation", "Content Security Policy", "Permissions-Policy")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One demo app server for the file: a decided measure, a lab session, an admin and
    one fresh tile in its cache; with the measure's number and the session."""
    folder = tmp_path_factory.mktemp("headers")
    basemap = load_settings().basemap
    assert basemap is not None
    tiles = folder / "tiles"
    tile = tiles / basemap.key / str(BRACKEL_TILE.z) / str(BRACKEL_TILE.x) / f"{BRACKEL_TILE.y}.png"
    tile.parent.mkdir(parents=True)
    Image.new("RGB", (256, 256), "white").save(tile)
    db = folder / "demo.sqlite"
    app = AppServer(db_path=db, extra_env={"SQ_DEMO": "1", "SQ_TILE_CACHE": str(tiles)})
    measure, _draft = seed(SqliteStore(db))
    staff_account(app, ADMIN, Role.ADMIN)  # who logs in (seed's staff have no password)
    session = open_store(str(app.db_path)).open_session(
        quarter_id="320",
        title="Quartierslabor Brackel",
        held_on=date.today(),
        place="Bürgerhaus",
        format="lab_table",
        actor=Actor("fa", Role.FACILITATOR),
    )
    app.start()
    yield app, measure, session
    app.stop()


def _response(url: str) -> tuple[int, list[tuple[str, str]], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as answer:
            return answer.status, list(answer.headers.items()), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, list(error.headers.items()), error.read()


def test_every_kind_of_response_carries_every_header_once(server: Served, new_page: Any) -> None:
    app = server[0]
    # The map's component frame is served once a page has drawn a map.
    component = urlsplit(open_quarter(new_page(), app.url, "Brackel").url).path
    _status, _headers, page = _response(app.url + "/")
    script = page.split(b'<script type="module" crossorigin src="./')[1].split(b'"')[0].decode()
    tile = f"/tiles/{BRACKEL_TILE.z}/{BRACKEL_TILE.x}/{BRACKEL_TILE.y}.png"
    kinds = {
        "/": (200, "text/html"),
        "/karte": (307, ""),
        "/moderation": (200, "text/html"),
        "/_stcore/health": (200, "text/plain"),
        "/" + script: (200, "javascript"),
        "/app/static/page.js": (200, "javascript"),
        tile: (200, "image/png"),
        component: (200, "text/html"),
        "/healthz": (200, ""),
        "/metrics": (200, "text/plain"),
        "/foto/999999.jpg": (404, ""),
    }
    wrong: list[str] = []
    for path, (status, kind) in kinds.items():
        got, headers, _body = _response(app.url + path)
        names = [name.lower() for name, _value in headers]
        values = {name.lower(): value for name, value in headers}
        if got != status or kind not in values.get("content-type", ""):
            wrong.append(f"{path}: {got} {values.get('content-type')}")
        for name, value in headers_for(path).items():
            if names.count(name) != 1 or values[name] != value:
                wrong.append(f"{path}: {name} sent {names.count(name)} times: {values.get(name)}")
    assert wrong == []
    # The one header the tiles set themselves is not sent twice (checked above), and the
    # map's own page may use the camera, the moderation page not.
    assert "camera=(self)" in headers_for("/")["permissions-policy"]
    assert "camera=()" in headers_for("/moderation")["permissions-policy"]


@pytest.fixture
def other_origin(server: Served) -> Iterator[str]:
    """A site of another origin (another port) whose page frames the moderation page."""
    app = server[0]
    html = f'<!doctype html><title>fremd</title><iframe src="{app.url}/moderation"></iframe>'

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Page)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{site.server_address[1]}/"
    site.shutdown()
    site.server_close()


def _policy_messages(page: Any) -> list[str]:
    """What the browser says about the policies in the page and all its frames, from now:
    in the console, and as uncaught errors (a refused `eval` comes only as one)."""
    said: list[str] = []

    def heard(text: str) -> None:
        if any(word in text for word in POLICY_WORDS):
            said.append(text)

    page.on("console", lambda message: heard(message.text))
    page.on("pageerror", lambda error: heard(str(error)))
    return said


def test_another_origin_cannot_frame_the_moderation_page_but_the_app_frames_itself(
    server: Served, other_origin: str, new_page: Any
) -> None:
    page = new_page()
    said = _policy_messages(page)
    page.goto(other_origin)
    refusal = f"Framing '{server[0].url}/' violates the following Content Security Policy"
    for _ in range(100):  # Chromium says so once the app's answer has come
        if any(text.startswith(refusal) for text in said):
            break
        page.wait_for_timeout(100)
    assert [text for text in said if "frame-ancestors 'self'" in text and "blocked" in text]
    (frame,) = page.main_frame.child_frames
    # Chromium shows its own error page in the frame, not the app.
    assert frame.url.startswith("chrome-error://"), frame.url
    assert frame.locator("[data-testid='stApp'], [data-testid='stSidebar']").count() == 0

    # The app's own frames (the map is one) load inside the app's page.
    own = new_page()
    frame = open_quarter(own, server[0].url, "Brackel")
    assert frame.url.startswith(f"{server[0].url}/component/")


def _walk_menu(page: Any, skip: frozenset[str] = frozenset()) -> list[str]:
    """Open each entry the menu shows in turn (as a person clicks through), but those in
    `skip`; the addresses opened."""
    settle(page)
    links = page.locator(MENU)
    shown = [n for n in range(links.count()) if links.nth(n).is_visible()]
    opened = []
    for number in shown:
        if urlsplit(links.nth(number).get_attribute("href") or "").path.strip("/") in skip:
            continue
        links.nth(number).evaluate("link => link.click()")
        settle(page, quiet_ms=500)
        opened.append(page.url)
    return opened


RESIDENTS = frozenset({"", "karte", "mein-hinweis", "plan", "datenschutz"})
RESIDENTS |= {"leichte-sprache", "barrierefreiheit"}


def test_no_page_and_no_step_on_the_map_breaks_the_policy(
    server: Served, new_page: Any, tmp_path: Path
) -> None:
    app, measure, session = server
    page = new_page()
    page.context.add_init_script(REPORT_VIOLATIONS_JS)
    said = _policy_messages(page)
    opened: list[str] = []

    # A participant of the lab: the map, a tap, the note form with a photo, the saved
    # note, a pin's popup.
    page.goto(f"{app.url}/?code={session.join_code}")
    page.get_by_text("Sie nehmen teil an:").wait_for(timeout=TIMEOUT_MS)
    frame = map_frame(page)
    tap(frame, 7.5512, 51.5187)
    page.get_by_text("Ihr Hinweis zum markierten Ort").wait_for()
    photo = tmp_path / "weg.jpg"
    Image.new("RGB", (64, 48), "grey").save(photo)
    page.locator('input[type="file"]').set_input_files(photo)
    page.get_by_text("weg.jpg").wait_for()
    fill_and_save(page, category="zu dunkel", time_band="nachts", text="Dunkler Weg")
    page.get_by_text("Danke! Ihr Hinweis ist auf der Karte.").wait_for()
    frame = map_frame(page)
    # Opened on the map, so that a pin inside a numbered group shows its popup too.
    frame.evaluate(
        f"() => {{ const pin = ({PIN_JS})()[0];"
        " map_div.openPopup(pin.getPopup().setLatLng(pin.getLatLng())); }"
    )
    frame.locator(".leaflet-popup-content").wait_for()
    opened.append(page.url)
    opened += _walk_menu(page)
    for address in (f"/massnahme?nr={measure}", "/folgen"):
        page.goto(app.url + address)
        settle(page, quiet_ms=500)
        opened.append(page.url)

    # Staff: every staff page (the residents' pages were walked above) and a lab's
    # presentation view.
    log_in(page, app.url, ADMIN)
    opened += _walk_menu(page, skip=RESIDENTS)
    page.goto(f"{app.url}/praesentation?sitzung={session.id}")
    page.locator(".sq-count").wait_for(timeout=TIMEOUT_MS)
    opened.append(page.url)

    assert len(opened) >= 19, opened
    assert said == [], "\n".join(sorted(set(said)))
