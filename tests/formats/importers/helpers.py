"""Builders for test inputs: GeoJSON and CSV bytes, zips, zip bombs, places in and near Dortmund."""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = PROJECT_DIR / "tests" / "data" / "importers"
MIRROR_DIR = Path(
    os.environ.get("SQ_DATA_MIRROR", str(PROJECT_DIR.parent / "shared" / "data" / "dortmund"))
)

# (lon, lat) of places checked against the OSM city outline.
BRACKEL = (7.5550, 51.5270)
HOERDE = (7.5070, 51.4880)
BOEVINGHAUSEN = (7.3180, 51.5140)
CITY_CENTRE = (7.4650, 51.5140)
BOCHUM = (7.2162, 51.4818)  # outside
UNNA = (7.6890, 51.5360)  # outside
# Brackel in EPSG:25832 (metres), from geo.crs.lonlat_to_metric(*BRACKEL)
BRACKEL_M = (399760.2585, 5709421.6328)

MB = 1024 * 1024


def fixture_bytes(name: str) -> bytes:
    return (DATA_DIR / name).read_bytes()


def point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def geojson(features: list[dict[str, Any]], *, crs: str | None = None) -> bytes:
    document: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(document).encode("utf-8")


def csv_bytes(rows: list[list[object]], *, sep: str = ";", encoding: str = "utf-8") -> bytes:
    """A CSV from rows of cells; cells holding the separator are quoted."""

    def cell(value: object) -> str:
        text = str(value)
        return f'"{text}"' if sep in text or '"' in text else text

    return "\r\n".join(sep.join(cell(v) for v in row) for row in rows).encode(encoding) + b"\r\n"


def zip_bytes(members: dict[str, bytes], *, level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bomb(path: Path, *, member: str, unpacked_mb: int, head: bytes = b"") -> bytes:
    """A real zip bomb-lite: `head` and then a long run of zeros, deflated at level 9.

    Written to `path` chunk by chunk, so the zeros never sit in memory at once.
    """
    chunk = bytes(MB)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(member, "w", force_zip64=True) as handle,
    ):
        handle.write(head)
        for _ in range(unpacked_mb):
            handle.write(chunk)
    return path.read_bytes()


def understate_sizes(data: bytes, *, declared: int) -> bytes:
    """Rewrite every size field of a (non-zip64) zip to `declared` bytes: a lying header."""
    out = bytearray(data)
    start = 0
    while (at := out.find(b"PK\x03\x04", start)) != -1:
        struct.pack_into("<I", out, at + 22, declared)  # uncompressed size, local header
        start = at + 4
    start = 0
    while (at := out.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into("<I", out, at + 24, declared)  # uncompressed size, central directory
        start = at + 4
    return bytes(out)


def mark_encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' flag on every member of a zip."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := out.find(signature, start)) != -1:
            (flags,) = struct.unpack_from("<H", out, at + offset)
            struct.pack_into("<H", out, at + offset, flags | 0x1)
            start = at + 4
    return bytes(out)
