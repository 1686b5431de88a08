"""The tile services the app's server may take its background map from.

Browsers never contact them: the app serves tiles under LOCAL_TILE_URL and its server
fetches and caches them (services.tile_cache). Each entry keeps the service's usage
policy in numbers: how deep it may be prefetched for an offline lab, and its credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

# Where the browser asks the app itself for a tile (served by a route of ui/web_app.py).
LOCAL_TILE_URL: Final = "/tiles/{z}/{x}/{y}.png"


@dataclass(frozen=True, slots=True)
class Basemap:
    key: str  # the SQ_BASEMAP value and the cache's folder
    operator: str  # who runs the tile servers (named in the privacy notice)
    host: str  # the server our server contacts
    url: str  # upstream template with {z}, {x}, {y}
    attribution: str  # HTML credit shown on every map
    max_zoom: int  # deepest zoom the service has
    prefetch_max_zoom: int  # deepest zoom its policy lets us fetch ahead, in bulk
    policy_url: str


OSM: Final = Basemap(
    key="osm",
    operator="OpenStreetMap Foundation",
    host="tile.openstreetmap.org",
    url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    attribution=(
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende'
    ),
    max_zoom=19,
    # The tile usage policy forbids bulk downloads at zoom 17 and deeper.
    prefetch_max_zoom=16,
    policy_url="https://operations.osmfoundation.org/policies/tiles/",
)
BASEMAP_DE: Final = Basemap(
    key="basemap.de",
    operator="Bundesamt für Kartographie und Geodäsie (basemap.de)",
    host="sgx.geodatenzentrum.de",
    url=(
        "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/"
        "de_basemapde_web_raster_farbe/default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png"
    ),
    attribution='&copy; <a href="https://basemap.de">basemap.de</a> / BKG (dl-de/by-2-0)',
    max_zoom=18,
    # Open data under dl-de/by-2-0: any depth the service has may be kept.
    prefetch_max_zoom=18,
    policy_url="https://basemap.de/nutzungsbedingungen/",
)
KNOWN: Final = {basemap.key: basemap for basemap in (OSM, BASEMAP_DE)}


def own_service(url: str, attribution: str) -> Basemap:
    """A tile service given by its URL template (e.g. the city's own), with its credit."""
    host = urlsplit(url).hostname or ""
    return Basemap(
        key="own-" + host,
        operator=host,
        host=host,
        url=url,
        # Every map names where its background comes from, even when no credit was set.
        attribution=attribution or f"Karte: {host}",
        max_zoom=19,
        prefetch_max_zoom=19,
        policy_url="",
    )
