"""The plan's report as the measures page offers it (AppTest): on demo data every page
of the PDF says so, and its measures table has priority, cost and target date."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from datapack.loading import load_districts
from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from store import SqliteStore
from tests.pages.apptest_helpers import capture_downloads, open_page

PAGE = "pages/stadt/massnahmen.py"


def test_the_report_on_demo_data_says_so_and_lists_priority_cost_and_date(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = capture_downloads(monkeypatch)
    at = open_page(PAGE, role=Role.PLANNER, name="pia")  # the demo data is made on first run
    SqliteStore(demo_db).create_measure(
        MeasureDraft(
            "Laterne ergänzen",
            "lighting",
            "320",
            load_districts().geometry("320").representative_point(),
            priority=1,
            cost_eur=4200.0,
        ),
        actor=Actor("pia", Role.PLANNER),
    )
    at.selectbox(key="report_quarters").set_value("320").run()
    at.button(key="report_make").click().run()
    assert not at.exception
    pages = PdfReader(io.BytesIO(files["massnahmenplan.pdf"])).pages
    text = [" ".join(page.extract_text().split()) for page in pages]
    assert all("Demodaten – keine echten Hinweise" in page for page in text)
    whole = " ".join(text)
    assert "Priorität Kosten Zieldatum" in whole
    assert "Laterne ergänzen" in whole and "hoch 4.200 € –" in whole
    assert "signifikanter Hotspot (Gi*, 50-m-Zelle)" in whole
    html = files["massnahmenplan.html"].decode()
    assert '<p class="demo" role="note">Demodaten – keine echten Hinweise</p>' in html
