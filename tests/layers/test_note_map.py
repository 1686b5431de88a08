"""The moderators' small map (layers.note_map): numbered marks, a line between two,
labels as text, local assets only."""

from __future__ import annotations

from typing import Any

import pytest

from datapack.loading import load_districts
from layers.note_map import OTHER_COLOUR, NoteMark, notes_map

CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "unpkg.com")


@pytest.fixture(scope="module")
def districts() -> Any:
    return load_districts().districts


def render(districts: Any, marks: list[NoteMark], *, joined: bool = True) -> str:
    fmap = notes_map(districts, "320", marks, attributions=["Quelle"], joined=joined)
    return str(fmap.get_root().render())


def test_one_note_is_one_labelled_mark_without_a_line(districts: Any) -> None:
    html = render(districts, [NoteMark(7.5512, 51.5187, "Hinweis 12")])
    assert html.count("L.circleMarker(") == 1
    assert "L.polyline(" not in html
    assert "Hinweis 12" in html
    assert '"maxZoom": 17' in html
    assert not any(host in html for host in CDN_HOSTS)


def test_two_notes_are_joined_by_a_line(districts: Any) -> None:
    html = render(
        districts,
        [
            NoteMark(7.5512, 51.5187, "Nr. 1 (bleibt)"),
            NoteMark(7.5600, 51.5200, "Nr. 2", colour=OTHER_COLOUR),
        ],
    )
    assert html.count("L.circleMarker(") == 2
    assert html.count("L.polyline(") == 1
    assert "[51.5187, 7.5512]" in html and "[51.52, 7.56]" in html
    assert OTHER_COLOUR in html
    # Each label points away from the other mark, so neither runs over the line.
    assert html.count('"direction": "left"') == 1
    assert html.count('"direction": "right"') == 1


def test_marks_can_stand_apart(districts: Any) -> None:
    marks = [NoteMark(7.5512, 51.5187, "Nr. 1"), NoteMark(7.5520, 51.5190, "Nr. 2")]
    html = render(districts, marks, joined=False)
    assert html.count("L.circleMarker(") == 2
    assert "L.polyline(" not in html


def test_a_label_is_shown_as_text(districts: Any) -> None:
    html = render(districts, [NoteMark(7.5512, 51.5187, "<img src=x onerror=alert(1)>")])
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_without_notes_the_quarter_shows(districts: Any) -> None:
    html = render(districts, [])
    assert "L.circleMarker(" not in html
    assert "fitBounds" in html
