"""What an operator reads while a participant saves a note: /metrics counts the save, the
script runs and the sessions; /healthz answers; the server's log is one JSON line per
event and holds nothing of the person. And /healthz says 503 at once when the database
has stopped, and 200 again when it is back."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from datapack.loading import load_districts
from devtools.app_server import AppServer
from devtools.pg_cluster import PgCluster
from services.participant_cookie import NAME as PARTICIPATION_COOKIE
from tests.browser.mapdriver import fill_and_save, settle, tap
from tests.browser.test_shared_map import join, open_brackel_lab

pytestmark = pytest.mark.browser

NOTE_TEXT = "Unter der Brücke ist es abends stockdunkel"
E_MAIL = "max.mustermann@example.org"


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def get(url: str) -> tuple[int, dict[str, str], str, float]:
    """Status, headers (lower-case names), body and seconds taken of a GET."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            status, headers, body = answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        status, headers, body = refused.code, dict(refused.headers), refused.read()
    lower = {name.lower(): value for name, value in headers.items()}
    return status, lower, body.decode(), time.perf_counter() - start


def samples(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def one(
    found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def logged_server(tmp_path: Path) -> Any:
    server = AppServer(db_path=tmp_path / "pins.sqlite", log_path=tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


def test_a_saved_note_is_counted_and_the_log_holds_nothing_of_the_person(
    logged_server: AppServer, new_page: Any
) -> None:
    server = logged_server
    code = open_brackel_lab(server)
    page = new_page()
    frame = join(page, server.url, code)
    brackel = load_districts().geometry("320").representative_point()
    tap(frame, brackel.x, brackel.y)
    page.get_by_text("Ihr Hinweis zum markierten Ort").wait_for()
    fill_and_save(page, category="zu dunkel", time_band="nachts", text=f"{NOTE_TEXT}, {E_MAIL}")
    page.get_by_text("Danke! Ihr Hinweis ist auf der Karte.").wait_for()
    settle(page)
    (cookie,) = [c for c in page.context.cookies() if c["name"] == PARTICIPATION_COOKIE]

    status, headers, body, _seconds = get(f"{server.url}/metrics")
    assert status == 200 and headers["cache-control"] == "no-store"
    found = samples(body)
    assert one(found, "sq_note_saves_total", outcome="saved") == 1
    assert one(found, "sq_note_save_seconds_count", outcome="saved") == 1
    assert one(found, "sq_script_runs_total", page="karte", outcome="completed") >= 2
    assert one(found, "sq_script_run_seconds_count", page="karte") >= 3
    assert one(found, "sq_sessions_active") >= 1
    assert one(found, "sq_websockets_open") >= 1
    assert one(found, "sq_db_pool_idle") >= 1
    assert one(found, "sq_http_requests_total", route="page", status="2xx") >= 1
    for (_name, labels), _value in found.items():
        for _label, label_value in labels:
            assert code not in label_value and "@" not in label_value

    status, headers, body, _seconds = get(f"{server.url}/healthz")
    assert (status, json.loads(body)["status"]) == (200, "ok")

    page.context.close()  # the tab closes: its WebSocket's line is written
    server.stop()
    lines = Path(server.log_path or "").read_text().splitlines()
    events = [json.loads(line) for line in lines]  # every line is one JSON object
    for event in events:
        assert {"time", "level", "event"} <= event.keys()
        if event["event"] in ("request", "script run", "note save"):
            assert ("page" in event or "route" in event) and "duration_ms" in event
    (save,) = [e for e in events if e["event"] == "note save"]
    assert (save["page"], save["outcome"]) == ("karte", "saved")
    assert any(e["event"] == "script run" and e["page"] == "karte" for e in events)
    assert any(e["event"] == "websocket closed" for e in events)
    log = "\n".join(lines)
    for secret in (NOTE_TEXT, "stockdunkel", E_MAIL, "example.org", cookie["value"], code):
        assert secret not in log, secret


def test_health_is_503_at_once_while_the_database_is_stopped_and_200_when_back(
    tmp_path: Path,
) -> None:
    with PgCluster() as cluster:
        server = AppServer(
            db_path=cluster.create_database("sq_health"), log_path=tmp_path / "server.log"
        )
        server.start()
        try:
            status, headers, _body, _seconds = get(f"{server.url}/healthz")
            assert status == 200
            cluster.stop()
            status, headers, body, seconds = get(f"{server.url}/healthz")
            assert (status, json.loads(body)["status"]) == (503, "unavailable")
            assert headers["retry-after"] == "10" and headers["cache-control"] == "no-store"
            assert seconds < 3
            cluster.start()
            status, _headers, _body, _seconds = get(f"{server.url}/healthz")
            assert status == 200
            found = samples(get(f"{server.url}/metrics")[2])
            assert (
                one(found, "sq_failures_total", source="health", kind="StoreUnavailableError") == 1
            )
            assert one(found, "sq_db_pool_size") == 10
        finally:
            server.stop()
