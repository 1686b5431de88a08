"""The privacy notice says what the app really does."""

from __future__ import annotations

import pytest

from tests.pages.apptest_helpers import new_app, texts
from ui import resources

PAGE = "pages/mitmachen/datenschutz.py"


def _notice(monkeypatch: pytest.MonkeyPatch, basemap: str) -> str:
    monkeypatch.setenv("SQ_BASEMAP", basemap)
    resources.settings.clear()  # read once per process in the app
    at = new_app()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return " ".join(texts(at.markdown))


def test_the_notice_is_true_about_the_tab_number(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _notice(monkeypatch, "osm")
    # It is stored with notes, supports and reports and links them: not "gone with the tab".
    assert "weg, wenn Sie den Tab schließen" not in shown
    assert "mit jedem Hinweis, jedem „Ich auch“ und jeder Meldung gespeichert" in shown
    assert "verbindet aber die Hinweise, Unterstützungen und Meldungen" in shown
    assert "auch diese Verbindung gelöscht" in shown


def test_the_notice_names_the_tile_servers_only_when_the_browser_uses_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "OpenStreetMap" in _notice(monkeypatch, "osm")
    assert "OpenStreetMap" not in _notice(monkeypatch, "none")
