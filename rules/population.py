"""Residents per statistical district, from a CSV the city publishes or a planner supplies.

Accepted columns (German or English names): statistischer_bezirk_nr / district_id,
einwohner / residents, and optionally stichtag / as_of (YYYY-MM-DD). Separator
`,` or `;`. Every row is checked; one bad row refuses the whole file with its line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Final

from rules.errors import N_, ValidationError

_ID_COLUMNS: Final = ("statistischer_bezirk_nr", "district_id", "bezirk_nr")
_RESIDENT_COLUMNS: Final = ("einwohner", "residents", "population")
_DATE_COLUMNS: Final = ("stichtag", "as_of", "date")
MAX_BYTES: Final = 1_000_000


@dataclass(frozen=True, slots=True)
class Residents:
    district_id: str
    residents: int
    as_of: date | None


def read_population_csv(data: bytes) -> list[Residents]:
    """The rows of a residents CSV; ValidationError names the first problem."""
    if len(data) > MAX_BYTES:
        raise ValidationError(N_("The file is too large for a table of residents."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    reader = csv.DictReader(io.StringIO(text), dialect=_dialect(text))
    fields = {name.strip().lower(): name for name in reader.fieldnames or []}
    id_col = _pick(fields, _ID_COLUMNS)
    residents_col = _pick(fields, _RESIDENT_COLUMNS)
    date_col = next((fields[c] for c in _DATE_COLUMNS if c in fields), None)
    rows: list[Residents] = []
    seen: set[str] = set()
    for line, record in enumerate(reader, start=2):
        district = (record.get(id_col) or "").strip()
        if not district:
            continue
        residents = _residents(record.get(residents_col), line)
        if district in seen:
            raise ValidationError(
                N_("Line {line}: district {district} appears twice."), line=line, district=district
            )
        seen.add(district)
        rows.append(Residents(district, residents, _as_of(record.get(date_col or ""), line)))
    if not rows:
        raise ValidationError(N_("The file holds no residents per district."))
    return rows


def _dialect(text: str) -> type[csv.Dialect]:
    """The separator of the header line, `,` or `;`; a single column has none to find."""
    header = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(header, delimiters=",;")
    except csv.Error:
        return csv.excel


def _pick(fields: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        if name in fields:
            return fields[name]
    raise ValidationError(N_("The file needs a column {names}."), names=" / ".join(names))


def _residents(raw: str | None, line: int) -> int:
    cleaned = (raw or "").strip().replace(".", "").replace(" ", "")
    if not cleaned.isdigit():
        raise ValidationError(
            N_("Line {line}: '{value}' is not a number of residents."), line=line, value=raw or ""
        )
    return int(cleaned)


def _as_of(raw: str | None, line: int) -> date | None:
    if not raw or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError(
            N_("Line {line}: '{value}' is not a date (YYYY-MM-DD)."), line=line, value=raw
        ) from None
