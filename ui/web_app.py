"""The app server's application: Streamlit's app (app.py) plus the background map's tiles,
so no visitor's browser ever contacts a tile service, the released photos of notes, the
participation cookie and the German page. ui/server.py runs it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from config.settings import load_settings
from geo.tiles import Tile
from rules.errors import StoreError
from services.german_page import GermanPage
from services.participant_cookie import ParticipantCookie
from services.request_log import RequestLog
from services.security_headers import SecurityHeaders
from services.staff_cookie import KEEP_PATH, keep_login
from services.tile_cache import app_tile_cache
from ui import resources
from ui.operations import HEALTH_ROUTE, METRICS_ROUTE

# Browsers keep a tile a day; the server's cache keeps it a week.
_TILE_HEADERS = {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}


_CACHE = app_tile_cache(load_settings())


async def _tile(request: Request) -> Response:
    params = request.path_params
    tile = Tile(params["z"], params["x"], params["y"])
    body = None if _CACHE is None else await run_in_threadpool(_CACHE.tile, tile)
    if body is None:
        return Response(status_code=404)
    return Response(body, media_type="image/png", headers=_TILE_HEADERS)


# A released photo may be hidden again later: browsers ask anew after five minutes.
_PHOTO_HEADERS = {
    "Cache-Control": "public, max-age=300",
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": "inline",
}
_NOT_SHOWN_HEADERS = {"Cache-Control": "no-store"}


def _released_photo(photo_id: int) -> bytes | None:
    return resources.opened_store().released_photo(photo_id)


async def _photo(request: Request) -> Response:
    """A note's photo, once a moderator released it (and while its note is on the map);
    404 for any other, waiting or hidden alike. Only clean JPEGs are ever stored."""
    try:
        body = await run_in_threadpool(_released_photo, request.path_params["id"])
    except StoreError:
        return Response(status_code=503, headers={**_NOT_SHOWN_HEADERS, "Retry-After": "30"})
    if body is None:
        return Response(status_code=404, headers=_NOT_SHOWN_HEADERS)
    return Response(body, media_type="image/jpeg", headers=_PHOTO_HEADERS)


# The address every page and map shows a released photo at (ui.note_photos.photo_address).
PHOTO_ROUTE = Route("/foto/{id:int}.jpg", _photo)


async def _main_page(request: Request) -> Response:
    """The shared map is the main page, at "/": Streamlit answers its own path with an
    English "Page not found" over the map, so a link or bookmark to it is sent home."""
    query = request.url.query
    return RedirectResponse("/?" + query if query else "/", status_code=307)


# Absolute: the app is made before the server knows its main script.
PAGES = Path(__file__).resolve().parents[1] / "app.py"

app = st.App(
    PAGES,
    routes=[
        Route("/tiles/{z:int}/{x:int}/{y:int}.png", _tile),
        PHOTO_ROUTE,
        Route("/karte", _main_page),
        # A staff login outlives a reload (services/staff_cookie.py).
        Route(KEEP_PATH, keep_login, methods=["POST"]),
        # For the load balancer and monitoring (ui/operations.py).
        HEALTH_ROUTE,
        METRICS_ROUTE,
    ],
    middleware=[
        # Outermost: every response carries them, errors and other middleware's included.
        Middleware(SecurityHeaders),
        # One log line and the metrics per request, timed around everything below.
        Middleware(RequestLog),
        # One participation number per browser (the limits of taking part hold across tabs).
        Middleware(ParticipantCookie),
        # lang="de" and German words for the framework's own controls.
        Middleware(GermanPage),
    ],
)
