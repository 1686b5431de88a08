"""The plan of measures as PDF and HTML (services.plan_report): made here, opened,
looked into."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader
from shapely.geometry import box

from datapack.loading import load_districts
from geo.demo import demo_pins, quarter_areas
from geo.districts import DistrictPack
from layers.plan_report import qr_drawing
from rules.measures import STATUSES, MeasureDraft
from rules.roles import Actor, Role
from services.i18n import translate
from services.plan_report import Report, euros, make_report
from store import SqliteStore
from store.measure_weigh_in import WeighIn
from tests.factories import hire_staff

PLANNER = Actor("pia", Role.PLANNER)
STEERING = Actor("stella", Role.STEERING)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> tuple[DistrictPack, SqliteStore]:
    pack = load_districts()
    ids = pack.district_ids
    store = SqliteStore(tmp_path_factory.mktemp("report") / "r.sqlite")
    hire_staff(store)
    made = demo_pins(quarter_areas(pack.districts, ids), per_quarter=200)
    store.add_pins([p.draft for p in made], created_at=[p.created_at for p in made])
    pin = store.pins_in_quarter("320")[0]
    lamp = store.create_measure(
        MeasureDraft(
            "Laterne am Hellweg <ergänzen>",
            "lighting",
            "320",
            pack.geometry("320").representative_point(),
            working_group="infrastructure",
            responsible="Tiefbauamt",
            priority=1,
            cost_eur=12500.0,
            target_date=date(2027, 5, 1),
            pin_ids=(pin.id,),
        ),
        actor=PLANNER,
    )
    store.move_measure(lamp.id, "discussed", actor=STEERING)
    store.move_measure(lamp.id, "decided", actor=STEERING)
    centre = pack.geometry("320").centroid
    green = store.create_measure(
        MeasureDraft(
            "Grünschnitt am Spielplatz",
            "greenery",
            "320",
            box(centre.x - 0.002, centre.y - 0.001, centre.x + 0.002, centre.y + 0.001),
            priority=3,
            cost_eur=1234.5,
        ),
        actor=PLANNER,
    )
    store.move_measure(green.id, "rejected", actor=STEERING, reason="schon erledigt")
    store.create_measure(  # proposed: not public, no page and no code
        MeasureDraft("Entwurf am Markt", "design", "320", centre), actor=PLANNER
    )
    return pack, store


@pytest.fixture(scope="module")
def report(lab: tuple[DistrictPack, SqliteStore]) -> Report:
    pack, store = lab
    return make_report(
        pack,
        store,
        pack.district_ids,
        population={},
        lamps=None,
        accidents=None,
        sources=["Stadt Dortmund, Statistische Bezirke"],
        lang="de",
    )


def test_the_pdf_opens_with_a_page_per_quarter_and_the_measures(report, tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(report.pdf)
    pdf = PdfReader(path)
    assert len(pdf.pages) >= 3
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Maßnahmenplan" in text
    for quarter in ("Bövinghausen", "Brackel", "Phoenix-See"):
        assert quarter in text
    assert "Laterne am Hellweg <ergänzen>" in text and "beschlossen" in text
    assert "verworfen (schon erledigt)" in text
    assert "Noch keine Maßnahmen." in text  # the other quarters
    assert "Stadt Dortmund, Statistische Bezirke" in text and "Erstellt am" in text
    # Every quarter has its map, drawn as vector shapes with its legend of statuses.
    in_progress = translate(STATUSES["in_progress"], "de")
    assert text.count(in_progress) >= 3


def test_the_first_page_as_a_picture(report, tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(report.pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    from PIL import Image

    with Image.open(png) as image:
        assert image.size[0] > 400 and image.size[1] > 600  # A4 portrait at 60 dpi
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # a map, not an empty page
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    png.replace(artifacts / "plan-page-1.png")


def test_the_html_version_is_escaped_and_self_contained(report) -> None:
    html = report.html
    assert "Laterne am Hellweg &lt;ergänzen&gt;" in html and "<ergänzen>" not in html
    assert html.count("<figure><svg") == 3  # a map per quarter, inline
    assert not re.search(r"(src|href)=|url\(|@import", html)  # nothing loads from elsewhere


def test_the_report_is_worded_in_the_language_asked_for(
    lab: tuple[DistrictPack, SqliteStore],
) -> None:
    pack, store = lab
    english = make_report(
        pack, store, ["710"], population={}, lamps=None, accidents=None, sources=[], lang="en"
    )
    assert "Plan of measures" in english.html and "No measures yet." in english.html
    assert "Maßnahmenplan" not in english.html
    assert '<html lang="en"' in english.html


def _measure_rows(html: str) -> list[list[str]]:
    """The rows (header first) of the HTML report's measure tables."""
    tables = [t for t in re.findall(r"<table>(.*?)</table>", html) if "<th>Nr.</th>" in t]
    rows = []
    for table in tables:
        for row in re.findall(r"<tr>(.*?)</tr>", table):
            rows.append([unescape(c) for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", row)])
    return rows


def test_the_measures_table_has_priority_cost_and_target_date(report, tmp_path: Path) -> None:
    header, *rows = _measure_rows(report.html)
    assert header == [
        "Nr.",
        "Maßnahme",
        "Art",
        "Arbeitsgruppe",
        "Zuständig",
        "Priorität",
        "Kosten",
        "Zieldatum",
        "Stand",
    ]
    by_title = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    lamp = by_title["Laterne am Hellweg <ergänzen>"]
    assert (lamp["Priorität"], lamp["Kosten"], lamp["Zieldatum"]) == (
        "hoch",
        "12.500 €",
        "01.05.2027",
    )
    green = by_title["Grünschnitt am Spielplatz"]
    assert (green["Priorität"], green["Kosten"], green["Zieldatum"]) == (
        "niedrig",
        "1.234,50 €",
        "–",
    )
    path = tmp_path / "plan.pdf"
    path.write_bytes(report.pdf)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    for word in ("Priorität", "Kosten", "Zieldatum", "12.500 €", "1.234,50 €", "01.05.2027"):
        assert word in text


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        (None, "de", "–"),
        (0.0, "de", "0 €"),
        (1250000.0, "de", "1.250.000 €"),
        (99.9, "de", "99,90 €"),
        (1234.5, "en", "1,234.50 €"),
    ],
)
def test_costs_are_written_as_stored_in_the_language(
    amount: float | None, lang: str, expected: str
) -> None:
    assert euros(amount, lang) == expected


def test_the_map_key_names_notes_and_hot_cells(report, tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(report.pdf)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    assert text.count("Hinweis (je ein Quadrat)") >= 3  # every quarter's map
    assert text.count("signifikanter Hotspot (Gi*, 50-m-Zelle)") >= 3
    assert re.search(r"\b(100|200|500) m\b|\b[12] km\b", text)  # a scale bar's length


def test_on_demo_data_every_page_says_so(
    lab: tuple[DistrictPack, SqliteStore], tmp_path: Path
) -> None:
    pack, store = lab
    demo = make_report(
        pack,
        store,
        pack.district_ids,
        population={},
        lamps=None,
        accidents=None,
        sources=[],
        lang="de",
        demo=True,
    )
    banner = "Demodaten – keine echten Hinweise"
    path = tmp_path / "demo.pdf"
    path.write_bytes(demo.pdf)
    pages = PdfReader(path).pages
    assert len(pages) >= 3 and all(banner in page.extract_text() for page in pages)
    assert demo.html.split("<body>", 1)[1].startswith(f'<p class="demo" role="note">{banner}</p>')


def test_each_public_measure_has_its_address_as_text_and_qr_code_and_what_residents_said(
    lab: tuple[DistrictPack, SqliteStore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack, store = lab
    measures = {m.title: m.id for m in store.measures(["320"])}
    lamp, green = measures["Laterne am Hellweg <ergänzen>"], measures["Grünschnitt am Spielplatz"]
    draft = measures["Entwurf am Markt"]
    said = {lamp: WeighIn(3, ("Endlich <hell>!",)), green: WeighIn(1, ()), draft: WeighIn(0, ())}
    monkeypatch.setattr(store, "weigh_in", lambda ids: {i: said[i] for i in ids})
    made = make_report(
        pack,
        store,
        ["320"],
        population={},
        lamps=None,
        accidents=None,
        sources=[],
        lang="de",
        base_url="https://sq.example/",
    )
    html = made.html
    for public in (lamp, green):
        assert f"<small>https://sq.example/massnahme?nr={public}</small>" in html
    assert f"massnahme?nr={draft}" not in html
    assert html.count('class="segno"') == 2  # a QR code per public measure, inline SVG
    assert "3 Unterstützungen" in html and "1 Unterstützung<" in html
    assert "„Endlich &lt;hell&gt;!“" in html
    assert not re.search(r"(src|href)=|url\(|@import", html)
    path = tmp_path / "plan.pdf"
    path.write_bytes(made.pdf)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    assert f"https://sq.example/massnahme?nr={lamp}" in text
    assert "Unterstützung aus der Bürgerschaft und die Seite jeder Maßnahme" in text
    assert "„Endlich <hell>!“" in text


def test_without_a_public_address_the_report_has_no_codes(report: Report) -> None:
    assert 'class="segno"' not in report.html and "massnahme?nr=" not in report.html


def test_a_qr_code_is_drawn_module_for_module() -> None:
    import segno

    text = "https://sq.example/massnahme?nr=12"
    matrix = segno.make(text, error="m").matrix
    drawing = qr_drawing(text, size=100.0)
    (path,) = drawing.contents
    step = 100.0 / (len(matrix) + 4)  # a quiet zone of two modules on each side
    # Each dark run is one rectangle of four corners; read back which modules they cover,
    # rows from the top (reportlab's y grows upwards), columns from the left.
    corners = path.points
    covered = set()
    for at in range(0, len(corners), 8):
        xs, ys = corners[at : at + 8 : 2], corners[at + 1 : at + 8 : 2]
        row = round((100.0 - max(ys)) / step) - 2
        assert round((max(ys) - min(ys)) / step) == 1
        for column in range(round(min(xs) / step) - 2, round(max(xs) / step) - 2):
            covered.add((row, column))
    dark = {(r, c) for r, cells in enumerate(matrix) for c, cell in enumerate(cells) if cell}
    assert covered == dark
    assert min(corners[0::2]) == pytest.approx(2 * step)  # the quiet zone
