"""GTFS feeds: the stops.txt of a zipped timetable."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from formats.importers.archive import Archive
from formats.importers.base import ImportFileError, RawTable
from formats.importers.csvfile import read_csv
from geo.crs import STORAGE_CRS
from rules.errors import N_

STOPS_MEMBER: Final = "stops.txt"


def has_stops(archive: Archive) -> bool:
    return bool(_stops_members(archive))


def _stops_members(archive: Archive) -> list[str]:
    return [
        info.filename
        for info in archive.find(suffix=STOPS_MEMBER)
        if info.filename.rsplit("/", 1)[-1].lower() == STOPS_MEMBER
    ]


def read_gtfs_stops(archive: Archive) -> RawTable:
    """Read stops.txt of a GTFS zip (at its root or in one folder); WGS84 by the spec."""
    names = _stops_members(archive)
    if not names:
        raise ImportFileError(
            N_("The zip file {filename} holds no {expected}. It contains: {found}."),
            filename=archive.filename,
            expected=[STOPS_MEMBER],
            found=tuple(archive.names),
        )
    if len(names) > 1:
        raise ImportFileError(
            N_("The zip file {filename} holds several files to import ({found}); keep one."),
            filename=archive.filename,
            found=tuple(names),
        )
    (info,) = [i for i in archive.members if i.filename == names[0]]
    raw = read_csv(archive.read(info), filename=f"{archive.filename}/{info.filename}")
    return replace(raw, crs=STORAGE_CRS, crs_assumed=False, kind="gtfs")
