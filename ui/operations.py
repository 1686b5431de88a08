"""The operators' endpoints: /healthz for the load balancer and monitoring, /metrics for
Prometheus (services.metrics).

/healthz asks the database for the schema's revision (Store.ping) and answers within
HEALTH_TIMEOUT_S: 200 {"status": "ok", ...}, or 503 with Retry-After when the database
cannot be reached, answers an error or takes too long. Never cached. Checks that arrive
while one is under way wait for that one (one thread at most waits on a database that
hangs, however often the load balancer asks). Neither endpoint says anything about a
person, nor the app's version, nor where the database is.
"""

from __future__ import annotations

import asyncio
import time
from typing import Final

import streamlit as st  # noqa: F401  (every ui/ module is of the app's screens' floor)
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from streamlit.runtime import Runtime

from rules.errors import StoreError
from services import metrics
from store.pg_pool import PoolStats
from ui import resources

HEALTH_TIMEOUT_S: Final = 2.0
RETRY_AFTER_S: Final = 10
_NO_STORE: Final = {"Cache-Control": "no-store"}

# The check under way, shared by every request that arrives meanwhile.
_running: asyncio.Task[None] | None = None


def _check_database() -> None:
    """Open the store (once per process) and read its revision; raises StoreError."""
    resources.opened_store().ping()


async def _shared_check() -> None:
    global _running
    if _running is None or _running.done():
        _running = asyncio.ensure_future(run_in_threadpool(_check_database))
        # Its outcome is read here too: a check whose every waiter gave up is no error.
        _running.add_done_callback(lambda done: done.cancelled() or done.exception())
    # Shielded: a request that gives up (its timeout) leaves the check for the others.
    await asyncio.shield(_running)


async def _health(request: Request) -> Response:
    start = time.perf_counter()
    try:
        await asyncio.wait_for(_shared_check(), timeout=HEALTH_TIMEOUT_S)
    except (StoreError, TimeoutError) as exc:
        metrics.count_failure("health", exc)
        return JSONResponse(
            {"status": "unavailable", "database": "unreachable"},
            status_code=503,
            headers={**_NO_STORE, "Retry-After": str(RETRY_AFTER_S)},
        )
    except Exception as exc:  # an unforeseen failure: unhealthy, and counted
        metrics.count_failure("health", exc)
        return JSONResponse(
            {"status": "unavailable", "database": "error"},
            status_code=503,
            headers={**_NO_STORE, "Retry-After": str(RETRY_AFTER_S)},
        )
    duration_ms = round((time.perf_counter() - start) * 1000, 1)
    return JSONResponse(
        {"status": "ok", "database": "ok", "duration_ms": duration_ms}, headers=_NO_STORE
    )


async def _metrics(request: Request) -> Response:
    global _sessions_seen
    # Streamlit's session manager lives in the event loop's thread: read it here. The rest
    # in a worker thread: the pool's numbers come from the store, which warm_up opened
    # when the server started (should that have failed, a scrape tries to open it, as a
    # page would).
    _sessions_seen = _sessions_now()
    body = await run_in_threadpool(metrics.exposition)
    # The classic text format (0.0.4): what Debian's Prometheus (2.42) and every later
    # one reads; the app's metric names need nothing newer.
    return Response(body, media_type=CONTENT_TYPE_PLAIN_0_0_4, headers=_NO_STORE)


_sessions_seen: metrics.SessionCounts | None = None


def _sessions_now() -> metrics.SessionCounts | None:
    if not Runtime.exists():
        return None
    manager = Runtime.instance()._session_mgr
    return metrics.SessionCounts(
        active=manager.num_active_sessions(), kept=len(manager.list_sessions())
    )


def _sessions() -> metrics.SessionCounts | None:
    return _sessions_seen


def _pool() -> PoolStats | None:
    try:
        return resources.opened_store().db.pool_stats()
    except StoreError:
        return None


metrics.watch_sessions(_sessions)
metrics.watch_pool(_pool)

HEALTH_ROUTE = Route("/healthz", _health, methods=["GET", "HEAD"])
METRICS_ROUTE = Route("/metrics", _metrics, methods=["GET"])
