"""Real-browser fixtures: the app as a subprocess, Debian's Chromium through Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from devtools.app_server import AppServer
from rules.roles import Actor, Role
from store import open_store
from tests.browser.mapdriver import STAFF_PASSWORD
from tests.conftest import PROJECT_DIR
from tests.mail_server import Inbox, local_smtp

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_PREFIXES = (
    "http://127.0.0.1",
    "https://127.0.0.1",
    "http://localhost",
    "ws://127.0.0.1",
    "wss://127.0.0.1",
    "data:",
    "blob:",
)
ARTIFACTS = PROJECT_DIR / "test-artifacts"

pytestmark = pytest.mark.browser


def staff_account(server: AppServer, name: str, role: Role) -> None:
    """A staff account in the server's store (the first call also makes the admin)."""
    store = open_store(str(server.db_path))
    if not store.has_users():
        store.create_user("ada", STAFF_PASSWORD, Role.ADMIN, actor=None)
    store.create_user(name, STAFF_PASSWORD, role, actor=Actor("ada", Role.ADMIN))


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[AppServer]:
    server = AppServer(db_path=tmp_path / "pins.sqlite").start()
    yield server
    server.stop()


@pytest.fixture
def app_server_factory(tmp_path: Path) -> Iterator[AppServer]:
    """An app server not started yet: seed its database first, then call start()."""
    server = AppServer(db_path=tmp_path / "pins.sqlite")
    yield server
    server.stop()


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[AppServer]:
    """The app on a fresh demo database (filled with seeded demo data on start)."""
    server = AppServer(db_path=tmp_path / "demo.sqlite", extra_env={"SQ_DEMO": "1"}).start()
    yield server
    server.stop()


ACTION_TIMEOUT_MS = 60_000


@dataclass
class Blocked:
    """Requests the offline guard aborted: everything not to loopback."""

    urls: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing; scripts/test.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def blocked() -> Blocked:
    return Blocked()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """When a browser test fails, show what each of its pages showed a person: the text in
    the report (CI keeps only the output) and a screenshot in test-artifacts/."""
    outcome = yield
    report = outcome.get_result()
    pages = getattr(item, "sq_pages", [])
    if call.when != "call" or not report.failed or not pages:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    for number, page in enumerate(pages):
        try:
            page.screenshot(path=str(ARTIFACTS / f"{item.name}-{number}.png"), full_page=True)
            text = page.locator("body").inner_text(timeout=5_000)
        except Exception as exc:  # a crashed page still leaves the other pages' text
            text = f"(page unreadable: {exc})"
        report.sections.append((f"page {number} ({page.url}) showed", text[-4_000:]))


@pytest.fixture
def new_page(browser: object, blocked: Blocked, request: pytest.FixtureRequest) -> Iterator[object]:
    """A factory of pages in fresh contexts, every non-loopback request aborted."""
    contexts = []
    request.node.sq_pages = []  # read by the failure report above

    def make(width: int = 1280, height: int = 900, **options: Any) -> object:
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": width, "height": height},
            locale="de-DE",
            accept_downloads=True,
            **options,
        )
        contexts.append(context)

        def guard(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            if url.startswith(LOOPBACK_PREFIXES):
                route.continue_()  # type: ignore[attr-defined]
            else:
                blocked.urls.append(url)
                route.abort()  # type: ignore[attr-defined]

        context.route("**/*", guard)
        page = context.new_page()
        # Clicks and fills wait as long as explicit waits do: a loaded CI machine is slow.
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        request.node.sq_pages.append(page)
        return page

    yield make
    for context in contexts:
        context.close()
    # With default settings the app's pages ask no other host for anything.
    if blocked.urls:
        pytest.fail(f"requests to other hosts: {blocked.urls[:5]}")


@pytest.fixture
def mail_app(tmp_path: Path) -> Iterator[tuple[AppServer, Inbox]]:
    """An app server that mails through a local SMTP server (its inbox beside it), with
    the mails' links leading back to this server."""
    with local_smtp() as inbox:
        server = AppServer(db_path=tmp_path / "mail.sqlite")
        server.extra_env = {
            "SQ_SMTP_HOST": "127.0.0.1",
            "SQ_SMTP_PORT": str(inbox.port),
            "SQ_SMTP_FROM": "karte@sq.example.org",
            "SQ_SMTP_STARTTLS": "0",
            "SQ_PUBLIC_URL": server.url,
        }
        server.start()
        try:
            yield server, inbox
        finally:
            server.stop()
