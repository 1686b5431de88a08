"""Mails to followers of a note, through a real SMTP server on this machine (aiosmtpd):
the double opt-in, one mail per status change, a working unsubscribe link."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest
from shapely.geometry import Point

from config.settings import Settings, SmtpSettings, smtp_settings
from rules.errors import ValidationError
from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from services.follow_mail import MailSetup, ask_to_follow, mail_setup, tell_followers
from services.mailer import MailError
from store import SqliteStore, Store
from tests.factories import hire_staff, make_draft
from tests.mail_server import Inbox, body, follow_link, free_port, local_smtp, token_of

PLANNER = Actor(name="pia", role=Role.PLANNER)
STEERING = Actor(name="stella", role=Role.STEERING)
ME = "a" * 32
BASE = "https://sq.example.org"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with local_smtp() as box:
        yield box


@pytest.fixture
def setup(inbox: Inbox) -> MailSetup:
    smtp = SmtpSettings(
        host="127.0.0.1", port=inbox.port, sender="karte@sq.example.org", starttls=False
    )
    return MailSetup(smtp=smtp, base_url=BASE)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = SqliteStore(tmp_path / "follow.sqlite")
    hire_staff(opened)
    yield opened
    opened.close()


def _link(mail: EmailMessage, action: str) -> str:
    return follow_link(mail, BASE, action)


def _measure(store: Store, pin_id: int) -> int:
    draft = MeasureDraft(
        title="Laterne am Durchgang",
        measure_type="lighting",
        quarter_id="brackel",
        place=Point(7.5512, 51.5187),
        working_group="infrastructure",
        responsible="Tiefbauamt",
        pin_ids=(pin_id,),
    )
    return store.create_measure(draft, actor=PLANNER).id


def test_a_confirmed_follower_gets_one_mail_per_status_change_and_can_unsubscribe(
    store: Store, inbox: Inbox, setup: MailSetup
) -> None:
    box = inbox
    pin = store.add_pin(make_draft("t1", participant=ME))
    store.add_pin(make_draft("t2", participant=ME))
    follow = ask_to_follow(store, pin.id, "ana@example.org", ME, setup=setup)
    (opt_in,) = box.mails
    assert opt_in["To"] == "ana@example.org"
    assert opt_in["Subject"] == f"Bitte bestätigen: Neuigkeiten zu Ihrem Hinweis Nr. {pin.id}"
    confirm = _link(opt_in, "bestaetigen")
    assert token_of(confirm) == follow.token
    assert f"{BASE}/mein-hinweis?hinweis={pin.id}" in body(opt_in)

    mid = _measure(store, pin.id)
    store.confirm_follow(token_of(confirm))  # what /folgen does with the link
    store.move_measure(mid, "discussed", actor=PLANNER)
    assert tell_followers(store, mid, setup=setup) == 1
    assert tell_followers(store, mid, setup=setup) == 0  # once per status change
    store.move_measure(mid, "decided", actor=STEERING)
    assert tell_followers(store, mid, setup=setup) == 1

    discussed, decided = box.mails[1:]
    assert discussed["Subject"] == f"Ihr Hinweis Nr. {pin.id}: Maßnahme im Lenkungskreis beraten"
    text = body(discussed)
    assert f"Hinweis Nr. {pin.id}" in text and "Maßnahme: Laterne am Durchgang" in text
    assert "Der Lenkungskreis hat die Maßnahme beraten." in text
    assert f"{BASE}/massnahme?nr={mid}" in text
    assert "beschlossen" in decided["Subject"]
    unsubscribe = _link(decided, "abmelden")
    assert decided["List-Unsubscribe"] == f"<{unsubscribe}>"

    assert store.unfollow(token_of(unsubscribe)) == pin.id  # what /folgen does with it
    assert store.follows_of(pin.id) == []
    store.move_measure(mid, "rejected", actor=STEERING, reason="zu teuer")
    assert tell_followers(store, mid, setup=setup) == 0
    assert len(box.mails) == 3


def test_an_unconfirmed_address_gets_nothing_but_the_opt_in(
    store: Store, inbox: Inbox, setup: MailSetup
) -> None:
    box = inbox
    pin = store.add_pin(make_draft("t1", participant=ME))
    ask_to_follow(store, pin.id, "ben@example.org", ME, setup=setup)
    mid = _measure(store, pin.id)
    store.move_measure(mid, "discussed", actor=PLANNER)
    assert tell_followers(store, mid, setup=setup) == 0
    assert len(box.mails) == 1


def test_the_last_measure_ends_the_following_after_its_mail(
    store: Store, inbox: Inbox, setup: MailSetup
) -> None:
    box = inbox
    pin = store.add_pin(make_draft("t1", participant=ME))
    follow = ask_to_follow(store, pin.id, "ana@example.org", ME, setup=setup)
    mid = _measure(store, pin.id)
    store.confirm_follow(follow.token)
    store.move_measure(mid, "rejected", actor=STEERING, reason="Straße wird umgebaut")
    assert tell_followers(store, mid, setup=setup) == 1
    text = body(box.mails[-1])
    assert "Begründung: Straße wird umgebaut" in text
    assert "letzte E-Mail" in text and "aktion=abmelden" not in text
    assert store.follows_of(pin.id) == []


def test_no_mail_server_keeps_no_address_and_says_so(store: Store, setup: MailSetup) -> None:
    pin = store.add_pin(make_draft("t1", participant=ME))
    away = MailSetup(
        smtp=SmtpSettings(host="127.0.0.1", port=free_port(), sender="k@x.org", starttls=False),
        base_url=BASE,
    )
    with pytest.raises(MailError):
        ask_to_follow(store, pin.id, "ana@example.org", ME, setup=away)
    assert store.follows_of(pin.id) == []
    with pytest.raises(ValidationError):
        ask_to_follow(store, pin.id, "keine adresse", ME, setup=setup)


def test_a_server_away_loses_no_status_mail(store: Store, inbox: Inbox, setup: MailSetup) -> None:
    box = inbox
    pin = store.add_pin(make_draft("t1", participant=ME))
    follow = ask_to_follow(store, pin.id, "ana@example.org", ME, setup=setup)
    mid = _measure(store, pin.id)
    store.confirm_follow(follow.token)
    store.move_measure(mid, "discussed", actor=PLANNER)
    away = MailSetup(
        smtp=SmtpSettings(host="127.0.0.1", port=free_port(), sender="k@x.org", starttls=False),
        base_url=BASE,
    )
    assert tell_followers(store, mid, setup=away) == 0  # no exception on the screen
    assert tell_followers(store, mid, setup=setup) == 1
    assert len(box.mails) == 2


def test_mails_need_a_server_and_the_public_address() -> None:
    smtp = SmtpSettings(host="mail.example.org", port=587, sender="k@example.org")
    base = Settings(
        db_url="x", demo=False, basemap=None, tile_cache_dir=Path("."), refresh_s=5, public_url=None
    )
    assert mail_setup(base) is None
    assert mail_setup(replace(base, smtp=smtp)) is None
    ready = mail_setup(replace(base, smtp=smtp, public_url=BASE + "/"))
    assert ready == MailSetup(smtp=smtp, base_url=BASE)


def test_the_mail_server_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQ_SMTP_HOST", "mail.example.org")
    assert smtp_settings() is None  # no sender: no mails
    monkeypatch.setenv("SQ_SMTP_FROM", "karte@example.org")
    monkeypatch.setenv("SQ_SMTP_USER", "karte")
    assert smtp_settings() == SmtpSettings(
        host="mail.example.org", port=587, sender="karte@example.org", user="karte"
    )
    monkeypatch.setenv("SQ_SMTP_PORT", "25")
    monkeypatch.setenv("SQ_SMTP_STARTTLS", "0")
    found = smtp_settings()
    assert found is not None and (found.port, found.starttls) == (25, False)
    monkeypatch.setenv("SQ_SMTP_PORT", "smtp")
    with pytest.raises(ValueError, match="SQ_SMTP_PORT"):
        smtp_settings()
