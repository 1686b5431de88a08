"""The app's tile cache against a real HTTP tile service on loopback."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from config.basemaps import OSM
from devtools.fake_tile_service import TILE_COLOUR, FakeTileService
from geo.tiles import Tile, position_in_ancestor, tile_at, tiles_for_areas
from services.tile_cache import FRESH_FOR_S, USER_AGENT, TileCache

CITY = (7.30, 51.41, 7.64, 51.60)  # Dortmund, roughly
BRACKEL = (7.53, 51.50, 7.58, 51.53)


@pytest.fixture
def service() -> Iterator[FakeTileService]:
    fake = FakeTileService().start()
    yield fake
    fake.stop()


def cache_for(service: FakeTileService, root: Path, **kwargs: object) -> TileCache:
    basemap = replace(OSM, url=service.url_template)
    return TileCache(basemap=basemap, root=root, area=CITY, **kwargs)  # type: ignore[arg-type]


def colour_at(body: bytes, x: int, y: int) -> tuple[int, ...]:
    with Image.open(io.BytesIO(body)) as image:
        return tuple(image.convert("RGB").getpixel((x, y)))  # type: ignore[arg-type]


def test_a_tile_is_fetched_once_named_and_then_served_from_disk(
    service: FakeTileService, tmp_path: Path
) -> None:
    cache = cache_for(service, tmp_path)
    tile = tile_at(7.55, 51.515, 15)
    first = cache.tile(tile)
    again = cache.tile(tile)
    assert first is not None and first == again
    assert [path for path, _ in service.requests] == [f"/{tile.z}/{tile.x}/{tile.y}.png"]
    assert service.requests[0][1] == USER_AGENT  # the service's policy: say who asks
    assert cache.path(tile).read_bytes() == first


def test_the_cache_is_no_open_proxy_for_the_world(service: FakeTileService, tmp_path: Path) -> None:
    cache = cache_for(service, tmp_path)
    assert cache.tile(tile_at(13.40, 52.52, 15)) is None  # Berlin
    assert cache.tile(Tile(4, 8, 5)) is None  # too coarse for a lab map
    assert cache.tile(Tile(15, 1 << 15, 0)) is None  # not a tile at all
    assert service.requests == []


def test_offline_an_old_tile_is_served_and_the_service_is_not_asked_again_at_once(
    service: FakeTileService, tmp_path: Path
) -> None:
    now = [1_000_000.0]
    cache = cache_for(service, tmp_path, clock=lambda: now[0])
    tile = tile_at(7.55, 51.515, 15)
    body = cache.tile(tile)
    service.stop()
    now[0] += FRESH_FOR_S + 1  # old now: the cache asks the service, which is gone
    assert cache.tile(tile) == body
    other = tile_at(7.56, 51.52, 16)
    cache.tile(other)  # within the offline pause: no second wait for a dead service
    assert len(service.requests) == 1


def test_offline_a_missing_deep_tile_is_cut_from_a_coarser_cached_one(
    service: FakeTileService, tmp_path: Path
) -> None:
    cache = cache_for(service, tmp_path)
    coarse = tile_at(7.55, 51.515, 14)
    assert cache.tile(coarse) is not None
    service.stop()
    deep = tile_at(7.55, 51.515, 17)
    body = cache.tile(deep)
    assert body is not None
    # Its pixels are the coarse tile's, enlarged from the right square of it.
    coarse_body = cache.path(coarse).read_bytes()
    _, left, top, size = position_in_ancestor(deep, 3)
    for x, y in ((16, 16), (128, 128), (240, 200)):
        expected = colour_at(coarse_body, left + x * size // 256, top + y * size // 256)
        assert colour_at(body, x, y) == expected
    assert {colour_at(body, 128, y) for y in range(0, 256, 8)} & {TILE_COLOUR}
    assert not cache.path(deep).exists()  # a stand-in, not kept as the real tile


def test_offline_with_nothing_cached_there_is_no_tile(
    service: FakeTileService, tmp_path: Path
) -> None:
    service.stop()
    assert cache_for(service, tmp_path).tile(tile_at(7.55, 51.515, 15)) is None


def test_preparing_fetches_each_tile_of_the_area_once(
    service: FakeTileService, tmp_path: Path
) -> None:
    cache = cache_for(service, tmp_path)
    tiles = tiles_for_areas([BRACKEL], range(13, 16))
    planned = len(tiles)
    outcomes = [outcome for _, outcome in cache.prefetch(tiles, pause_s=0)]
    assert outcomes == ["fetched"] * planned
    assert len(service.requests) == planned
    again = [outcome for _, outcome in cache.prefetch(tiles, pause_s=0)]
    assert again == ["kept"] * planned
    assert len(service.requests) == planned
