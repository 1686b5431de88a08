"""The accessibility statement and the page in Leichte Sprache."""

from __future__ import annotations

import re

import pytest

from tests.pages.apptest_helpers import new_app, texts
from ui import resources

STATEMENT = "pages/mitmachen/barrierefreiheit.py"
EASY = "pages/mitmachen/leichte_sprache.py"


def _shown(page: str) -> tuple[str, str]:
    resources.settings.clear()  # read once per process in the app
    at = new_app()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return " ".join(texts(at.title)), "\n".join(texts(at.markdown) + texts(at.text))


def test_the_statement_has_what_the_law_asks_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQ_FEEDBACK_CONTACT", "barrierefreiheit@example.org")
    title, shown = _shown(STATEMENT)
    assert title == "Erklärung zur Barrierefreiheit"
    assert "**teilweise barrierefrei**" in shown  # the status
    assert "Die Karte selbst" in shown and "Ohne Karte" in shown  # gaps and alternatives
    assert "barrierefreiheit@example.org" in shown  # the feedback contact
    assert "Ombudsstelle für barrierefreie Informationstechnik" in shown  # enforcement, NRW
    assert "2. Dezember 2026" in shown


def test_a_contact_is_shown_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQ_FEEDBACK_CONTACT", "[Klick](https://evil.example)")
    resources.settings.clear()
    at = new_app()
    at.switch_page(STATEMENT).run()
    assert "[Klick](https://evil.example)" in texts(at.text)
    assert not any("evil.example" in md for md in texts(at.markdown))


def test_without_a_contact_the_lab_team_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SQ_FEEDBACK_CONTACT", raising=False)
    _, shown = _shown(STATEMENT)
    assert "dem Team Ihres Quartierslabors" in shown


def test_the_easy_read_page_keeps_to_short_sentences() -> None:
    title, shown = _shown(EASY)
    assert title == "Leichte Sprache"
    body = re.sub(r"[*\-]|\d\.", " ", shown)
    sentences = [s for s in re.split(r"[.?!:\n]", body) if s.strip()]
    assert len(sentences) > 30
    # Leichte Sprache: one statement per sentence, short sentences.
    assert max(len(s.split()) for s in sentences) <= 10
    assert "Quartiers·labor" in shown  # long words split by a middle dot
    assert "Ich auch" in shown and "Ohne Karte" in shown  # the app's own words
