"""Tile numbers as Leaflet and OpenStreetMap count them."""

from __future__ import annotations

import pytest

from geo.tiles import Tile, position_in_ancestor, tile_at, tiles_covering, tiles_for_areas

BRACKEL = (7.53, 51.50, 7.58, 51.53)  # west, south, east, north


def test_a_point_lies_in_the_tile_the_osm_formula_gives() -> None:
    # Dortmund's Reinoldikirche at zoom 16, by the OSM wiki's ln(tan + sec) formula.
    assert tile_at(7.4680, 51.5140, 16) == Tile(16, 34127, 21790)
    assert tile_at(0.0, 0.0, 1) == Tile(1, 1, 1)


def test_a_tile_holds_the_point_it_was_found_for() -> None:
    tile = tile_at(7.55, 51.515, 15)
    west, south, east, north = tile.bounds()
    assert west <= 7.55 < east and south < 51.515 <= north


def test_the_tiles_covering_an_area_are_all_and_only_those_overlapping_it() -> None:
    tiles = list(tiles_covering(BRACKEL, 15))
    assert all(tile.intersects(BRACKEL) for tile in tiles)
    assert len(set(tiles)) == len(tiles)
    neighbours = {Tile(15, t.x + dx, t.y + dy) for t in tiles for dx in (-1, 1) for dy in (-1, 1)}
    # A ring around them lies outside (touching edges aside).
    outside = [t for t in neighbours - set(tiles) if t.intersects(BRACKEL)]
    for tile in outside:
        west, south, east, north = tile.bounds()
        assert (
            west == pytest.approx(BRACKEL[2], abs=1e-3)
            or east == pytest.approx(BRACKEL[0], abs=1e-3)
            or south == pytest.approx(BRACKEL[3], abs=1e-3)
            or north == pytest.approx(BRACKEL[1], abs=1e-3)
        )


def test_tiles_of_several_areas_come_once_each_coarse_first() -> None:
    zooms = range(12, 17)
    one = tiles_for_areas([BRACKEL], zooms)
    assert len(one) == sum(len(list(tiles_covering(BRACKEL, z))) for z in zooms)
    assert tiles_for_areas([BRACKEL, BRACKEL], zooms) == one
    assert [t.z for t in one] == sorted(t.z for t in one)
    # Each zoom about four times the one before.
    assert sum(t.z == 16 for t in one) > 3 * sum(t.z == 15 for t in one)


def test_a_tile_knows_its_square_in_an_ancestor() -> None:
    tile = Tile(16, 34127, 21801)
    ancestor, left, top, size = position_in_ancestor(tile, 2)
    assert ancestor == Tile(14, 8531, 5450)
    assert size == 64
    assert (left, top) == ((34127 - 4 * 8531) * 64, (21801 - 4 * 5450) * 64)
    assert position_in_ancestor(tile, 1)[0] == tile.parent()


def test_tiles_outside_the_world_are_not_valid() -> None:
    assert Tile(3, 7, 7).is_valid()
    assert not Tile(3, 8, 0).is_valid()
    assert not Tile(3, 0, -1).is_valid()
