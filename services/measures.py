"""The plan's measures as a frame, and their exports (through formats.export: the
sources inside every file, no spreadsheet formula in a CSV cell)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Final

import geopandas as gpd

from formats.export import MEDIA_TYPES, SUFFIXES, CsvLabels, to_csv_zip, to_geojson
from geo.crs import STORAGE_CRS
from rules.measures import Measure
from services.csv_labels import measures_csv_labels

EXPORT_NAME: Final = "massnahmen"
# The measures' own column beside the headings all CSVs share (services.csv_labels).
_DESCRIPTION_HEADING: Final = {"description": "Beschreibung"}


def measures_frame(measures: Sequence[Measure]) -> gpd.GeoDataFrame:
    """The measures as a frame for the GeoJSON and CSV exports."""
    return gpd.GeoDataFrame(
        {
            "id": [m.id for m in measures],
            "title": [m.title for m in measures],
            "description": [m.description for m in measures],
            "type": [m.measure_type for m in measures],
            "quarter_id": [m.quarter_id for m in measures],
            "working_group": [m.working_group for m in measures],
            "responsible": [m.responsible for m in measures],
            "priority": [m.priority for m in measures],
            "cost_eur": [m.cost_eur for m in measures],
            "target_date": [m.target_date.isoformat() if m.target_date else None for m in measures],
            "status": [m.status for m in measures],
            "status_reason": [m.status_reason for m in measures],
            "pin_ids": [" ".join(str(p) for p in m.pin_ids) for m in measures],
        },
        geometry=[m.place for m in measures],
        crs=STORAGE_CRS,
    )


def measures_geojson(
    measures: Sequence[Measure], *, sources: Sequence[str], about: Mapping[str, Any]
) -> bytes:
    """The measures as a GeoJSON FeatureCollection with the sources in its metadata."""
    return to_geojson(measures_frame(measures), sources=sources, about=about)


def measures_csv(
    measures: Sequence[Measure], *, sources: Sequence[str], about: Mapping[str, Any]
) -> bytes:
    """The measures as CSV for German Excel (places as WKT, German headings and labels,
    target dates as TT.MM.JJJJ), zipped with SOURCES.txt."""
    frame = measures_frame(measures)
    frame["target_date"] = [m.target_date for m in measures]
    return to_csv_zip(
        frame,
        name=EXPORT_NAME,
        sources=sources,
        about=about,
        wkt=True,
        labels=_labels(),
    )


def _labels() -> CsvLabels:
    shared = measures_csv_labels()
    return replace(shared, columns={**shared.columns, **_DESCRIPTION_HEADING})


def export_file(fmt: str) -> tuple[str, str]:
    """(file name, media type) of the measures' export in `fmt` ("geojson" or "csv")."""
    return f"{EXPORT_NAME}{SUFFIXES[fmt]}", MEDIA_TYPES[fmt]
