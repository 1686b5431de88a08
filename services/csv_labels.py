"""What every CSV export calls its columns and coded values: German, for Excel.

One dict of German column headings (COLUMNS) serves the notes', layers', measures'
and comparison's CSV; coded values get their German labels from the catalogue
(services.i18n.translate(msgid, "de")). GeoJSON and GeoPackage keep the codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from formats.export import CsvLabels
from rules.labs import FORMATS, WORKING_GROUPS
from rules.measures import MEASURE_TYPES, PRIORITIES, STATUSES
from rules.pins import TEXT_NONE, TEXT_PENDING, TEXT_RELEASED
from rules.vocab import CATEGORIES, SEVERITIES, TIME_BANDS
from services.i18n import translate

CSV_LANGUAGE: Final = "de"

# The German heading of every column a CSV export may hold (fields of pins, measures,
# the comparison's table, the places). Columns of imported layers not named here
# keep their own names.
COLUMNS: Final[dict[str, str]] = {
    "id": "Nr.",
    "quarter_id": "Bezirks-Nr.",
    "quarter": "Quartier",
    "category": "Kategorie",
    "time_band": "Tageszeit",
    "severity": "Wie unsicher",
    "text": "Text",
    "created_at": "Gemeldet am",
    "session_id": "Sitzungs-Nr.",
    "channel": "Weg der Meldung",
    "working_group": "Arbeitsgruppe",
    "text_status": "Textstatus",
    "supports": "Unterstützungen",
    "title": "Titel",
    "type": "Art der Maßnahme",
    "responsible": "Zuständig",
    "priority": "Priorität",
    "cost_eur": "Kosten (EUR)",
    "target_date": "Zieldatum",
    "status": "Status",
    "status_reason": "Begründung",
    "pin_ids": "Hinweis-Nrn.",
    "indicator": "Kennzahl",
    "value": "Wert",
    "unit": "Einheit",
    "count": "Anzahl",
    "base": "Grundgesamtheit",
    "enough": "Genug Hinweise",
    "lon": "Längengrad",
    "lat": "Breitengrad",
    "wkt": "Geometrie (WKT)",
}
# Not in the catalogue: the CSV is German only.
_TEXT_STATUSES: Final = {
    TEXT_NONE: "kein Text",
    TEXT_PENDING: "wartet auf Moderation",
    TEXT_RELEASED: "freigegeben",
}


def _german(vocabulary: Mapping[Any, str]) -> dict[Any, str]:
    return {code: translate(label, CSV_LANGUAGE) for code, label in vocabulary.items()}


def pins_csv_labels() -> CsvLabels:
    """Headings and labels of the notes' CSV (also fine for layers: unknown columns
    stay as they are)."""
    severities = _german(SEVERITIES)
    severities[None] = translate("no answer", CSV_LANGUAGE)
    return CsvLabels(
        columns=COLUMNS,
        values={
            "category": _german(CATEGORIES),
            "time_band": _german(TIME_BANDS),
            "severity": severities,
            "channel": _german(FORMATS),
            "working_group": _german(WORKING_GROUPS),
            "text_status": _TEXT_STATUSES,
        },
    )


def measures_csv_labels() -> CsvLabels:
    """Headings and labels of the measures' CSV."""
    return CsvLabels(
        columns=COLUMNS,
        values={
            "type": _german(MEASURE_TYPES),
            "working_group": _german(WORKING_GROUPS),
            "priority": _german(PRIORITIES),
            "status": _german(STATUSES),
        },
    )


def comparison_csv_labels(*, decimals: int = 2) -> CsvLabels:
    """Headings of the comparison's CSV; values keep `decimals` decimals."""
    return CsvLabels(columns=COLUMNS, decimals={"value": decimals, "base": decimals})
