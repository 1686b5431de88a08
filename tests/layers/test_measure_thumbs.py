"""The small place maps: as many dots as notes, the place as a ring or an area, the
enlarged panel holding all of them, and a name for screen readers."""

from __future__ import annotations

import re

import pytest
from shapely.geometry import Point, Polygon

from geo.crs import lonlat_to_metric, metric_to_lonlat
from layers.measure_thumbs import GAP_PX, PANEL_PX, place_thumbnail

CENTRE = lonlat_to_metric(7.55, 51.52)


def _at(dx_m: float, dy_m: float) -> Point:
    """The point dx_m east and dy_m north of the centre (EPSG:4326)."""
    return Point(metric_to_lonlat(CENTRE[0] + dx_m, CENTRE[1] + dy_m))


# A quarter of 1 km x 1 km around the centre, drawn in metres.
QUARTER = Polygon([_at(-500, -500).coords[0], _at(500, -500).coords[0],
                   _at(500, 500).coords[0], _at(-500, 500).coords[0]])  # fmt: skip


def _notes_xy(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(y))
        for x, y in re.findall(r'class="note" cx="([\d.-]+)" cy="([\d.-]+)"', svg)
    ]


def test_every_note_is_a_dot_and_the_point_a_ring() -> None:
    notes = [_at(0, 0), _at(20, 0), _at(0, 30)]
    svg = place_thumbnail(QUARTER, _at(5, 5), notes, label="Karte")
    assert svg.count('class="note"') == 3
    assert re.search(r'<circle class="place"[^>]*fill="none"', svg)  # a ring, not a dot
    assert svg.count('role="img"') == 1 and "<title>Karte</title>" in svg
    # East is right, north is up: 20 m east is to the right, 30 m north is higher.
    (x0, y0), (x1, y1), (x2, y2) = _notes_xy(svg)
    assert x1 > x0 and y1 == pytest.approx(y0) and y2 < y0 and x2 == pytest.approx(x0, abs=0.2)


def test_an_area_is_drawn_as_a_shaded_path() -> None:
    area = _at(0, 0).buffer(0.0005)
    svg = place_thumbnail(QUARTER, area, [], label="Karte")
    assert svg.count('class="note"') == 0
    assert re.search(r'<path class="place" d="M[^"]+Z"', svg)


def test_far_notes_stay_inside_the_enlarged_panel() -> None:
    notes = [_at(-300, 0), _at(300, 0)]
    svg = place_thumbnail(QUARTER, _at(0, 0), notes, label="Karte")
    for x, y in _notes_xy(svg):
        assert 0 < x < PANEL_PX and 0 < y < PANEL_PX
    assert ">200 m</text>" in svg  # 750 m of ground: a bar of a round 200 m


def test_a_close_group_gets_at_least_the_minimum_window() -> None:
    svg = place_thumbnail(QUARTER, _at(0, 0), [_at(1, 1)], label="Karte", min_window_m=200)
    assert ">50 m</text>" in svg  # a third of 200 m, rounded down to a round length


def test_the_label_is_text_and_a_missing_quarter_is_left_out() -> None:
    svg = place_thumbnail(None, _at(0, 0), [], label='<b>"Ort"</b>')
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert f'width="{2 * PANEL_PX + GAP_PX}"' in svg
    assert 'fill="#EEF1F4"' not in svg  # no quarter drawn


def test_an_empty_place_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'place' should be a point or an area"):
        place_thumbnail(QUARTER, Point(), [], label="Karte")
