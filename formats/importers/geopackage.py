"""GeoPackage: one layer, read through GDAL from a private temporary folder."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Final

import numpy as np
import pyogrio

from formats.importers.base import UNREADABLE, ImportFileError, RawTable
from formats.importers.vectorfile import frame_to_raw, read_frame
from rules.errors import N_

GPKG_MAGIC: Final = b"SQLite format 3\x00"

_log = logging.getLogger(__name__)


def _spatial_layers(path: Path, filename: str) -> list[str]:
    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio raises several unrelated types for broken files
        # GDAL's English words and the server's temporary path go to the log only.
        _log.info("GeoPackage %s unreadable: %s", filename, exc)
        raise ImportFileError(UNREADABLE, filename=filename) from exc
    return [str(name) for name, geometry_type in layers if geometry_type is not None]


def read_geopackage(data: bytes, *, filename: str, layer: str | None = None) -> RawTable:
    """Read one layer of a GeoPackage: `layer`, or the only layer with geometries.

    Several spatial layers and no `layer` given is an error that lists them.
    """
    with tempfile.TemporaryDirectory(prefix="sq-import-") as folder:
        path = Path(folder) / "upload.gpkg"
        path.write_bytes(data)
        layers = _spatial_layers(path, filename)
        if not layers:
            raise ImportFileError(
                N_("The GeoPackage {filename} has no layer with geometries."), filename=filename
            )
        if layer is None:
            if len(layers) > 1:
                raise ImportFileError(
                    N_("The GeoPackage {filename} has several layers ({layers}); choose one."),
                    filename=filename,
                    layers=tuple(layers),
                )
            layer = layers[0]
        elif layer not in layers:
            raise ImportFileError(
                N_("The GeoPackage {filename} has no layer {layer}. Its layers: {layers}."),
                filename=filename,
                layer=layer,
                layers=tuple(layers),
            )
        frame = read_frame(path, filename=filename, layer=layer)
    return frame_to_raw(frame, filename=filename, rows=np.arange(1, len(frame) + 1))
