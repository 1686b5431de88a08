"""Claim: measuring costs a request and a page's script run less than 0.1 ms each.

Request: the RequestLog middleware (timing, route template, two metrics, one JSON log
line) around an ASGI app that answers at once, against the same app without it.
Script run: what ui.page_metrics.run_measured adds around a page that does nothing
(services.metrics.on_page and record_script_run: two metrics and one JSON log line; the
benchmark may not import ui/, so it times the same calls). The log lines go to a
discarding stream through the app's own formatter. Last line: one JSON object.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.event_log import EVENTS, JsonLines
from services.metrics import on_page, record_script_run
from services.request_log import RequestLog

ROUNDS = 20_000
LIMIT_US = 100.0


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


async def _answer(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


async def _requests(app: Any, rounds: int) -> float:
    scope = {"type": "http", "method": "GET", "path": "/foto/12.jpg", "query_string": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        return None

    start = time.perf_counter()
    for _ in range(rounds):
        await app(scope, receive, send)
    return (time.perf_counter() - start) / rounds * 1e6


def _page_runs(rounds: int, *, measured: bool) -> float:
    def page() -> None:
        return None

    start = time.perf_counter()
    for _ in range(rounds):
        if measured:
            began = time.perf_counter()
            with on_page("karte"):
                page()
            record_script_run("karte", "completed", time.perf_counter() - began)
        else:
            page()
    return (time.perf_counter() - start) / rounds * 1e6


def main() -> None:
    handler = logging.StreamHandler(_Discard())
    handler.setFormatter(JsonLines())
    EVENTS.addHandler(handler)
    EVENTS.setLevel(logging.INFO)
    EVENTS.propagate = False
    bare = asyncio.run(_requests(_answer, ROUNDS))
    logged = asyncio.run(_requests(RequestLog(_answer), ROUNDS))
    run_bare = _page_runs(ROUNDS, measured=False)
    run_measured = _page_runs(ROUNDS, measured=True)
    request_us = round(logged - bare, 1)
    script_run_us = round(run_measured - run_bare, 1)
    result = {
        "claim": "request log and script-run measuring cost < 100 us each",
        "rounds": ROUNDS,
        "request_overhead_us": request_us,
        "script_run_overhead_us": script_run_us,
        "meets_target": max(request_us, script_run_us) < LIMIT_US,
    }
    print(
        f"request: {bare:.1f} us bare, {logged:.1f} us with RequestLog; "
        f"script run: {run_bare:.2f} us bare, {run_measured:.1f} us measured"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
