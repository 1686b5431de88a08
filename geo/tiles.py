"""Web Mercator tile numbers (the "slippy map" scheme of OpenStreetMap and Leaflet):
which tiles cover an area, and where a tile lies inside its parent."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Web Mercator stops short of the poles.
MAX_LATITUDE = 85.0511287798
Bounds = tuple[float, float, float, float]  # west, south, east, north in degrees


@dataclass(frozen=True, slots=True, order=True)
class Tile:
    z: int
    x: int
    y: int

    def is_valid(self) -> bool:
        side = 1 << self.z if self.z >= 0 else 0
        return 0 <= self.x < side and 0 <= self.y < side

    def parent(self) -> Tile:
        return Tile(self.z - 1, self.x // 2, self.y // 2)

    def bounds(self) -> Bounds:
        """West, south, east, north of the tile in degrees."""
        side = 1 << self.z
        west = self.x / side * 360.0 - 180.0
        east = (self.x + 1) / side * 360.0 - 180.0
        return west, _latitude(self.y + 1, side), east, _latitude(self.y, side)

    def intersects(self, area: Bounds) -> bool:
        west, south, east, north = self.bounds()
        return west <= area[2] and east >= area[0] and south <= area[3] and north >= area[1]


def _latitude(row: float, side: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / side))))


def tile_at(lon: float, lat: float, zoom: int) -> Tile:
    """The tile that holds a point."""
    side = 1 << zoom
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    x = int((lon + 180.0) / 360.0 * side)
    rad = math.radians(lat)
    y = int((1 - math.asinh(math.tan(rad)) / math.pi) / 2 * side)
    return Tile(zoom, min(max(x, 0), side - 1), min(max(y, 0), side - 1))


def tiles_covering(area: Bounds, zoom: int) -> Iterator[Tile]:
    """Every tile of one zoom that overlaps the area, row by row."""
    west, south, east, north = area
    top_left = tile_at(west, north, zoom)
    bottom_right = tile_at(east, south, zoom)
    for y in range(top_left.y, bottom_right.y + 1):
        for x in range(top_left.x, bottom_right.x + 1):
            yield Tile(zoom, x, y)


def tiles_for_areas(areas: Sequence[Bounds], zooms: range) -> list[Tile]:
    """Every tile overlapping any of the areas at any of the zooms, each once, coarse first."""
    return sorted({tile for area in areas for zoom in zooms for tile in tiles_covering(area, zoom)})


def position_in_ancestor(tile: Tile, levels: int) -> tuple[Tile, int, int, int]:
    """The ancestor `levels` zooms up, and the tile's square inside it as (left, top, size)
    in 256-pixel units of the ancestor: what to cut out and enlarge when only the ancestor
    is at hand."""
    ancestor = tile
    for _ in range(levels):
        ancestor = ancestor.parent()
    size = 256 >> levels
    left = (tile.x - (ancestor.x << levels)) * size
    top = (tile.y - (ancestor.y << levels)) * size
    return ancestor, left, top, size
