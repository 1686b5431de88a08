"""Zipped shapefiles: .shp, .shx, .dbf and .prj of one name, read from a temp folder."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Final

import numpy as np

from formats.importers.archive import Archive
from formats.importers.base import ImportFileError, RawTable
from formats.importers.vectorfile import frame_to_raw, read_frame
from rules.errors import N_

_REQUIRED: Final = (".shx", ".dbf")
_OPTIONAL: Final = (".cpg",)


def _stem(info: zipfile.ZipInfo) -> str:
    return info.filename[: -len(".shp")]


def read_zipped_shapefile(archive: Archive) -> RawTable:
    """Read the one shapefile in `archive`.

    The .prj is required: without it the coordinate system is unknown.
    Members are written under fixed names into a private temporary folder,
    so nothing in the zip decides where a file lands.
    """
    filename = archive.filename
    shapes = archive.find(suffix=".shp")
    if len(shapes) > 1:
        raise ImportFileError(
            N_("The zip file {filename} holds several shapefiles ({found}); put one in each zip."),
            filename=filename,
            found=tuple(info.filename for info in shapes),
        )
    if not shapes:
        raise ImportFileError(
            N_("The zip file {filename} holds no {expected}. It contains: {found}."),
            filename=filename,
            expected=[N_("shapefile (.shp)")],
            found=tuple(archive.names),
        )
    stem = _stem(shapes[0])
    by_name = {info.filename.lower(): info for info in archive.members}

    def member(suffix: str) -> zipfile.ZipInfo | None:
        return by_name.get((stem + suffix).lower())

    missing = [stem + suffix for suffix in _REQUIRED if member(suffix) is None]
    if missing:
        raise ImportFileError(
            N_("The shapefile in {filename} is incomplete: {missing} is missing."),
            filename=filename,
            missing=missing,
        )
    if member(".prj") is None:
        raise ImportFileError(
            N_(
                "The shapefile in {filename} has no .prj file, so its coordinate system "
                "is unknown. Add the .prj file to the zip."
            ),
            filename=filename,
        )
    with tempfile.TemporaryDirectory(prefix="sq-import-") as folder:
        for suffix in (".shp", *_REQUIRED, ".prj", *_OPTIONAL):
            info = member(suffix)
            if info is not None:
                (Path(folder) / f"layer{suffix}").write_bytes(archive.read(info))
        frame = read_frame(Path(folder) / "layer.shp", filename=filename)
    if frame.crs is None:
        raise ImportFileError(
            N_("The coordinate system {crs} named in {filename} is not known."),
            filename=filename,
            crs=".prj",
        )
    return frame_to_raw(frame, filename=filename, rows=np.arange(1, len(frame) + 1))
