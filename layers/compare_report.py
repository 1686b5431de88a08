"""The comparison as one printable HTML document: figures embedded, every text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pandas as pd

_STYLE = """
body { font-family: "Source Sans 3", "DejaVu Sans", sans-serif; margin: 2em; color: #222; }
h1 { margin-bottom: 0.1em; } .sub { color: #555; margin-top: 0; }
figure { margin: 0.5em 0; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.85em; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
td.few { color: #9a9a9a; font-style: italic; }
.note, .sources { color: #555; font-size: 0.85em; }
@media print { body { margin: 1cm; } }
"""


def report_html(
    *,
    title: str,
    subtitle: str,
    summary: Sequence[str],
    images: Sequence[str],
    table: pd.DataFrame,
    marker: str,
    notes: Sequence[str],
    sources: Sequence[str],
    made: str,
    lang: str,
) -> str:
    """A self-contained page (no links out): print it or save it as PDF from the browser."""
    rows = []
    header = "".join(f"<th>{escape(str(c))}</th>" for c in table.columns)
    for label, values in table.iterrows():
        cells = "".join(
            f'<td class="{"few" if marker in str(v) else ""}">{escape(str(v))}</td>' for v in values
        )
        rows.append(f"<tr><th>{escape(str(label))}</th>{cells}</tr>")
    # The figures are SVG this app wrote (layers.compare_figures), their texts escaped.
    pictures = "".join(f"<figure>{svg}</figure>" for svg in images)
    points = "".join(f"<li>{escape(s)}</li>" for s in summary)
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="sub">{escape(subtitle)}</p>'
        f"<ul>{points}</ul>{pictures}"
        f"<table><tr><th></th>{header}</tr>{''.join(rows)}</table>"
        + "".join(f'<p class="note">{escape(n)}</p>' for n in notes)
        + f'<p class="sources">{"<br>".join(escape(s) for s in sources)}<br>{escape(made)}</p>'
        + "</body></html>"
    )
