"""AppTest of what the shared map offers after a note is saved: withdraw it within
10 minutes (with a confirmation), and follow it by e-mail (local SMTP server)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from datapack.loading import load_districts
from store import SqliteStore
from store.timestamps import to_stored
from tests.mail_server import Inbox, body, follow_link, local_smtp, token_of
from tests.pages.apptest_helpers import (
    as_shown,
    click_map,
    fill_form,
    join_lab,
    new_app,
    open_lab,
    submit,
    texts,
)
from tests.store.sql import change

BRACKEL = "320"
BASE = "https://sq.example.org"


@pytest.fixture(scope="module")
def brackel_point() -> tuple[float, float]:
    point = load_districts().geometry(BRACKEL).representative_point()
    return point.x, point.y


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with local_smtp() as box:
        monkeypatch.setenv("SQ_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SQ_SMTP_PORT", str(box.port))
        monkeypatch.setenv("SQ_SMTP_FROM", "karte@sq.example.org")
        monkeypatch.setenv("SQ_SMTP_STARTTLS", "0")
        monkeypatch.setenv("SQ_PUBLIC_URL", BASE)
        yield box


def _saved(store: SqliteStore, point: tuple[float, float], code: str | None = None) -> AppTest:
    at = join_lab(new_app(), code or open_lab(store).join_code)
    click_map(at, *point)
    fill_form(at, category="dark", time_band="night")
    submit(at)
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, key: str) -> None:
    at.button(key=key).click().run()
    assert not at.exception, at.exception


def test_a_note_is_withdrawn_after_a_confirmation(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    at = _saved(pin_store, brackel_point)
    (pin,) = pin_store.pins_in_quarter(BRACKEL)
    offer = " ".join(texts(at.markdown))
    assert f"Sie können Hinweis Nr. {pin.id} bis" in offer
    assert at.button(key="withdraw_pin").label == "Hinweis zurückziehen"
    # No e-mail offer without a mail server.
    assert not [e for e in at.expander if "E-Mail" in e.label]

    _button(at, "withdraw_pin")
    assert any("wirklich zurückziehen" in w for w in texts(at.warning))
    _button(at, "withdraw_no")  # changed one's mind: nothing happens
    assert pin_store.pin(pin.id) is not None
    _button(at, "withdraw_pin")
    _button(at, "withdraw_yes")
    assert pin_store.pin(pin.id) is None
    assert f"Hinweis Nr. {pin.id} ist zurückgezogen und gelöscht." in texts(at.success)
    # Gone from the page: no number to follow, nothing more to withdraw.
    assert not [b for b in at.button if b.key == "withdraw_pin"]
    assert not any(f"Nummer {pin.id}" in c for c in texts(at.caption))


def test_after_ten_minutes_the_offer_says_why_and_then_goes(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    code = open_lab(pin_store).join_code
    at = _saved(pin_store, brackel_point, code)
    (pin,) = pin_store.pins_in_quarter(BRACKEL)
    _button(at, "withdraw_pin")
    # The page stayed open: the note is now 11 minutes old.
    old = to_stored(pin.created_at - timedelta(minutes=11))
    change(pin_store, "UPDATE pins SET created_at = ? WHERE id = ?", (old, pin.id))
    _button(at, "withdraw_yes")
    assert pin_store.pin(pin.id) is not None
    (error,) = texts(at.error)
    assert error.startswith("Nach 10 Minuten kann nur noch die Moderation einen Hinweis entfernen.")

    again = new_app()  # a later visit of the same browser: no offer any more
    again.session_state["participant_id"] = at.session_state["participant_id"]
    again.session_state["my_pins"] = [pin.id]
    again.query_params["code"] = code
    again.switch_page("pages/mitmachen/karte.py").run()
    assert not again.exception, again.exception
    assert not [b for b in again.button if b.key == "withdraw_pin"]


def test_someone_else_on_the_same_lab_gets_no_offer(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    at = _saved(pin_store, brackel_point)
    at.session_state["participant_id"] = "another-browser"
    at.session_state["after_saving_note"] = None
    at.run()
    assert not [b for b in at.button if b.key == "withdraw_pin"]


def test_following_by_e_mail_sends_one_confirmation_mail(
    pin_store: SqliteStore, brackel_point: tuple[float, float], inbox: Inbox
) -> None:
    at = _saved(pin_store, brackel_point)
    (pin,) = pin_store.pins_in_quarter(BRACKEL)
    labels = [e.label for e in at.expander]
    assert "Per E-Mail erfahren, was aus dem Hinweis wird" in labels
    at.text_input(key=f"follow_email_{pin.id}").input("keine Adresse")
    _submit_follow(at)
    assert texts(at.error) == ["Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein."]
    assert inbox.mails == []

    at.text_input(key=f"follow_email_{pin.id}").input("ana@example.org")
    _submit_follow(at)
    shown = [as_shown(i) for i in texts(at.info)]
    assert any("Wir haben eine E-Mail an ana@example.org geschickt" in i for i in shown)
    (mail,) = inbox.mails
    assert mail["To"] == "ana@example.org"
    link = follow_link(mail, BASE, "bestaetigen")
    (follow,) = pin_store.follows_of(pin.id)
    assert (token_of(link), follow.confirmed_at) == (follow.token, None)
    assert f"Hinweis Nr. {pin.id}" in body(mail)


def _submit_follow(at: AppTest) -> None:
    (button,) = [b for b in at.button if b.key and b.key.startswith("FormSubmitter:follow_form_")]
    button.click().run()
    assert not at.exception, at.exception


def test_the_page_runs_without_a_saved_note(db_path: Path) -> None:
    at = new_app()
    assert not at.exception
    assert not [b for b in at.button if b.key == "withdraw_pin"]
