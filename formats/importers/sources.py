"""Which reader a file needs: by its first bytes, then by its name."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Final, Literal

from formats.importers.archive import Archive, is_zip, open_archive
from formats.importers.base import ImportFileError, RawTable
from formats.importers.csvfile import read_csv
from formats.importers.geojson import read_geojson
from formats.importers.geopackage import GPKG_MAGIC, read_geopackage
from formats.importers.gtfs import has_stops, read_gtfs_stops
from formats.importers.shapefile import read_zipped_shapefile
from rules.errors import N_

Format = Literal["geojson", "gpkg", "zip", "csv"]

_BY_SUFFIX: Final[dict[str, Format]] = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "zip",
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
}
_MEMBER_SUFFIXES: Final = (".geojson", ".json", ".gpkg", ".csv")
_SHAPEFILE_PARTS: Final = (".shp", ".shx", ".dbf", ".prj")
SUPPORTED: Final = [".geojson", ".json", ".gpkg", ".zip", ".csv"]


def _megabytes(size_bytes: int) -> float:
    return round(size_bytes / (1024 * 1024), 2)


def check_size(data: bytes, *, filename: str, max_bytes: int) -> None:
    """Refuse an empty file or one larger than max_bytes, before any parsing."""
    if len(data) > max_bytes:
        raise ImportFileError(
            N_("The file {filename} is {size_mb} MB; at most {limit_mb} MB can be imported."),
            filename=filename,
            size_mb=_megabytes(len(data)),
            limit_mb=_megabytes(max_bytes),
            size_bytes=len(data),
            limit_bytes=max_bytes,
        )
    if not data or data.isspace():
        raise ImportFileError(N_("The file {filename} is empty."), filename=filename)


def detect_format(data: bytes, *, filename: str) -> Format:
    if is_zip(data):
        return "zip"
    if data.startswith(GPKG_MAGIC):
        return "gpkg"
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix in _SHAPEFILE_PARTS:
        raise ImportFileError(
            N_(
                "A shapefile is several files; upload them together as one zip "
                "(.shp, .shx, .dbf and .prj)."
            )
        )
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "geojson"
    raise ImportFileError(
        N_("The file type of {filename} is not supported. Use one of: {formats}."),
        filename=filename,
        formats=SUPPORTED,
    )


def _from_archive(archive: Archive, *, layer: str | None, gtfs: bool) -> RawTable:
    if gtfs and has_stops(archive):
        return read_gtfs_stops(archive)
    if archive.find(suffix=".shp"):
        return read_zipped_shapefile(archive)
    candidates = [info for suffix in _MEMBER_SUFFIXES for info in archive.find(suffix=suffix)]
    if not candidates:
        expected = [N_("GTFS stops.txt")] if gtfs else []
        expected += [N_("shapefile (.shp)"), "GeoJSON", "GeoPackage", "CSV"]
        raise ImportFileError(
            N_("The zip file {filename} holds no {expected}. It contains: {found}."),
            filename=archive.filename,
            expected=expected,
            found=tuple(archive.names or ["-"]),
        )
    if len(candidates) > 1:
        raise ImportFileError(
            N_("The zip file {filename} holds several files to import ({found}); keep one."),
            filename=archive.filename,
            found=tuple(info.filename for info in candidates),
        )
    (info,) = candidates
    member = archive.read(info)
    name = f"{archive.filename}/{info.filename}"
    if not member or member.isspace():
        raise ImportFileError(N_("The file {filename} is empty."), filename=name)
    fmt = detect_format(member, filename=info.filename)
    if fmt == "zip":
        raise ImportFileError(
            N_("The zip file {filename} holds another zip; please unpack it first."),
            filename=archive.filename,
        )
    return _read_plain(member, fmt, filename=name, layer=layer)


def _read_plain(data: bytes, fmt: Format, *, filename: str, layer: str | None) -> RawTable:
    if fmt == "geojson":
        return read_geojson(data, filename=filename)
    if fmt == "gpkg":
        return read_geopackage(data, filename=filename, layer=layer)
    return read_csv(data, filename=filename)


def read_source(
    data: bytes, *, filename: str, max_bytes: int, layer: str | None = None, gtfs: bool = False
) -> RawTable:
    """Check the size, find the format and read the file into a RawTable.

    With `gtfs`, a zip holding stops.txt is read as a GTFS feed.
    """
    check_size(data, filename=filename, max_bytes=max_bytes)
    fmt = detect_format(data, filename=filename)
    if fmt == "zip":
        archive = open_archive(data, filename=filename, max_bytes=max_bytes)
        return _from_archive(archive, layer=layer, gtfs=gtfs)
    return _read_plain(data, fmt, filename=filename, layer=layer)
