"""The loop closed in public, in Chromium: a planner makes a measure from three notes,
the steering circle puts it on the agenda, an anonymous visitor finds it on the public
plan's map, supports it and comments; once a moderator released the comment it shows;
the steering circle sees both when it decides; the resident who followed one of the
notes gets one mail per status change (a local SMTP server) and leaves by its link."""

from __future__ import annotations

from typing import Any

import pytest

from datapack.loading import load_districts
from rules.pins import PinDraft
from rules.roles import Role
from store import open_store
from tests.browser.conftest import ARTIFACTS, AppServer, Blocked, staff_account
from tests.browser.mapdriver import (
    TIMEOUT_MS,
    fill_in,
    map_frame,
    settle,
    staff_page,
    tap_measure,
)
from tests.mail_server import Inbox, body, follow_link

pytestmark = pytest.mark.browser

COMMENT = "Bitte auch den Weg zur Haltestelle <b>beleuchten</b>."


def test_a_measure_from_three_notes_goes_public_and_residents_weigh_in(
    mail_app: tuple[AppServer, Inbox], new_page: Any, blocked: Blocked
) -> None:
    server, inbox = mail_app
    ARTIFACTS.mkdir(exist_ok=True)
    store = open_store(str(server.db_path))
    corner = load_districts().geometry("320").representative_point()
    # Three people found the same path in Brackel too dark; the first follows her note.
    store.add_pins(
        [
            PinDraft(
                "320",
                corner.x + i * 1e-4,
                corner.y,
                "dark",
                "night",
                2,
                "",
                f"n{i}",
                participant=f"tab-{i}",
            )
            for i in range(3)
        ]
    )
    followed = min(p.id for p in store.pins_in_quarter("320"))
    follow = store.add_follow(followed, "ana@example.org", "tab-0")
    store.confirm_follow(follow.token)
    for name, role in (("pia", Role.PLANNER), ("stella", Role.STEERING), ("mona", Role.MODERATOR)):
        staff_account(server, name, role)

    # The planner makes a measure of the three and opens Brackel's comment phase.
    planner = new_page(1280, 1100)
    staff_page(planner, server.url, "pia", "Maßnahmenplan")
    group = planner.locator("[class*='st-key-candidate_box_']").filter(
        has_text="„zu dunkel“, 3 Hinweise"
    )
    group.get_by_text("Aus diesem Ort eine Maßnahme machen").click()
    fill_in(group.get_by_label("Titel der Maßnahme"), "Laterne am Fußweg")
    group.get_by_role("button", name="Maßnahme anlegen").click()
    planner.get_by_text("Maßnahme Nr. 1 angelegt").wait_for(timeout=TIMEOUT_MS)
    (measure,) = store.measures()
    assert sorted(measure.pin_ids) == sorted(p.id for p in store.pins_in_quarter("320"))
    planner.get_by_text("Kommentarphase je Quartier").click()
    phase = planner.locator("[class*='st-key-comment_phase_320']").get_by_role("button")
    phase.wait_for(timeout=TIMEOUT_MS)
    settle(planner)
    phase.click()
    planner.get_by_text("Brackel: Kommentarphase offen", exact=False).wait_for(timeout=TIMEOUT_MS)

    # The steering circle puts it on the agenda: the follower's first mail.
    steering = new_page(1280, 1100)
    staff_page(steering, server.url, "stella", "Maßnahmenplan")
    steering.get_by_role("button", name="Auf die Tagesordnung setzen").click()
    steering.get_by_role("button", name="Beschließen").wait_for(timeout=TIMEOUT_MS)
    assert len(inbox.mails) == 1 and "Laterne am Fußweg" in body(inbox.mails[0])

    # An anonymous visitor finds it on the public plan's map, supports it and comments.
    visitor = new_page(390, 844)
    visitor.goto(server.url)
    settle(visitor)
    visitor.goto(f"{server.url}/plan?quartier=320")
    visitor.get_by_role("heading", name="Was die Stadt tut").wait_for(timeout=TIMEOUT_MS)
    popup = tap_measure(map_frame(visitor), measure.id)
    popup.get_by_role("link", name=f"Zur Maßnahme {measure.id}").click()
    visitor.wait_for_url(f"**/massnahme?nr={measure.id}", timeout=TIMEOUT_MS)
    visitor.get_by_role("heading", name="Laterne am Fußweg").wait_for(timeout=TIMEOUT_MS)
    visitor.get_by_role("button", name="Finde ich gut").click()
    visitor.get_by_text("1 Person findet das gut").wait_for(timeout=TIMEOUT_MS)
    fill_in(visitor.get_by_label("Ihr Kommentar", exact=False), COMMENT)
    visitor.get_by_role("button", name="Kommentar senden").click()
    visitor.get_by_text("Ihr Kommentar ist angekommen", exact=False).wait_for(timeout=TIMEOUT_MS)
    assert "beleuchten</b>" not in visitor.locator("body").inner_text()  # not shown yet

    # A moderator releases it; the visitor sees it, as written (no markup runs).
    moderator = new_page(1280, 1100)
    staff_page(moderator, server.url, "mona", "Moderation")
    moderator.locator("[class*='st-key-comment_release_']").get_by_role("button").click()
    moderator.get_by_text("Kommentare zu Maßnahmen, die auf Freigabe warten (0)").wait_for(
        timeout=TIMEOUT_MS
    )
    visitor.reload()
    visitor.get_by_text(COMMENT).wait_for(timeout=TIMEOUT_MS)
    assert visitor.locator("b", has_text="beleuchten").count() == 0
    visitor.screenshot(path=str(ARTIFACTS / "massnahme-meinung.png"), full_page=True)

    # The steering circle sees support and comment beside the measure, and decides.
    steering.reload()
    said = steering.get_by_text("1 Person findet das gut · 1 Kommentar")
    said.wait_for(timeout=TIMEOUT_MS)
    said.click()
    steering.get_by_text(COMMENT).wait_for(timeout=TIMEOUT_MS)
    steering.get_by_role("button", name="Beschließen").click()
    steering.get_by_text("Stand: beschlossen", exact=False).wait_for(timeout=TIMEOUT_MS)

    # One mail per status change, each with a link that ends the mails.
    assert len(inbox.mails) == 2 and "beschlossen" in body(inbox.mails[1])
    leave = new_page(390, 844)
    leave.goto(follow_link(inbox.mails[1], server.url, "abmelden"))
    leave.get_by_text("Ihre E-Mail-Adresse ist gelöscht").wait_for(timeout=TIMEOUT_MS)
    assert store.follows_of(followed) == []
    assert blocked.urls == []
