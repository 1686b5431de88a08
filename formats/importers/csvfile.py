"""CSV text: encoding, separator and rows, numbered as a spreadsheet shows them."""

from __future__ import annotations

import csv
import io
import logging
from typing import Final

import numpy as np
import pandas as pd

from formats.importers.base import ImportFileError, RawTable
from rules.errors import N_

# Tried in this order; a German Excel saves CSV as Windows-1252.
_ENCODINGS: Final = ("utf-8-sig", "cp1252", "latin-1")
_SEPARATORS: Final = (";", ",", "\t", "|")
# A header without any separator means one column; this one never occurs in text.
_ONE_COLUMN: Final = "\x1f"

_log = logging.getLogger(__name__)


def decode_text(data: bytes) -> str:
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _separator(header_line: str) -> str:
    """The separator that splits the header most often; ';' wins a tie."""
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else _ONE_COLUMN


def _header(names: list[str], filename: str) -> list[str]:
    cleaned = [
        name.strip().lstrip("\ufeff").strip() or f"column_{i}" for i, name in enumerate(names, 1)
    ]
    seen: set[str] = set()
    for name in cleaned:
        if name in seen:
            raise ImportFileError(
                N_("The header of {filename} has the column {column} twice."),
                filename=filename,
                column=name,
            )
        seen.add(name)
    return cleaned


def read_csv(data: bytes, *, filename: str) -> RawTable:
    """Read a CSV file into strings; rows are numbered as a spreadsheet does.

    The separator is sniffed from the header (';', ',', tab or '|'). Empty
    lines are skipped but counted. Every value stays text; parsing numbers
    (with decimal commas) is up to the layer. Raises ImportFileError for a
    file without records or with a row that has more or fewer fields than
    the header (empty trailing fields are tolerated).
    """
    text = decode_text(data)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first_line))
    header: list[str] | None = None
    records: list[list[str]] = []
    numbers: list[int] = []
    row = 0
    try:
        for fields in reader:
            row += 1
            if not "".join(fields).strip():
                continue
            if header is None:
                header = _header(fields, filename)
                continue
            if len(fields) != len(header):
                extra = fields[len(header) :]
                if len(fields) < len(header) or any(f.strip() for f in extra):
                    raise ImportFileError(
                        N_(
                            "Row {row} of {filename} has {found} fields; the header has {expected}."
                        ),
                        filename=filename,
                        row=row,
                        found=len(fields),
                        expected=len(header),
                    )
                fields = fields[: len(header)]
            records.append(fields)
            numbers.append(row)
    except csv.Error as exc:
        _log.info("CSV %s unreadable near row %d: %s", filename, row + 1, exc)
        raise ImportFileError(
            N_(
                "The file {filename} cannot be read as CSV near row {row}: a quotation mark "
                "or a separator is out of place."
            ),
            filename=filename,
            row=row + 1,
        ) from exc
    if header is None or not records:
        raise ImportFileError(N_("The file {filename} has no rows or features."), filename=filename)
    table = pd.DataFrame(records, columns=header, dtype="str")
    return RawTable(
        table=table,
        rows=np.asarray(numbers, dtype=np.int64),
        geometry=None,
        crs=None,
        crs_assumed=False,
        kind="table",
    )
