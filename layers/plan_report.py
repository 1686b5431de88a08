"""The plan of measures as a document: a static map per quarter, its indicators and
its measures, as PDF (reportlab) and HTML. Made on the server, nothing loaded from
elsewhere. Texts come in already translated.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import segno
from reportlab.graphics.shapes import Drawing, Path
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from layers.fonts import document_font
from layers.plan_map import drawing_svg

# No., measure, kind, working group, responsible, priority, cost, target date, status:
# the title gets the room; the others hold their longest word at 7.5 pt ("Beleuchtung",
# "Bauordnungsamt", "vorgeschlagen", "1.250.000 €", "01.05.2027").
_COLUMN_SHARES = (0.045, 0.19, 0.11, 0.12, 0.14, 0.075, 0.1, 0.1, 0.12)
_BANNER_FILL = "#fff3b0"
# The width of the page's text (A4, 1.5 cm margins) and of a section's map, in points.
TEXT_WIDTH = A4[0] - 3 * cm
MAP_HEIGHT = TEXT_WIDTH * 0.6
QR_SIZE = 2.2 * cm  # a measure's QR code on paper: read from about 25 cm
_QR_BORDER = 2  # modules of quiet zone around a QR code


@dataclass(frozen=True, slots=True)
class MeasureDetail:
    """One measure below a quarter's table: its heading, what residents said (lines, in
    order) and the absolute address of its public page, printed and as a QR code (None:
    no public page, no code)."""

    heading: str
    lines: Sequence[str]
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """One quarter of the report."""

    heading: str
    map: Drawing  # layers.plan_map, as wide as the page's text
    indicators: Sequence[tuple[str, str]]  # (label, figure with its count)
    measures_header: Sequence[str]
    measures: Sequence[Sequence[str]]
    empty_text: str  # said when the quarter has no measures
    details: Sequence[MeasureDetail] = ()
    details_heading: str = ""


def _styles() -> dict[str, ParagraphStyle]:
    font = document_font()
    base = getSampleStyleSheet()
    return {
        name: ParagraphStyle(name, parent=base[parent], fontName=font, **extra)
        for name, parent, extra in (
            ("title", "Title", {}),
            ("h2", "Heading2", {}),
            ("body", "BodyText", {"fontSize": 9, "leading": 11}),
            ("cell", "BodyText", {"fontSize": 7.5, "leading": 9}),
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
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
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
    banner: str | None = None  # said at the top of every page (demo data)


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
    width = TEXT_WIDTH
    for number, section in enumerate(sections):
        if number:
            story.append(PageBreak())
        story += [
            Paragraph(escape(section.heading), styles["h2"]),
            section.map,
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
            columns = len(section.measures_header)
            shares = _COLUMN_SHARES if columns == len(_COLUMN_SHARES) else None
            widths = [width * f for f in shares] if shares else [width / columns] * columns
            story.append(KeepTogether([heading, _table(rows, styles["cell"], widths)]))
        else:
            story.append(
                KeepTogether([heading, Paragraph(escape(section.empty_text), styles["body"])])
            )
        if section.details:
            story.append(Paragraph(escape(section.details_heading), styles["h2"]))
            story += [_detail_pdf(detail, styles, width) for detail in section.details]
    story += [Spacer(1, 0.5 * cm)]
    story += [Paragraph(escape(line), styles["small"]) for line in [*sources, made]]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=2.5 * cm if doc.banner else 2 * cm,
    )
    on_page = _banner_painter(doc.banner)
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def qr_drawing(text: str, size: float = QR_SIZE) -> Drawing:
    """`text` as a QR code (segno, error correction M) of `size` points, quiet zone
    included: one path of its dark modules, vector in the PDF."""
    matrix = segno.make(text, error="m").matrix
    modules = len(matrix) + 2 * _QR_BORDER
    step = size / modules
    path = Path(fillColor=colors.black, strokeColor=None)
    for row, cells in enumerate(matrix):
        top = size - (row + _QR_BORDER) * step
        column = 0
        while column < len(cells):  # one rectangle per run of dark modules
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < len(cells) and cells[column]:
                column += 1
            left, right = (start + _QR_BORDER) * step, (column + _QR_BORDER) * step
            path.moveTo(left, top)
            path.lineTo(right, top)
            path.lineTo(right, top - step)
            path.lineTo(left, top - step)
            path.closePath()
    drawing = Drawing(size, size)
    drawing.add(path, name="qr")
    return drawing


def qr_svg(text: str, title: str) -> str:
    """`text` as an inline SVG QR code named `title` for screen readers."""
    svg: str = segno.make(text, error="m").svg_inline(scale=3, border=_QR_BORDER, title=title)
    return svg


def _detail_pdf(detail: MeasureDetail, styles: dict[str, ParagraphStyle], width: float) -> Table:
    """A measure's heading, residents' words and address beside its QR code."""
    text = [Paragraph(f"<b>{escape(detail.heading)}</b>", styles["body"])]
    text += [Paragraph(escape(line), styles["body"]) for line in detail.lines]
    code: object = ""
    if detail.address:
        text.append(Paragraph(escape(detail.address), styles["small"]))
        code = qr_drawing(detail.address)
    table = Table([[code, text]], colWidths=[QR_SIZE + 0.3 * cm, width - QR_SIZE - 0.3 * cm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    return table


def _banner_painter(banner: str | None) -> Callable[[Canvas, object], None]:
    """What draws `banner` in a bold band across the top of a page (nothing without)."""

    def paint(canvas: Canvas, _document: object) -> None:
        if not banner:
            return
        font = document_font()
        width, height = A4
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(_BANNER_FILL))
        canvas.setStrokeColor(colors.HexColor("#222222"))
        canvas.rect(1.5 * cm, height - 1.9 * cm, width - 3 * cm, 0.9 * cm, fill=1, stroke=1)
        canvas.setFillColor(colors.HexColor("#222222"))
        canvas.setFont(font, 12)
        canvas.drawCentredString(width / 2, height - 1.6 * cm, banner)
        canvas.restoreState()

    return paint


def plan_html(doc: PlanDocument, *, lang: str) -> str:
    """The same report as one self-contained HTML page (every text escaped)."""
    title, subtitle, sections = doc.title, doc.subtitle, doc.sections
    indicators_heading, measures_heading = doc.indicators_heading, doc.measures_heading
    sources, made = doc.sources, doc.made
    parts = [
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;"
        "text-align:left}figure{margin:0}figure svg{max-width:100%;height:auto}"
        ".measure{display:flex;gap:1em;align-items:flex-start;border-bottom:1px solid #ccc;"
        "padding:.4em 0}.measure p{margin:.2em 0}"
        ".demo{border:3px solid #222;background:#fff3b0;color:#222;font-weight:bold;"
        "font-size:1.3em;padding:.4em .8em}.wide{overflow-x:auto}</style></head><body>",
        f'<p class="demo" role="note">{escape(doc.banner)}</p>' if doc.banner else "",
        f"<h1>{escape(title)}</h1><p>{escape(subtitle)}</p>",
    ]
    for section in sections:
        # The map is SVG this app drew (layers.plan_map), its texts escaped by reportlab.
        svg = drawing_svg(section.map, section.heading)
        parts.append(f"<h2>{escape(section.heading)}</h2><figure>{svg}</figure>")
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
            parts.append(f'<div class="wide"><table><tr>{head}</tr>{body}</table></div>')
        else:
            parts.append(f"<p>{escape(section.empty_text)}</p>")
        if section.details:
            parts.append(f"<h3>{escape(section.details_heading)}</h3>")
            parts += [_detail_html(detail) for detail in section.details]
    parts.append("<p>" + "<br>".join(escape(s) for s in [*sources, made]) + "</p></body></html>")
    return "".join(parts)


def _detail_html(detail: MeasureDetail) -> str:
    """A measure's heading, residents' words and address beside its QR code (inline
    SVG, drawn here: nothing loaded from elsewhere)."""
    text = [f"<p><strong>{escape(detail.heading)}</strong></p>"]
    text += [f"<p>{escape(line)}</p>" for line in detail.lines]
    code = ""
    if detail.address:
        text.append(f"<p><small>{escape(detail.address)}</small></p>")
        code = qr_svg(detail.address, detail.heading)
    return f'<div class="measure">{code}<div>{"".join(text)}</div></div>'
