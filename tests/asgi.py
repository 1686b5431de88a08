"""Requests straight to an ASGI app, as the app server passes them on, and the app's
event log caught, for the tests of its routes and middleware."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

from services.event_log import EVENTS, JsonLines

# Status, headers, body and the seconds until the answer's start.
Answer = tuple[int, dict[str, str], bytes, float]
HOST = (b"host", b"127.0.0.1:8501")


async def get(
    app: Any, path: str, *, query: bytes = b"", headers: tuple[tuple[bytes, bytes], ...] = ()
) -> Answer:
    """GET `path` from `app` (headers besides Host: `headers`)."""
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "scheme": "http",
        "headers": [HOST, *headers],
        "query_string": query,
        "server": ("127.0.0.1", 8501),
        "client": ("203.0.113.9", 51000),
    }
    sent: list[MutableMapping[str, Any]] = []
    start = time.perf_counter()
    answered = 0.0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal answered
        if message["type"] == "http.response.start":
            answered = time.perf_counter() - start
        sent.append(message)

    await app(scope, receive, send)
    found = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return int(sent[0]["status"]), found, body, answered


@contextmanager
def event_lines() -> Iterator[io.StringIO]:
    """The app's events meanwhile, as JSON lines in a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonLines())
    level = EVENTS.level
    EVENTS.addHandler(handler)
    EVENTS.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        EVENTS.removeHandler(handler)
        EVENTS.setLevel(level)
