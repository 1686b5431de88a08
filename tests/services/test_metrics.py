"""The metrics: what a save, a script run and a request count, and that no label can
take a value from outside the app's fixed lists."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from rules.errors import StoreUnavailableError, ValidationError
from rules.pins import PinDraft
from services import metrics
from services.metrics import PAGES, REGISTRY, page_label, save_note
from services.request_log import route_of
from store import Store, open_store
from store.pg_pool import PoolStats
from tests.conftest import PROJECT_DIR


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "pins.sqlite"))
    yield opened
    opened.close()


def draft(text: str = "", token: str = "t-1") -> PinDraft:
    return PinDraft(
        lon=7.58, lat=51.53, category="dark", time_band="night", quarter_id="320",
        text=text, token=token,
    )  # fmt: skip


def test_a_saved_note_is_counted_and_timed(store: Store) -> None:
    saves, timed = (
        value("sq_note_saves_total", outcome="saved"),
        value("sq_note_save_seconds_count", outcome="saved"),
    )
    pin = save_note(store, draft())
    assert pin.id > 0
    assert value("sq_note_saves_total", outcome="saved") == saves + 1
    assert value("sq_note_save_seconds_count", outcome="saved") == timed + 1


def test_a_refused_note_is_counted_as_refused_and_raised(store: Store) -> None:
    store.pins_per_minute = 1
    save_note(store, replace(draft(token="a"), participant="p-1"))
    refused = value("sq_note_saves_total", outcome="refused")
    with pytest.raises(ValidationError):
        save_note(store, replace(draft(token="b"), participant="p-1"))  # the rate limit
    assert value("sq_note_saves_total", outcome="refused") == refused + 1


def test_a_failed_save_counts_a_failure_of_the_stores_kind() -> None:
    class Broken:
        def add_pin(self, _draft: PinDraft) -> None:
            raise StoreUnavailableError("The database server cannot be reached right now.")

    failed = value("sq_note_saves_total", outcome="failed")
    kind = value("sq_failures_total", source="save", kind="StoreUnavailableError")
    with pytest.raises(StoreUnavailableError):
        save_note(Broken(), draft())  # type: ignore[arg-type]
    assert value("sq_note_saves_total", outcome="failed") == failed + 1
    assert value("sq_failures_total", source="save", kind="StoreUnavailableError") == kind + 1


def test_an_unexpected_error_is_counted_as_unexpected() -> None:
    assert metrics.failure_kind(ZeroDivisionError()) == "unexpected"
    assert metrics.failure_kind(StoreUnavailableError("x")) == "StoreUnavailableError"


@pytest.mark.parametrize(
    ("url_path", "label"),
    [("", "karte"), ("karte", "karte"), ("/plan", "plan"), ("wp-admin", "other"),
     ("karte?code=ABC", "other"), ("max@example.org", "other")],
)  # fmt: skip
def test_page_labels_come_from_the_fixed_list(url_path: str, label: str) -> None:
    assert page_label(url_path) == label


# Where app.py's tables keep each page's address: (table, index in an entry).
_ADDRESSES = {"RESIDENT_PAGES": 1, "STAFF_PAGES": 0}


def _app_page_paths() -> set[str]:
    """The address of every page in app.py: the url_path of each st.Page written out, and
    those of its tables of residents' and staff pages."""
    tree = ast.parse((PROJECT_DIR / "app.py").read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.keyword)
            and node.arg == "url_path"
            and isinstance(node.value, ast.Constant)
        ):
            found.add(str(node.value.value))
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            index = _ADDRESSES.get(node.targets[0].id)
            if index is not None:
                found |= {entry.elts[index].value for entry in node.value.elts}  # type: ignore[attr-defined]
    return found


def test_the_page_list_is_the_apps() -> None:
    assert _app_page_paths() == PAGES


@pytest.mark.parametrize(
    ("path", "route", "template"),
    [
        ("/", "page", "/"),
        ("/moderation", "page", "/moderation"),
        ("/foto/12.jpg", "photo", "/foto/{id}.jpg"),
        ("/tiles/15/17123/10934.png", "tile", "/tiles/{z}/{x}/{y}.png"),
        ("/_stcore/upload_file/6b1f2c/9a8e", "upload", "/_stcore/upload_file/{session}/{file}"),
        ("/_stcore/stream", "stream", "/_stcore/stream"),
        ("/static/js/index.abc.js", "static", "/static/{file}"),
        ("/app/static/leaflet/leaflet.js", "static", "/app/static/{file}"),
        ("/component/streamlit_folium.st_folium/index.html", "component", "/component/{file}"),
        ("/media/3f2a.png", "media", "/media/{file}"),
        ("/healthz", "health", "/healthz"),
        ("/metrics", "metrics", "/metrics"),
        ("/wp-login.php", "other", "/{other}"),
        ("/max.mustermann@example.org", "other", "/{other}"),
        ("/folgen/abc123", "other", "/{other}"),
    ],
)
def test_routes_are_templates_of_fixed_words(path: str, route: str, template: str) -> None:
    assert route_of(path) == (route, template)
    assert route in metrics.ROUTES


def test_sessions_and_pool_are_read_when_scraped() -> None:
    metrics.watch_sessions(lambda: metrics.SessionCounts(active=2, kept=3))
    metrics.watch_pool(lambda: PoolStats(size=10, idle=4, in_use=3, waiting=1))
    try:
        text = metrics.exposition().decode()
    finally:
        metrics.watch_sessions(lambda: None)
        metrics.watch_pool(lambda: None)
    samples = {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert samples["sq_sessions_active"] == 2
    assert samples["sq_sessions"] == 3
    assert (samples["sq_db_pool_size"], samples["sq_db_pool_in_use"]) == (10, 3)
    assert (samples["sq_db_pool_idle"], samples["sq_db_pool_waiting"]) == (4, 1)


def test_a_failing_source_leaves_the_rest_of_the_scrape() -> None:
    def broken() -> PoolStats:
        raise RuntimeError("pool gone")

    metrics.watch_pool(broken)
    try:
        text = metrics.exposition().decode()
    finally:
        metrics.watch_pool(lambda: None)
    assert "sq_db_pool_size" not in text
    assert "sq_script_runs_total" in text or "sq_failures_total" in text
