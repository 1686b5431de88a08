"""/healthz and /metrics as the load balancer and Prometheus meet them, and the request log
around them (services.request_log.RequestLog)."""

from __future__ import annotations

import asyncio
import io
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from rules.errors import StoreUnavailableError
from services.metrics import REGISTRY
from services.request_log import RequestLog
from tests.asgi import Answer, event_lines, get
from ui import operations


@pytest.fixture
def app() -> Starlette:
    async def page(request: Any) -> PlainTextResponse:
        return PlainTextResponse("<html>")

    return Starlette(
        routes=[
            operations.HEALTH_ROUTE,
            operations.METRICS_ROUTE,
            Route("/", page),
            Route("/foto/{id:int}.jpg", page),
        ],
        middleware=[Middleware(RequestLog)],
    )


@pytest.fixture(autouse=True)
def no_check_under_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(operations, "_running", None)


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    with event_lines() as buffer:
        yield buffer


async def _get(app: Starlette, path: str, query: bytes = b"") -> Answer:
    return await get(app, path, query=query, headers=((b"cookie", b"sq_teilnahme=geheim-123"),))


def fetch(app: Starlette, *paths: str, query: bytes = b"") -> list[Answer]:
    """GET the paths at once, in an event loop of its own thread."""

    async def all_at_once() -> list[Answer]:
        return list(await asyncio.gather(*(_get(app, path, query) for path in paths)))

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, all_at_once()).result()


def test_health_is_ok_when_the_database_answers(
    app: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[int] = []
    monkeypatch.setattr(operations, "_check_database", lambda: checks.append(1))
    ((status, headers, body, _answered),) = fetch(app, "/healthz")
    assert status == 200
    assert json.loads(body)["status"] == "ok"
    assert headers["cache-control"] == "no-store"
    assert checks == [1]


def test_health_is_503_with_retry_after_when_the_database_is_gone(
    app: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> None:
        raise StoreUnavailableError("The database server cannot be reached right now.")

    monkeypatch.setattr(operations, "_check_database", unreachable)
    before = REGISTRY.get_sample_value(
        "sq_failures_total", {"source": "health", "kind": "StoreUnavailableError"}
    )
    ((status, headers, body, _answered),) = fetch(app, "/healthz")
    assert status == 503
    assert json.loads(body) == {"status": "unavailable", "database": "unreachable"}
    assert headers["retry-after"] == str(operations.RETRY_AFTER_S)
    assert headers["cache-control"] == "no-store"
    after = REGISTRY.get_sample_value(
        "sq_failures_total", {"source": "health", "kind": "StoreUnavailableError"}
    )
    assert after == (before or 0) + 1


def test_a_hanging_database_gets_503_in_time_and_one_check_for_many_requests(
    app: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    release = threading.Event()

    def hangs() -> None:
        calls.append(1)
        release.wait(5)

    monkeypatch.setattr(operations, "_check_database", hangs)
    monkeypatch.setattr(operations, "HEALTH_TIMEOUT_S", 0.3)
    try:
        answers = fetch(app, "/healthz", "/healthz", "/healthz")
    finally:
        release.set()
    assert [status for status, *_ in answers] == [503, 503, 503]
    assert all(answered < 1.5 for *_, answered in answers)
    assert calls == [1]


def test_metrics_are_prometheus_text_with_the_apps_series(app: Starlette) -> None:
    fetch(app, "/")
    ((status, headers, body, _answered),) = fetch(app, "/metrics")
    assert status == 200
    assert headers["content-type"].startswith("text/plain; version=0.0.4")
    assert headers["cache-control"] == "no-store"
    names = {family.name for family in text_string_to_metric_families(body.decode())}
    assert {"sq_http_requests", "sq_http_request_seconds", "process_resident_memory_bytes"} <= names


def test_one_log_line_per_request_with_route_status_and_duration_only(
    app: Starlette, log: io.StringIO
) -> None:
    fetch(app, "/foto/12.jpg", "/", query=b"code=K7Q2&mail=max%40example.org")
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    assert sorted(line["route"] for line in lines) == ["/", "/foto/{id}.jpg"]
    for line in lines:
        assert line["event"] == "request" and line["status"] == 200
        assert isinstance(line["duration_ms"], float)
    assert next(line for line in lines if line["route"] == "/")["page"] == "karte"
    text = log.getvalue()
    for secret in ("K7Q2", "example.org", "geheim-123", "203.0.113.9", "12.jpg"):
        assert secret not in text
