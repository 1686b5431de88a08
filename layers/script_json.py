"""JSON for inline map scripts that no text can break out of.

Folium renders a layer's script and branca then parses that output once more as
a Jinja template. A participant's text containing ``{{ … }}`` would otherwise be
evaluated on the server; ``</script>`` would end the script in the browser.
Structural JSON never contains ``{{``, ``{%`` or ``{#`` (an object's ``{`` is
always followed by a quote or ``}``), so every such pair comes from inside a
string and is escaped there, as are ``<``, ``>``, ``&`` and ``'``.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

from branca.element import MacroElement

_ESCAPES: Final = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("'", "\\u0027"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
    ("{{", "{\\u007b"),
    ("{%", "{\\u0025"),
    ("{#", "{\\u0023"),
)


def script_json(value: object) -> str:
    """`value` as compact JSON that is inert in HTML, in a script and for Jinja."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


class SafeScriptElement(MacroElement):
    """A folium element whose template writes data as `{{ this.json(value) }}`, and
    large data as `{{ this.bulk(value) }}` (see deferred_bulk)."""

    json = staticmethod(script_json)

    def bulk(self, value: object) -> str:
        """`value` as script_json, or a token for it while deferred_bulk is in force."""
        pending = _PENDING.get()
        if pending is None:
            return script_json(value)
        token = pending.tokens.get(id(value))
        if token is None:  # folium renders a script twice: the data is written once
            token = f"SQBULK{next(_NUMBERS)}X"
            pending.tokens[id(value)] = token
            pending.texts[token] = script_json(value)
            pending.values.append(value)  # keeps id(value) unique while pending
        return token


class Bulk:
    """The data of one deferred_bulk block, by token."""

    def __init__(self) -> None:
        self.tokens: dict[int, str] = {}
        self.texts: dict[str, str] = {}
        self.values: list[object] = []

    def fill(self, script: str) -> str:
        """`script` with every token replaced by its data, in one pass: data already
        put in is never searched for tokens again."""
        if not self.texts:
            return script
        return _TOKEN.sub(lambda found: self.texts.get(found.group(), found.group()), script)


@contextmanager
def deferred_bulk() -> Iterator[Bulk]:
    """Within the block, `bulk` data is written as tokens; `fill` the rendered script
    with the returned Bulk. Folium and branca each parse a rendered script once more
    as a Jinja template and scan it with regular expressions: for thousands of pins
    that was most of a map's time (0.15 s for 10,000), for a token it is nothing."""
    pending = Bulk()
    reset = _PENDING.set(pending)
    try:
        yield pending
    finally:
        _PENDING.reset(reset)


_PENDING: ContextVar[Bulk | None] = ContextVar("sq_pending_bulk", default=None)
_NUMBERS = itertools.count()
_TOKEN = re.compile(r"SQBULK[0-9]+X")
