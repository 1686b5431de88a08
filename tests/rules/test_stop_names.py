"""Stop names as residents say them (datapack.stop_names), on the timetable's own names."""

from __future__ import annotations

import re

import geopandas as gpd
import pytest

from config.settings import data_pack_dir
from datapack.loading import load_landmarks, load_manifest
from rules.stop_names import readable_stop_name


@pytest.mark.parametrize(
    ("raw", "readable"),
    [
        ("DO- Knappschaftskrank. S", "Knappschaftskrankenhaus (S-Bahn)"),
        ("Dortmund Breisenbachstr. Bstg 01", "Breisenbachstraße"),
        ("DO-Brackel S/Westfälische Str.", "Brackel (S-Bahn) / Westfälische Straße"),
        ("DO Steinwache/DO-Hbf Nord", "Steinwache / Hauptbahnhof Nord"),
        ("Dortmund, Am Burgholzwald", "Am Burgholzwald"),
        ("Dortmund Bövinghausen Bf", "Bövinghausen Bahnhof"),
        ("DO-Münster-/Mallinckrodtstraße Steig 1", "Münster-/Mallinckrodtstraße"),
        ("Dortmund Adalbert-Dickhut-Str.", "Adalbert-Dickhut-Straße"),
        ("DO-Wohnstift A.d. Kronenburg Steig 1", "Wohnstift An der Kronenburg"),
        ("Dortmund Bundesanstalt f. Arb.", "Bundesanstalt für Arbeit"),
        ("Dortmund Hbf", "Hauptbahnhof"),
        ("Dortmund Strünkedestraße", "Strünkedestraße"),
    ],
)
def test_a_timetable_name_is_written_out(raw: str, readable: str) -> None:
    assert readable_stop_name(raw) == readable


def test_no_landmark_of_the_data_pack_keeps_the_timetables_spelling() -> None:
    manifest = load_manifest()
    stops_file = data_pack_dir() / manifest.dataset("stops").file
    if not stops_file.is_file():
        pytest.skip("the data pack has no stops")
    raw = gpd.read_file(stops_file)["stop_name"]
    stops = load_landmarks()
    names = stops.loc[stops["kind"] == "stop", "name"]
    assert len(names) == len(raw)
    leftovers = [
        name
        for name in names
        if not name
        or re.match(r"(Dortmund|DO)\b", name)
        or re.search(r"\b(Steig|Bstg|Gleis)\b|\w\.(\s|$)|\bS$", name)
    ]
    assert leftovers == []
