"""The comparison page in AppTest: defaults, the minimum count, the period, sessions."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rules.roles import Role
from store import SqliteStore
from tests.factories import add_pins_in_quarter
from tests.pages.apptest_helpers import capture_downloads, open_lab, open_page, texts

PAGE = "pages/stadt/vergleich.py"
TOO_FEW = "zu wenige Hinweise"


def _table(at):
    return at.dataframe[1].value  # after "felt and recorded"


def test_the_three_lab_quarters_are_compared_by_default(demo_db: Path) -> None:
    at = open_page(PAGE, role=Role.STEERING, name="stella")
    assert "Vergleich der Quartiere" in texts(at.title)
    assert at.multiselect(key="compare_quarters").value == ["710", "320", "530"]
    table = _table(at)
    assert list(table.columns) == ["Bövinghausen", "Brackel", "Phoenix-See"]
    assert "Hinweise je km²" in table.index
    assert "Maßnahmen: beschlossen" in table.index  # measures by status, zero so far
    assert list(table.loc["Maßnahmen: beschlossen"]) == ["0", "0", "0"]
    assert "Hinweise je 1.000 Einwohner" in table.index
    assert not table.map(lambda v: TOO_FEW in str(v)).to_numpy().any()
    # Felt and recorded side by side, each with its count, never one figure.
    side = at.dataframe[0].value
    assert list(side.index) == ["Bövinghausen", "Brackel", "Phoenix-See"]
    assert list(side.columns) == [
        "empfunden: Hinweise „nachts“",
        "erfasst: Unfälle bei Dunkelheit",
        "empfunden: Hinweise je km²",
        "erfasst: Unfälle mit Personenschaden je km²",
    ]
    assert all("von" in v for v in side.iloc[:, 0])
    pins = table.loc["Hinweise"].tolist()
    demo = SqliteStore(demo_db)
    assert pins == [str(demo.count_pins(q)) for q in ["710", "320", "530"]]
    # The summary words shares only ("In … betreffen … %"), no combined score.
    bullets = [m for m in texts(at.markdown) if m.startswith("- In ")]
    assert bullets and all("%" in b for b in bullets[0].splitlines())
    assert not any(
        "Score" in m or "Sicherheitswert:" in m.split(".")[0] for m in texts(at.markdown)
    )


def test_figures_on_too_few_notes_are_marked_and_not_summarised(db_path: Path) -> None:
    store = SqliteStore(db_path)
    add_pins_in_quarter(store, "710", 25)
    add_pins_in_quarter(store, "320", 5)
    at = open_page(PAGE, role=Role.STEERING, name="stella")
    at.multiselect(key="compare_quarters").set_value(["710", "320"]).run()
    table = _table(at)
    assert TOO_FEW in table.loc["Kategorie: zu dunkel", "Brackel"]
    assert TOO_FEW not in table.loc["Kategorie: zu dunkel", "Bövinghausen"]
    assert table.loc["Kategorie: zu dunkel", "Bövinghausen"] == "100 % (25 von 25)"
    # Only one quarter has enough notes: nothing is compared in words.
    assert any("Noch zu wenige Hinweise" in i for i in texts(at.info))


def test_one_quarter_is_not_a_comparison(db_path: Path) -> None:
    at = open_page(PAGE, role=Role.PLANNER)
    at.multiselect(key="compare_quarters").set_value(["320"]).run()
    assert "Bitte zwei oder drei Quartiere zum Vergleich wählen." in texts(at.info)
    assert not at.dataframe


def test_the_period_limits_the_notes(db_path: Path) -> None:
    store = SqliteStore(db_path)
    add_pins_in_quarter(store, "710", 30, when=datetime(2026, 3, 10, 12, tzinfo=UTC))
    add_pins_in_quarter(store, "320", 20, when=datetime(2026, 6, 10, 12, tzinfo=UTC))
    at = open_page(PAGE, role=Role.STEERING, name="stella")
    few = f"0 – {TOO_FEW}"
    assert _table(at).loc["Hinweise"].tolist() == ["30", "20", few]
    at.date_input(key="compare_period").set_value((date(2026, 6, 1), date(2026, 6, 30))).run()
    assert _table(at).loc["Hinweise"].tolist() == [few, "20", few]


def test_two_labs_in_a_quarter_are_compared_session_by_session(db_path: Path) -> None:
    store = SqliteStore(db_path)
    first = open_lab(store, "320", title="Erstes Labor", held_on=date(2026, 3, 4))
    second = open_lab(store, "320", title="Zweites Labor", held_on=date(2026, 9, 9))
    add_pins_in_quarter(store, "320", 24, session_id=first.id)
    add_pins_in_quarter(store, "320", 8, session_id=second.id)
    add_pins_in_quarter(store, "710", 21)
    at = open_page(PAGE, role=Role.STEERING, name="stella")
    sessions = at.dataframe[2].value
    assert list(sessions.columns) == ["Erstes Labor (04.03.2026)", "Zweites Labor (09.09.2026)"]
    assert list(sessions.loc["Hinweise"]) == ["24", f"8 – {TOO_FEW}"]
    assert TOO_FEW in str(sessions.loc["Kategorie: zu dunkel", "Zweites Labor (09.09.2026)"])


def test_on_demo_data_the_figures_and_the_printable_page_say_so(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = capture_downloads(monkeypatch)
    at = open_page(PAGE, role=Role.STEERING, name="stella")
    banner = "Demodaten – keine echten Hinweise"
    pictures = [
        base64.b64decode(i.proto.imgs[0].url.split(",", 1)[1]).decode() for i in at.get("image")
    ]
    # A map per quarter, their legend, two bar charts: every figure but the legend says so.
    assert len(pictures) == 6
    assert [banner in p for p in pictures] == [True, True, True, False, True, True]
    page = stored["vergleich-quartiere.html"].decode()
    assert page.split("<body>", 1)[1].startswith(f'<p class="demo" role="note">{banner}</p>')
    felt = page.split('<section class="felt">', 1)[1].split("</section>", 1)[0]
    assert felt.startswith("<h2>Empfunden und erfasst</h2>")
    for quarter in ("Bövinghausen", "Brackel", "Phoenix-See"):
        assert quarter in felt
    assert "erfasst: Unfälle mit Personenschaden je km²" in felt
    assert page.count('class="scalebar"') == 3  # one per quarter's map
