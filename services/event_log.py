"""The app's log: one JSON object per line on standard error, one line per event.

JSON, because a city's log shipper (journald, Fluent Bit, Vector) reads it field by field
without a pattern of its own. Every line carries `time` (UTC, ISO 8601 with
milliseconds), `level` and `event`; a request, a script run or a note's save adds `page`
(or `route`), `status` or `outcome` and `duration_ms`.

What never goes into a line: the texts of notes and comments, participation numbers, tab
ids, cookies, e-mail addresses, query strings, IP addresses. `event()` takes only the
fields named in FIELDS, and each field's value is a number or one of the app's own fixed
words (a page's address, a route's template, an outcome): the callers pass nothing a
person typed. Messages of the app's other loggers (warnings and errors) go through the
same formatter, so their lines are JSON too; Streamlit's own logger keeps its format.

>>> import json, logging
>>> json.loads(JsonLines().format(logging.makeLogRecord(
...     {"msg": "rerun", "levelname": "INFO", "created": 0.0, "sq": {"page": "karte"}}
... )))["page"]
'karte'
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Final, TextIO

# The logger every event goes to (under it, "sq.events"); the app's other modules log
# under their module names, through the root logger.
EVENTS: Final = logging.getLogger("sq.events")
# The fields an event may carry besides time, level and event.
FIELDS: Final = frozenset(
    {
        "page",
        "route",
        "method",
        "status",
        "outcome",
        "kind",
        "duration_ms",
        "ws",
    }
)
_CONFIGURED_MARK: Final = "_sq_json_lines"


class JsonLines(logging.Formatter):
    """A record as one line of JSON: time, level, event (the message) and the event's
    fields; an exception's class name only (its message might quote what a person sent;
    its traceback goes to Streamlit's own output when Streamlit shows it)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": _iso_utc(record.created),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        fields = getattr(record, "sq", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["logger"] = record.name
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def _iso_utc(created: float) -> str:
    seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
    return f"{seconds}.{int(created % 1 * 1000):03d}Z"


def event(name: str, *, level: int = logging.INFO, **fields: str | int | float) -> None:
    """Log one event with some of FIELDS (a name outside them is a programming error:
    raises ValueError, so a new field is a decision made here, not at a call)."""
    unknown = fields.keys() - FIELDS
    if unknown:
        raise ValueError(f"'fields' may hold only {sorted(FIELDS)}, got {sorted(unknown)}")
    if EVENTS.isEnabledFor(level):
        EVENTS.log(level, name, extra={"sq": fields})


def configure(stream: TextIO | None = None, *, level: int = logging.INFO) -> None:
    """Send events (from `level` up) and the app's other warnings as JSON lines to
    `stream` (standard error). Once per process: a second call changes nothing."""
    root = logging.getLogger()
    if any(getattr(h, _CONFIGURED_MARK, False) for h in root.handlers):
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines())
    setattr(handler, _CONFIGURED_MARK, True)
    root.addHandler(handler)
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    EVENTS.setLevel(level)
