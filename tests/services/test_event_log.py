"""The app's log: one JSON object per line, only the fields it allows, configured once."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest

from services import event_log
from services.event_log import EVENTS, JsonLines, event
from tests.asgi import event_lines


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """Events of this test as JSON lines in a buffer."""
    with event_lines() as buffer:
        yield buffer


def parsed(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_an_event_is_one_json_line_with_time_level_and_fields(lines: io.StringIO) -> None:
    event("request", route="/foto/{id}.jpg", status=404, duration_ms=1.5, method="GET")
    (line,) = parsed(lines)
    assert line["event"] == "request"
    assert line["level"] == "info"
    assert (line["route"], line["status"], line["duration_ms"]) == ("/foto/{id}.jpg", 404, 1.5)
    assert str(line["time"]).endswith("Z") and str(line["time"])[10] == "T"


def test_a_field_outside_the_list_is_refused(lines: io.StringIO) -> None:
    with pytest.raises(ValueError, match=r"'fields' may hold only .* got \['text'\]"):
        event("note save", text="Hier ist es dunkel")
    assert lines.getvalue() == ""


def test_a_line_break_in_a_value_stays_in_one_line(lines: io.StringIO) -> None:
    event("script run", page='karte\n{"forged": 1}')
    assert len(lines.getvalue().splitlines()) == 1
    (line,) = parsed(lines)
    assert "forged" not in line


def test_an_exception_is_logged_by_class_name_only() -> None:
    try:
        raise ValueError("max.mustermann@example.org wrote: Hier ist es dunkel")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, "f", 1, "save failed", (), sys.exc_info())
    line = json.loads(JsonLines().format(record))
    assert line["error"] == "ValueError"
    assert "example.org" not in json.dumps(line) and "dunkel" not in json.dumps(line)


def test_configure_once_sends_events_and_other_warnings_as_json() -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    level = EVENTS.level
    buffer = io.StringIO()
    try:
        event_log.configure(buffer)
        event_log.configure(io.StringIO())  # a second call changes nothing
        assert len(root.handlers) == len(before) + 1
        event("script run", page="plan", outcome="completed", duration_ms=12.5)
        logging.getLogger("store.db").warning("PostgreSQL: %s", "connection refused")
        logging.getLogger("store.db").info("not shown: below the warning level")
    finally:
        for handler in root.handlers[len(before) :]:
            root.removeHandler(handler)
        EVENTS.setLevel(level)
    run, warning = parsed(buffer)
    assert (run["event"], run["page"], run["duration_ms"]) == ("script run", "plan", 12.5)
    assert (warning["level"], warning["logger"]) == ("warning", "store.db")
    assert warning["event"] == "PostgreSQL: connection refused"
