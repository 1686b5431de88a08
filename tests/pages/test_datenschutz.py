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
    # The cookie that carries it across tabs and reloads is named, with its legal ground.
    assert "in einem kleinen Cookie Ihres Browsers" in shown
    assert "auch in einem anderen Tab oder nach einem Neuladen" in shown
    assert "§ 25 Abs. 2 Nr. 2 TDDDG" in shown
    assert "die Nummern Ihrer eigenen Hinweise im Labor" in shown  # shown after a reload
    # Staff's login cookie, kept across reloads, is named too.
    assert "Anmelde-Cookie" in shown and "nach 60 Minuten ohne Nutzung" in shown


def test_the_notice_names_the_tile_service_the_server_uses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    osm = _notice(monkeypatch, "osm")
    assert "OpenStreetMap Foundation (tile.openstreetmap.org)" in osm
    assert "Ihr Browser lädt sie nur von dieser App" in osm
    basemap_de = _notice(monkeypatch, "basemap.de")
    assert "basemap.de" in basemap_de and "OpenStreetMap" not in basemap_de
    own = _notice(monkeypatch, "https://karte.dortmund.example/{z}/{x}/{y}.png")
    assert "karte.dortmund.example" in own
    assert "Hintergrundkarte" not in _notice(monkeypatch, "none")
