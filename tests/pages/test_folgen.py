"""AppTest of /folgen, the page the mails' links open: confirm an address, delete it
with one click, and plain words for a link that no longer works."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from store import SqliteStore
from tests.factories import make_draft
from tests.pages.apptest_helpers import new_app, texts

ME = "a" * 32


def _open(token: str | None, action: str | None) -> AppTest:
    at = new_app()
    if token is not None:
        at.query_params["token"] = token
    if action is not None:
        at.query_params["aktion"] = action
    at.switch_page("pages/mitmachen/folgen.py").run()
    assert not at.exception, at.exception
    return at


def test_a_confirmation_link_confirms_once_and_says_so(db_path: Path) -> None:
    store = SqliteStore(db_path)
    pin = store.add_pin(make_draft("t1", participant=ME))
    follow = store.add_follow(pin.id, "ana@example.org", ME)
    at = _open(follow.token, "bestaetigen")
    assert texts(at.title) == ["Neuigkeiten zu Ihrem Hinweis per E-Mail"]
    (said,) = texts(at.success)
    assert said.startswith("Danke! Ihre E-Mail-Adresse ist bestätigt.")
    assert f"Hinweis Nr. {pin.id}" in said
    (confirmed,) = store.follows_of(pin.id)
    assert confirmed.confirmed_at is not None
    assert any(f"/mein-hinweis?hinweis={pin.id}" in m for m in texts(at.markdown))
    at.run()  # a rerun shows the same answer
    assert texts(at.success) == [said]


def test_the_unsubscribe_link_deletes_the_address(db_path: Path) -> None:
    store = SqliteStore(db_path)
    pin = store.add_pin(make_draft("t1", participant=ME))
    follow = store.add_follow(pin.id, "ana@example.org", ME)
    store.confirm_follow(follow.token)
    at = _open(follow.token, "abmelden")
    assert texts(at.success) == [
        "Ihre E-Mail-Adresse ist gelöscht. Sie bekommen keine E-Mails mehr zu"
        f" Hinweis Nr. {pin.id}."
    ]
    assert store.follows_of(pin.id) == []
    at.run()  # a rerun does not turn it into "not stored"
    assert len(texts(at.success)) == 1
    again = _open(follow.token, "abmelden")  # the link once more, later
    assert texts(again.info) == [
        "Diese E-Mail-Adresse ist (nicht mehr) gespeichert. Sie bekommen keine E-Mails von uns."
    ]


def test_a_link_gone_or_cut_short_is_explained(db_path: Path) -> None:
    gone = _open("x" * 32, "bestaetigen")
    assert texts(gone.warning)[0].startswith("Dieser Link gilt nicht mehr.")
    for token, action in [(None, "abmelden"), ("x" * 32, None), ("<script>", "abmelden")]:
        cut = _open(token, action)
        assert texts(cut.warning) == [
            "Dieser Link ist unvollständig. Bitte öffnen Sie ihn noch einmal vollständig"
            " aus Ihrer E-Mail."
        ]
