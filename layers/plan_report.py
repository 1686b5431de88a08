"""The plan of measures as a document: a static map per quarter, its indicators and
its measures, as PDF (reportlab) and HTML. Made on the server, nothing loaded from
elsewhere. Texts come in already translated.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import shapely
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from shapely.geometry.base import BaseGeometry

from layers.mpl_shapes import add_outlines, add_polygons

STATUS_COLOURS = {
    "proposed": "#999999",
    "discussed": "#0072b2",
    "decided": "#e69f00",
    "in_progress": "#56b4e9",
    "done": "#009e73",
    "rejected": "#cc79a7",
}
_FONT = "DejaVuSans"
# No., measure, kind, working group, responsible, status: the title gets the room.
_COLUMN_SHARES = (0.07, 0.33, 0.15, 0.15, 0.14, 0.16)
_FONT_FILE = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@dataclass(frozen=True, slots=True)
class MapMeasure:
    number: int
    place: BaseGeometry  # metric CRS
    status: str


@dataclass(frozen=True, slots=True)
class Section:
    """One quarter of the report."""

    heading: str
    map_png: bytes
    indicators: Sequence[tuple[str, str]]  # (label, figure with its count)
    measures_header: Sequence[str]
    measures: Sequence[Sequence[str]]
    empty_text: str  # said when the quarter has no measures


def plan_map_png(
    outline: BaseGeometry,
    pins: gpd.GeoDataFrame,
    hot_cells: gpd.GeoDataFrame,
    measures: Sequence[MapMeasure],
    *,
    crs: str,
    legend: dict[str, str],
) -> bytes:
    """A static map in `crs` (metres): the quarter, its notes, its significant hot cells
    and its measures numbered and coloured by status."""
    del crs  # every geometry comes in the same metric CRS; the map needs no other
    figure, ax = plt.subplots(figsize=(7.0, 4.2))
    add_polygons(ax, [outline], facecolors="#f4f4f4", edgecolors="none")
    add_outlines(ax, [outline], colors="#222222", linewidths=1.2)
    if len(hot_cells):
        add_polygons(
            ax, hot_cells.geometry.to_numpy(), facecolors="#f03b20", alpha=0.35, edgecolors="none"
        )
    if len(pins):
        points = pins.geometry.to_numpy()
        ax.scatter(shapely.get_x(points), shapely.get_y(points), s=3, c="#444444", alpha=0.6)
    for measure in measures:
        colour = STATUS_COLOURS.get(measure.status, "#000000")
        point = measure.place.representative_point()
        if measure.place.geom_type != "Point":
            add_outlines(ax, [measure.place], colors=colour, linewidths=2)
        ax.plot(point.x, point.y, marker="o", ms=13, color=colour, mec="white", mew=1.5)
        ax.annotate(
            str(measure.number),
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=7,
            color="white",
            weight="bold",
        )
    handles = [
        plt.Line2D([], [], marker="o", ls="", color=STATUS_COLOURS[s], label=text, ms=8)
        for s, text in legend.items()
        if s in STATUS_COLOURS
    ]
    if handles:
        ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=True)
    ax.set_axis_off()
    ax.set_aspect("equal")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=130, pil_kwargs={"compress_level": 1})
    plt.close(figure)
    return buffer.getvalue()


def _styles() -> dict[str, ParagraphStyle]:
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_FONT, str(_FONT_FILE)))
    base = getSampleStyleSheet()
    return {
        name: ParagraphStyle(name, parent=base[parent], fontName=_FONT, **extra)
        for name, parent, extra in (
            ("title", "Title", {}),
            ("h2", "Heading2", {}),
            ("body", "BodyText", {"fontSize": 9, "leading": 11}),
            ("small", "BodyText", {"fontSize": 7.5, "leading": 9, "textColor": colors.grey}),
        )
    }


def _table(rows: Sequence[Sequence[str]], style: ParagraphStyle, widths: list[float]) -> Table:
    cells = [[Paragraph(escape(str(c)), style) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """Everything the report says, already worded."""

    title: str
    subtitle: str
    sections: Sequence[Section]
    indicators_heading: str
    measures_heading: str
    sources: Sequence[str]
    made: str


def plan_pdf(doc: PlanDocument) -> bytes:
    """The report as a PDF (A4), one quarter after the other."""
    title, subtitle, sections = doc.title, doc.subtitle, doc.sections
    indicators_heading, measures_heading = doc.indicators_heading, doc.measures_heading
    sources, made = doc.sources, doc.made
    styles = _styles()
    story: list[object] = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(escape(subtitle), styles["body"]),
        Spacer(1, 0.3 * cm),
    ]
    width = A4[0] - 3 * cm
    for number, section in enumerate(sections):
        if number:
            story.append(PageBreak())
        story += [
            Paragraph(escape(section.heading), styles["h2"]),
            Image(io.BytesIO(section.map_png), width=width, height=width * 0.6),
            KeepTogether(
                [
                    Paragraph(escape(indicators_heading), styles["h2"]),
                    _table(section.indicators, styles["body"], [width * 0.6, width * 0.4]),
                ]
            ),
        ]
        heading = Paragraph(escape(measures_heading), styles["h2"])
        if section.measures:
            rows = [section.measures_header, *section.measures]
            shares = _COLUMN_SHARES if len(section.measures_header) == 6 else None
            columns = len(section.measures_header)
            widths = [width * f for f in shares] if shares else [width / columns] * columns
            story.append(KeepTogether([heading, _table(rows, styles["body"], widths)]))
        else:
            story.append(
                KeepTogether([heading, Paragraph(escape(section.empty_text), styles["body"])])
            )
    story += [Spacer(1, 0.5 * cm)]
    story += [Paragraph(escape(line), styles["small"]) for line in [*sources, made]]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=1.5 * cm, rightMargin=1.5 * cm
    )
    document.build(story)
    return buffer.getvalue()


def plan_html(doc: PlanDocument, *, lang: str) -> str:
    """The same report as one self-contained HTML page (every text escaped)."""
    title, subtitle, sections = doc.title, doc.subtitle, doc.sections
    indicators_heading, measures_heading = doc.indicators_heading, doc.measures_heading
    sources, made = doc.sources, doc.made
    parts = [
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;"
        "text-align:left}img{max-width:100%}</style></head><body>",
        f"<h1>{escape(title)}</h1><p>{escape(subtitle)}</p>",
    ]
    for section in sections:
        png = base64.b64encode(section.map_png).decode()
        parts.append(
            f'<h2>{escape(section.heading)}</h2><img alt="" src="data:image/png;base64,{png}">'
        )
        parts.append(f"<h3>{escape(indicators_heading)}</h3><table>")
        parts += [
            f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in section.indicators
        ]
        parts.append(f"</table><h3>{escape(measures_heading)}</h3>")
        if section.measures:
            head = "".join(f"<th>{escape(h)}</th>" for h in section.measures_header)
            body = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                for row in section.measures
            )
            parts.append(f"<table><tr>{head}</tr>{body}</table>")
        else:
            parts.append(f"<p>{escape(section.empty_text)}</p>")
    parts.append("<p>" + "<br>".join(escape(s) for s in [*sources, made]) + "</p></body></html>")
    return "".join(parts)
