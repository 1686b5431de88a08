"""A staff member stays logged in across a reload and in a new tab, and a log-out ends
the login in every tab of the browser."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.app_server import AppServer
from rules.roles import Role
from services.staff_cookie import NAME
from tests.browser.conftest import staff_account
from tests.browser.mapdriver import TIMEOUT_MS, log_in, settle

pytestmark = pytest.mark.browser


def logged_in_as(page: Any, name: str) -> Any:
    return page.get_by_text(f"Angemeldet als {name}", exact=False).first


def login_cookie(page: Any) -> dict[str, Any]:
    """The login cookie, once the page has handed the login over (within seconds)."""
    for _attempt in range(100):
        found = [c for c in page.context.cookies() if c["name"] == NAME]
        if found:
            return dict(found[0])
        page.wait_for_timeout(200)
    raise AssertionError("no login cookie after 20 s")


def test_a_reload_and_a_new_tab_keep_the_staff_login(app_server: AppServer, new_page: Any) -> None:
    staff_account(app_server, "mona", Role.MODERATOR)
    page = new_page(820, 1180)
    log_in(page, app_server.url, "mona")
    # The browser gets the login's cookie; the page's scripts cannot read it.
    cookie = login_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert NAME not in page.evaluate("document.cookie")

    page.goto(f"{app_server.url}/moderation")
    settle(page)
    logged_in_as(page, "mona").wait_for(timeout=TIMEOUT_MS)
    page.reload()
    logged_in_as(page, "mona").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text("Bitte melden Sie sich zuerst an").count() == 0

    second = page.context.new_page()
    second.goto(f"{app_server.url}/moderation")
    logged_in_as(second, "mona").wait_for(timeout=TIMEOUT_MS)

    # Logging out ends the login for the browser: a reload finds no login any more.
    second.get_by_role("button", name="Abmelden").click()
    settle(second)
    page.reload()
    page.get_by_text("Bitte melden Sie sich zuerst an", exact=False).wait_for(timeout=TIMEOUT_MS)
    assert logged_in_as(page, "mona").count() == 0


def test_on_a_phone_the_menu_closes_after_a_choice_and_the_login_is_reachable(
    app_server: AppServer, new_page: Any
) -> None:
    """On a phone the open menu lies over the page; it used to stay open over the page
    just chosen, hiding the login form."""
    staff_account(app_server, "mona", Role.MODERATOR)
    page = new_page(390, 844)
    log_in(page, app_server.url, "mona")
    logged_in_as(page, "mona").wait_for(timeout=TIMEOUT_MS)
    # After the login the menu opens with the staff pages; a choice closes it again.
    page.get_by_role("link", name="Moderation").click()
    page.locator('[data-testid="stExpandSidebarButton"]').wait_for(timeout=TIMEOUT_MS)
    heading = page.get_by_role("heading", level=1).first
    box = heading.bounding_box()
    assert box is not None and box["x"] < 50, box  # the page, not the menu, is in front
