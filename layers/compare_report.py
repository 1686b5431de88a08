"""The comparison as one printable HTML document: figures embedded, every text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd

_STYLE = """
body { font-family: "Source Sans 3", "DejaVu Sans", sans-serif; margin: 2em; color: #222; }
h1 { margin-bottom: 0.1em; } .sub { color: #555; margin-top: 0; }
h2 { font-size: 1.2em; margin: 1.2em 0 0.4em; }
.demo { border: 3px solid #222; background: #fff3b0; color: #222; font-size: 1.3em;
  font-weight: bold; padding: 0.4em 0.8em; margin: 0 0 1em; }
figure { margin: 0.5em 0; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.85em; width: 100%; page-break-inside: avoid; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
td.few { color: #707070; font-style: italic; }
.note, .sources { color: #555; font-size: 0.85em; }
@media print { body { margin: 1cm; } .demo { -webkit-print-color-adjust: exact;
  print-color-adjust: exact; } }
"""


@dataclass(frozen=True, slots=True)
class TableSection:
    """A table of the page under its own heading, with a note beneath."""

    heading: str
    table: pd.DataFrame  # the index names the rows
    note: str = ""


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
    banner: str | None = None,
    felt: TableSection | None = None,
    table_heading: str = "",
    summary_heading: str = "",
    figure_headings: Sequence[str] = (),
) -> str:
    """A self-contained page (no links out): print it or save it as PDF from the browser.
    `banner` (demo data) stands above the title in a bold box; `felt` (felt next to
    recorded) comes after the figures, before the indicator `table`. The headings are
    the screen's: `figure_headings` (one per image, "" for none) and `summary_heading`."""
    # The figures are SVG this app wrote (layers.compare_figures), their texts escaped.
    headings = [*figure_headings, *[""] * (len(images) - len(figure_headings))]
    pictures = "".join(
        (f"<h2>{escape(h)}</h2>" if h else "") + f"<figure>{svg}</figure>"
        for h, svg in zip(headings, images, strict=False)
    )
    points = (f"<h2>{escape(summary_heading)}</h2>" if summary_heading and summary else "") + (
        f"<ul>{''.join(f'<li>{escape(s)}</li>' for s in summary)}</ul>" if summary else ""
    )
    top = f'<p class="demo" role="note">{escape(banner)}</p>' if banner else ""
    side = ""
    if felt is not None:
        side = (
            f'<section class="felt"><h2>{escape(felt.heading)}</h2>'
            f"{_table_html(felt.table, marker)}"
            + (f'<p class="note">{escape(felt.note)}</p>' if felt.note else "")
            + "</section>"
        )
    heading = f"<h2>{escape(table_heading)}</h2>" if table_heading else ""
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f'{top}<h1>{escape(title)}</h1><p class="sub">{escape(subtitle)}</p>'
        f"{points}{pictures}{side}{heading}{_table_html(table, marker)}"
        + "".join(f'<p class="note">{escape(n)}</p>' for n in notes)
        + f'<p class="sources">{"<br>".join(escape(s) for s in sources)}<br>{escape(made)}</p>'
        + "</body></html>"
    )


def _table_html(table: pd.DataFrame, marker: str) -> str:
    """The table with its index as row headings; cells holding `marker` greyed."""
    header = "".join(f"<th>{escape(str(c))}</th>" for c in table.columns)
    rows = []
    for label, values in table.iterrows():
        cells = "".join(
            f'<td class="{"few" if marker in str(v) else ""}">{escape(str(v))}</td>' for v in values
        )
        rows.append(f"<tr><th>{escape(str(label))}</th>{cells}</tr>")
    return f"<table><tr><th></th>{header}</tr>{''.join(rows)}</table>"
