"""A resident in headless Chromium follows a note by e-mail (a local SMTP server),
confirms with the mail's link, takes a second note back from the map, and leaves with
the unsubscribe link of the first status mail."""

from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import Point

from config.settings import SmtpSettings
from datapack.loading import load_districts
from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from services.follow_mail import MailSetup, tell_followers
from store import open_store
from tests.browser.conftest import AppServer, Blocked
from tests.browser.mapdriver import (
    TIMEOUT_MS,
    fill_and_save,
    fill_in,
    map_frame,
    settle,
    tap,
    wait_for_pins,
)
from tests.browser.test_shared_map import join, open_brackel_lab
from tests.factories import hire_staff
from tests.mail_server import Inbox, follow_link

pytestmark = pytest.mark.browser
PLANNER = Actor("pia", Role.PLANNER)


def test_follow_confirm_withdraw_and_unsubscribe(
    mail_app: tuple[AppServer, Inbox], new_page: Any, blocked: Blocked
) -> None:
    server, inbox = mail_app
    brackel = load_districts().geometry("320").representative_point()
    page = new_page(390, 844)  # a phone
    frame = join(page, server.url, open_brackel_lab(server))

    tap(frame, brackel.x, brackel.y)
    fill_and_save(page, category="zu dunkel", time_band="nachts", text="")
    page.get_by_role("button", name="Hinweis zurückziehen").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("Per E-Mail erfahren, was aus dem Hinweis wird").click()
    fill_in(page.get_by_label("Ihre E-Mail-Adresse"), "ana@example.org")
    page.get_by_role("button", name="Bestätigungs-E-Mail senden").click()
    page.get_by_text("Wir haben eine E-Mail an ana@example.org geschickt").wait_for()
    (opt_in,) = inbox.mails

    confirm = new_page(390, 844)  # the mail opens in the phone's browser
    confirm.goto(follow_link(opt_in, server.url, "bestaetigen"))
    confirm.get_by_text("Ihre E-Mail-Adresse ist bestätigt").wait_for(timeout=TIMEOUT_MS)

    # A second note, saved by a slip of the finger, taken back from the map at once.
    frame = wait_for_pins(map_frame(page), 1)
    tap(frame, brackel.x + 0.002, brackel.y)
    fill_and_save(page, category="menschenleer", time_band="nachts", text="")
    settle(page)
    frame = wait_for_pins(map_frame(page), 2)
    page.get_by_role("button", name="Hinweis zurückziehen").click()
    page.get_by_role("button", name="Ja, zurückziehen").click()
    page.get_by_text("ist zurückgezogen und gelöscht").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    wait_for_pins(map_frame(page), 1)

    store = open_store(str(server.db_path))
    hire_staff(store, (PLANNER,))
    (kept,) = store.pins_in_quarter("320")
    measure = store.create_measure(
        MeasureDraft(
            "Laterne am Weg", "lighting", "320", Point(brackel.x, brackel.y), pin_ids=(kept.id,)
        ),
        actor=PLANNER,
    )
    store.move_measure(measure.id, "discussed", actor=PLANNER)
    # What the planner's status move calls (ui.measure_list), with the app's mail server.
    sent = tell_followers(store, measure.id, setup=_setup_of(server, inbox))
    assert sent == 1 and len(inbox.mails) == 2

    leave = new_page(390, 844)
    leave.goto(follow_link(inbox.mails[1], server.url, "abmelden"))
    leave.get_by_text("Ihre E-Mail-Adresse ist gelöscht").wait_for(timeout=TIMEOUT_MS)
    assert store.follows_of(kept.id) == []
    assert blocked.urls == []


def _setup_of(server: AppServer, inbox: Inbox) -> MailSetup:
    smtp = SmtpSettings(
        host="127.0.0.1", port=inbox.port, sender="karte@sq.example.org", starttls=False
    )
    return MailSetup(smtp=smtp, base_url=server.url)
