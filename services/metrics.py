"""The app's Prometheus metrics, in one registry of their own (ui/operations.py serves it
at /metrics).

Every label takes a value from a fixed, short list written in this code: a page is one
of PAGES (the addresses app.py gives its pages), a route one of ROUTES, an outcome, a
status class ("2xx"), an error's class name from the app's own error hierarchy. No label
ever holds a query string, a note's id or text, a tab id, a cookie, an e-mail address,
an IP address or anything else a person sent: a scanner asking for a thousand made-up
addresses adds no series.

Sessions and the database pool are read when Prometheus asks (watch_sessions,
watch_pool): the server's screens floor (ui/) knows where they are; this module does not.
Each app process has its own numbers: Prometheus scrapes every process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Final

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from rules.errors import SQError, ValidationError
from rules.pins import Pin, PinDraft
from services.event_log import event
from store import Store
from store.pg_pool import PoolStats

# The pages' addresses (app.py's url_path of each st.Page; tests/services/test_metrics.py
# checks the two lists agree). A page outside them is counted as OTHER.
PAGES: Final = frozenset(
    {
        "karte",
        "mein-hinweis",
        "plan",
        "massnahme",
        "folgen",
        "datenschutz",
        "leichte-sprache",
        "barrierefreiheit",
        "anmelden",
        "sitzungen",
        "moderation",
        "planer",
        "vergleich",
        "massnahmen",
        "daten",
        "verwaltung",
        "praesentation",
    }
)
# The page at "/" (app.py's default page).
MAIN_PAGE: Final = "karte"
OTHER: Final = "other"
# The kinds of HTTP route (services.request_log.route_of names each request's).
ROUTES: Final = (
    "page",
    "stream",
    "stcore",
    "upload",
    "static",
    "component",
    "media",
    "tile",
    "photo",
    "keep_login",
    "health",
    "metrics",
    OTHER,
)
RUN_OUTCOMES: Final = ("completed", "rerun", "stopped", "failed")
SAVE_OUTCOMES: Final = ("saved", "refused", "failed")
# Where a failure was met.
FAILURE_SOURCES: Final = ("page", "save", "request", "health")
UNEXPECTED: Final = "unexpected"

# No "_created" series beside every counter and histogram: half the lines, no use here.
disable_created_metrics()
REGISTRY: Final = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

_RUN_BUCKETS_S: Final = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_SAVE_BUCKETS_S: Final = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

SCRIPT_RUNS: Final = Counter(
    "sq_script_runs",
    "Script runs of a page (one per rerun), by how they ended.",
    ("page", "outcome"),
    registry=REGISTRY,
)
SCRIPT_RUN_SECONDS: Final = Histogram(
    "sq_script_run_seconds",
    "How long a page's script run took (the page itself, after the frame's sidebar).",
    ("page",),
    buckets=_RUN_BUCKETS_S,
    registry=REGISTRY,
)
NOTE_SAVES: Final = Counter(
    "sq_note_saves",
    "Notes a participant saved: saved (stored, or found stored by a repeated click), "
    "refused (a rule: session closed, rate limit) or failed (the database).",
    ("outcome",),
    registry=REGISTRY,
)
NOTE_SAVE_SECONDS: Final = Histogram(
    "sq_note_save_seconds",
    "How long saving a note in the database took.",
    ("outcome",),
    buckets=_SAVE_BUCKETS_S,
    registry=REGISTRY,
)
FAILURES: Final = Counter(
    "sq_failures",
    "Failures by where they were met and kind (the app's error class, or 'unexpected').",
    ("source", "kind"),
    registry=REGISTRY,
)
HTTP_REQUESTS: Final = Counter(
    "sq_http_requests",
    "HTTP requests answered, by route kind and status class (WebSockets: when closed).",
    ("route", "status"),
    registry=REGISTRY,
)
HTTP_REQUEST_SECONDS: Final = Histogram(
    "sq_http_request_seconds",
    "How long answering an HTTP request took (WebSockets not included).",
    ("route",),
    registry=REGISTRY,
)
WEBSOCKETS_OPEN: Final = Gauge(
    "sq_websockets_open",
    "WebSocket connections open now (one per browser tab showing the app).",
    registry=REGISTRY,
)

# The page whose script run this thread is in (set by ui.page_metrics.run_measured).
_PAGE: ContextVar[str] = ContextVar("sq_page", default=OTHER)


def page_label(url_path: str) -> str:
    """A page's label: its address from PAGES ("" is the main page), else OTHER."""
    name = url_path.strip("/") or MAIN_PAGE
    return name if name in PAGES else OTHER


def failure_kind(exc: BaseException) -> str:
    """The error's class name when it is one of the app's own (SQError's hierarchy, all
    written in this code base), else UNEXPECTED."""
    return type(exc).__name__ if isinstance(exc, SQError) else UNEXPECTED


def count_failure(source: str, exc: BaseException) -> None:
    FAILURES.labels(source=source, kind=failure_kind(exc)).inc()


def status_class(status: int) -> str:
    """'2xx' for 200 to 299, and so on ('1xx' for a WebSocket's 101)."""
    return f"{status // 100}xx" if 100 <= status <= 599 else OTHER


# -- script runs ---------------------------------------------------------------------


@contextmanager
def on_page(page: str) -> Iterator[None]:
    """Within: events (a note's save) name `page` (a label from page_label)."""
    token = _PAGE.set(page)
    try:
        yield
    finally:
        _PAGE.reset(token)


def current_page() -> str:
    return _PAGE.get()


def record_script_run(page: str, outcome: str, duration_s: float) -> None:
    SCRIPT_RUNS.labels(page=page, outcome=outcome).inc()
    SCRIPT_RUN_SECONDS.labels(page=page).observe(duration_s)
    event("script run", page=page, outcome=outcome, duration_ms=_ms(duration_s))


# -- note saves ----------------------------------------------------------------------


def save_note(store: Store, draft: PinDraft) -> Pin:
    """store.add_pin(draft), timed and counted by outcome, with one log line (the page,
    the outcome, the duration; never the note). Raises what add_pin raises."""
    start = time.perf_counter()
    outcome = "failed"
    try:
        pin = store.add_pin(draft)
        outcome = "saved"
        return pin
    except ValidationError:
        outcome = "refused"
        raise
    except BaseException as exc:
        count_failure("save", exc)
        raise
    finally:
        duration_s = time.perf_counter() - start
        NOTE_SAVES.labels(outcome=outcome).inc()
        NOTE_SAVE_SECONDS.labels(outcome=outcome).observe(duration_s)
        event("note save", page=current_page(), outcome=outcome, duration_ms=_ms(duration_s))


# -- HTTP ----------------------------------------------------------------------------


def record_request(route: str, status: int, duration_s: float) -> None:
    HTTP_REQUESTS.labels(route=route, status=status_class(status)).inc()
    HTTP_REQUEST_SECONDS.labels(route=route).observe(duration_s)


# -- read when scraped ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionCounts:
    """Streamlit's sessions in this process: with a browser tab connected, and all kept
    (a tab that lost its connection is kept a while to resume)."""

    active: int
    kept: int


_sources: dict[str, Callable[[], object]] = {}


def watch_sessions(read: Callable[[], SessionCounts | None]) -> None:
    """Read the sessions with `read` at every scrape (None: no runtime yet)."""
    _sources["sessions"] = read


def watch_pool(read: Callable[[], PoolStats | None]) -> None:
    """Read the database pool with `read` at every scrape (None: no store open)."""
    _sources["pool"] = read


class _Watched(Collector):
    def collect(self) -> Iterable[Metric]:
        sessions = _read("sessions")
        if isinstance(sessions, SessionCounts):
            yield _gauge(
                "sq_sessions_active", "Sessions with a browser tab connected.", sessions.active
            )
            yield _gauge(
                "sq_sessions", "Sessions kept (connected, or waiting to resume).", sessions.kept
            )
        pool = _read("pool")
        if isinstance(pool, PoolStats):
            yield _gauge("sq_db_pool_size", "Database connections kept at most.", pool.size)
            yield _gauge("sq_db_pool_idle", "Database connections open and idle.", pool.idle)
            if pool.in_use is not None:
                yield _gauge("sq_db_pool_in_use", "Database connections in use.", pool.in_use)
            if pool.waiting is not None:
                yield _gauge(
                    "sq_db_pool_waiting", "Callers waiting for a database connection.", pool.waiting
                )


def _read(name: str) -> object:
    read = _sources.get(name)
    if read is None:
        return None
    try:
        return read()
    except Exception as exc:  # a scrape shows what it can; the failure is counted
        count_failure("request", exc)
        return None


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


REGISTRY.register(_Watched())


def exposition() -> bytes:
    """Every metric in Prometheus' text format."""
    return generate_latest(REGISTRY)


def _ms(duration_s: float) -> float:
    return round(duration_s * 1000, 1)
