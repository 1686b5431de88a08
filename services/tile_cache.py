"""The background map's tiles, served by the app itself from a disk cache.

Browsers ask the app (config.basemaps.LOCAL_TILE_URL), never a third party. A missing
or old tile is fetched by the server from the configured service, with a User-Agent that
names the app, at most two at a time, and kept for a week before it is asked for again
(OpenStreetMap's tile usage policy). Offline, an old tile is still served, and where none
exists a part of a coarser cached tile is enlarged, so a lab without internet shows
streets at every zoom its laptop was prepared for.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from config.basemaps import Basemap
from config.settings import Settings
from datapack.loading import load_districts
from geo.districts import DistrictPack
from geo.tiles import Bounds, Tile, position_in_ancestor
from rules.errors import DataPackError

log = logging.getLogger(__name__)

USER_AGENT = "SichereQuartiere/0.1 (participatory safety map of Dortmund; tile cache)"
FRESH_FOR_S = 7 * 24 * 3600  # the policy's minimum time to keep a tile
OFFLINE_PAUSE_S = 60.0  # after a failed fetch, no new attempt for this long
FETCH_TIMEOUT_S = 8.0
MAX_TILE_BYTES = 1_000_000
MIN_ZOOM = 10  # the maps open at 11 at the widest
ENLARGE_LEVELS = 5  # how far up a coarser tile may stand in (32 x enlarged at most)
# Around the city: the server is no open tile proxy for the rest of the world.
AREA_MARGIN_DEG = 0.05
PNG = b"\x89PNG\r\n\x1a\n"

Fetch = Callable[[str], bytes]


def fetch_over_http(url: str) -> bytes:
    """One tile from the service: an image, or an OSError."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
        kind = response.headers.get("Content-Type", "")
        body: bytes = response.read(MAX_TILE_BYTES + 1)
    if not kind.startswith("image/") or len(body) > MAX_TILE_BYTES:
        raise OSError(f"{url} answered {kind!r}, {len(body)} bytes: not a tile")
    return body


@dataclass
class TileCache:
    """Tiles of one service inside one area, kept under `root`."""

    basemap: Basemap
    root: Path
    area: Bounds  # west, south, east, north in degrees
    fetch: Fetch = fetch_over_http
    clock: Callable[[], float] = time.time
    _offline_until: float = 0.0
    _slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(2)  # the policy's 2 connections
    )

    def __post_init__(self) -> None:
        west, south, east, north = self.area
        margin = AREA_MARGIN_DEG
        self.area = (west - margin, south - margin, east + margin, north + margin)

    def serves(self, tile: Tile) -> bool:
        """Whether the app hands out this tile at all."""
        return (
            tile.is_valid()
            and MIN_ZOOM <= tile.z <= self.basemap.max_zoom
            and tile.intersects(self.area)
        )

    def path(self, tile: Tile) -> Path:
        return self.root / self.basemap.key / str(tile.z) / str(tile.x) / f"{tile.y}.png"

    def tile(self, tile: Tile) -> bytes | None:
        """The tile's image, fresh if the service answers, else the best one at hand."""
        if not self.serves(tile):
            return None
        path = self.path(tile)
        age = self._age(path)
        if age is not None and age < FRESH_FOR_S:
            return path.read_bytes()
        fetched = self._fetch(tile)
        if fetched is not None:
            return fetched
        if age is not None:
            return path.read_bytes()  # old, but better than none while offline
        return self._enlarged(tile)

    def _age(self, path: Path) -> float | None:
        try:
            return self.clock() - path.stat().st_mtime
        except FileNotFoundError:
            return None

    def _fetch(self, tile: Tile) -> bytes | None:
        if self.clock() < self._offline_until:
            return None
        url = self.basemap.url.format(z=tile.z, x=tile.x, y=tile.y)
        with self._slots:
            try:
                body = self.fetch(url)
            except OSError as exc:
                self._offline_until = self.clock() + OFFLINE_PAUSE_S
                log.warning("tile service unreachable (%s); serving cached tiles", exc)
                return None
        self._keep(tile, body)
        return body

    def _keep(self, tile: Tile, body: bytes) -> None:
        path = self.path(tile)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half a tile.
        partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        partial.write_bytes(body)
        os.replace(partial, path)

    def _enlarged(self, tile: Tile) -> bytes | None:
        """A part of the nearest cached coarser tile, enlarged to a tile's size."""
        for levels in range(1, min(ENLARGE_LEVELS, tile.z - MIN_ZOOM) + 1):
            ancestor, left, top, size = position_in_ancestor(tile, levels)
            path = self.path(ancestor)
            if not path.exists():
                continue
            with Image.open(path) as image:
                scale = image.width // 256 or 1
                box = (left * scale, top * scale, (left + size) * scale, (top + size) * scale)
                part = (
                    image.convert("RGBA")
                    .crop(box)
                    .resize((image.width, image.height), Image.Resampling.BICUBIC)
                )
            out = io.BytesIO()
            part.save(out, format="PNG")
            return out.getvalue()
        return None

    # Preparing a lab laptop ------------------------------------------------------------

    def prefetch(self, tiles: Iterable[Tile], pause_s: float) -> Iterator[tuple[Tile, str]]:
        """Fetch every missing or old one of the tiles, one at a time with a pause between
        requests; yields each tile with "kept", "fetched" or "failed"."""
        for tile in tiles:
            age = self._age(self.path(tile))
            if age is not None and age < FRESH_FOR_S:
                yield tile, "kept"
                continue
            self._offline_until = 0.0  # the operator is online on purpose: try each
            yield tile, "fetched" if self._fetch(tile) is not None else "failed"
            time.sleep(pause_s)


def app_tile_cache(settings: Settings, pack: DistrictPack | None = None) -> TileCache | None:
    """The app's tile cache for the city's area (of `pack`, read when not given); None
    without a tile service or data pack."""
    if settings.basemap is None:
        return None
    try:
        city = (pack or load_districts()).districts.total_bounds
    except DataPackError:
        log.warning("no district data pack: the maps are drawn without tiles")
        return None
    west, south, east, north = (float(value) for value in city)
    return TileCache(settings.basemap, settings.tile_cache_dir, (west, south, east, north))
