"""One log line and the metrics per HTTP request; a WebSocket (a browser tab's
connection) gets a line when it opens and one when it closes, never one per message.

A line names the request's route as a template of fixed words (route_of): a page's
address when it is one of the app's pages, "/foto/{id}.jpg" for a photo,
"/tiles/{z}/{x}/{y}.png" for a tile; anything else as "/{other}". Never the query string
(a lab's join code, a follower's token), never an id, never the client's address.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Final

from services.event_log import event
from services.metrics import (
    HTTP_REQUESTS,
    OTHER,
    PAGES,
    WEBSOCKETS_OPEN,
    count_failure,
    record_request,
    status_class,
)
from services.participant_cookie import ASGIApp, Message, Receive, Scope, Send
from services.staff_cookie import KEEP_PATH

# Routes by exact path: (route kind, template).
_EXACT: Final = {
    "/": ("page", "/"),
    "/_stcore/stream": ("stream", "/_stcore/stream"),
    "/healthz": ("health", "/healthz"),
    "/metrics": ("metrics", "/metrics"),
    KEEP_PATH: ("keep_login", KEEP_PATH),
    **{
        f"/_stcore/{name}": ("stcore", f"/_stcore/{name}")
        for name in ("health", "script-health-check", "host-config", "metrics")
    },
    **{f"/{page}": ("page", f"/{page}") for page in PAGES},
}
# Routes by pattern, in order: (pattern, route kind, template).
_PATTERNS: Final = (
    (re.compile(r"/tiles/\d+/\d+/\d+\.png"), "tile", "/tiles/{z}/{x}/{y}.png"),
    (re.compile(r"/foto/\d+\.jpg"), "photo", "/foto/{id}.jpg"),
    (re.compile(r"/_stcore/upload_file/.*"), "upload", "/_stcore/upload_file/{session}/{file}"),
    (re.compile(r"/app/static/.*"), "static", "/app/static/{file}"),
    (re.compile(r"/static/.*"), "static", "/static/{file}"),
    (re.compile(r"/[\w.-]+\.(?:js|css|png|ico|svg|json|txt|woff2?)"), "static", "/{file}"),
    (re.compile(r"/component/.*"), "component", "/component/{file}"),
    (re.compile(r"/media/.*"), "media", "/media/{file}"),
    (re.compile(r"/_stcore/.*"), "stcore", "/_stcore/{other}"),
)
_UNKNOWN: Final = (OTHER, "/{other}")


def route_of(path: str) -> tuple[str, str]:
    """The route kind (a label of services.metrics.ROUTES) and the path's template.

    >>> route_of("/foto/12.jpg")
    ('photo', '/foto/{id}.jpg')
    >>> route_of("/wp-login.php")
    ('other', '/{other}')
    """
    found = _EXACT.get(path)
    if found is not None:
        return found
    for pattern, kind, template in _PATTERNS:
        if pattern.fullmatch(path):
            return kind, template
    return _UNKNOWN


class RequestLog:
    """ASGI middleware logging each request's route, status and duration, and counting
    them in the metrics (services.metrics)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = time.perf_counter()
        status = 500  # unless the app answers: an exception below is a server error

        async def timed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        except Exception as exc:
            count_failure("request", exc)
            raise
        finally:
            duration_s = time.perf_counter() - start
            kind, template = route_of(scope.get("path", ""))
            record_request(kind, status, duration_s)
            fields: dict[str, str | int | float] = {"route": template}
            if kind == "page":
                fields["page"] = template.strip("/") or "karte"
            event(
                "request",
                level=logging.WARNING if status >= 500 else logging.INFO,
                method=str(scope.get("method", "")),
                status=status,
                duration_ms=round(duration_s * 1000, 1),
                **fields,
            )

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = time.perf_counter()
        kind, template = route_of(scope.get("path", ""))
        opened = False
        close_code: int | None = None

        async def watched_send(message: Message) -> None:
            nonlocal opened, close_code
            if message["type"] == "websocket.accept" and not opened:
                opened = True
                WEBSOCKETS_OPEN.inc()
                event("websocket opened", route=template, ws="open")
            elif message["type"] == "websocket.close":
                close_code = int(message.get("code", 1000))
            await send(message)

        async def watched_receive() -> Message:
            nonlocal close_code
            message = await receive()
            if message["type"] == "websocket.disconnect":
                close_code = int(message.get("code", 1005))
            return message

        try:
            await self.app(scope, watched_receive, watched_send)
        except Exception as exc:
            count_failure("request", exc)
            raise
        finally:
            duration_s = time.perf_counter() - start
            HTTP_REQUESTS.labels(route=kind, status=status_class(101 if opened else 403)).inc()
            if opened:
                WEBSOCKETS_OPEN.dec()
                event(
                    "websocket closed",
                    route=template,
                    ws="closed",
                    status=close_code if close_code is not None else 1006,
                    duration_ms=round(duration_s * 1000, 1),
                )
