"""JSON for inline map scripts that no text can break out of.

Folium renders a layer's script and branca then parses that output once more as
a Jinja template. A participant's text containing ``{{ … }}`` would otherwise be
evaluated on the server; ``</script>`` would end the script in the browser.
Structural JSON never contains ``{{``, ``{%`` or ``{#`` (an object's ``{`` is
always followed by a quote or ``}``), so every such pair comes from inside a
string and is escaped there, as are ``<``, ``>``, ``&`` and ``'``.
"""

from __future__ import annotations

import json
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
    """A folium element whose template writes data as `{{ this.json(value) }}`."""

    json = staticmethod(script_json)
