from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from layers.mpl_shapes import add_outlines, add_polygons

RING = [(0, 0), (10, 0), (10, 10), (0, 10)]
HOLE = [(4, 4), (6, 4), (6, 6), (4, 6)]


def test_every_polygon_part_is_filled_once_and_other_shapes_are_left_out() -> None:
    figure, ax = plt.subplots()
    shapes = [
        Polygon(RING, [HOLE]),
        MultiPolygon([box(20, 0, 21, 1), box(30, 0, 31, 1)]),
        Point(5, 5),
        LineString([(0, 0), (1, 1)]),
    ]
    filled = add_polygons(ax, shapes, facecolors="#f03b20")
    paths = filled.get_paths()
    assert len(paths) == 3
    assert np.allclose(np.asarray(paths[0].vertices)[:4], RING)
    assert ax.get_xlim()[1] >= 31  # the view takes the collection in
    plt.close(figure)


def test_outlines_draw_outer_and_inner_rings() -> None:
    figure, ax = plt.subplots()
    lines = add_outlines(ax, [Polygon(RING, [HOLE]), box(20, 0, 21, 1)], colors="#222222")
    rings = [np.asarray(path.vertices)[:4].tolist() for path in lines.get_paths()]
    assert len(rings) == 3
    assert [list(map(float, xy)) for xy in HOLE] in rings
    plt.close(figure)


def test_nothing_to_draw_gives_an_empty_collection() -> None:
    figure, ax = plt.subplots()
    assert add_polygons(ax, []).get_paths() == []
    assert add_outlines(ax, [Point(0, 0)]).get_paths() == []
    plt.close(figure)
