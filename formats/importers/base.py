"""Shared types of the importers: the error, the preview, the raw table a reader returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from rules.errors import N_, ValidationError
from rules.layer_meta import ImporterType

DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024
# A zip may unpack to at most this many times max_bytes, and never to more than
# ZIP_MAX_UNPACKED_BYTES: checked on the declared sizes before anything is read.
ZIP_EXPANSION_FACTOR: Final = 10
ZIP_MAX_UNPACKED_BYTES: Final = 200 * 1024 * 1024
ZIP_MAX_MEMBERS: Final = 1000
OUTSIDE_CITY: Final = N_("outside Dortmund")


class ImportFileError(ValidationError):
    """A file cannot be imported; params name the row and what is wrong."""


# What a reader library says (in English, with the server's temporary paths) goes to
# the log; the person who uploaded the file reads these.
UNREADABLE: Final = N_(
    "The file {filename} cannot be read: it is damaged or not the kind of file its name says."
)
BAD_ZIP: Final = N_("The file {filename} is not a readable zip file: it is damaged or incomplete.")
BAD_JSON: Final = N_("The file {filename} is not valid JSON (line {line}, column {column}).")


@dataclass(frozen=True, slots=True)
class Dropped:
    """A row left out of an import, and why.

    `row` is 1-based as a person finds it in the file: the feature number in a
    GeoJSON, GeoPackage layer or shapefile, the row number a spreadsheet shows
    for a CSV (the header is row 1, so the first record is row 2).
    """

    row: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """An imported layer, ready to be shown before it is saved.

    `frame` is in EPSG:4326 with the standard columns of `layer_type`.
    `source_crs` is what the file said, or what was assumed when
    `crs_assumed` is true. `repaired` lists rows whose invalid geometry was
    fixed with make_valid, `clipped` rows cut at the city boundary; `flattened`
    says the file's heights (Z) were left out.
    """

    frame: gpd.GeoDataFrame
    dropped: tuple[Dropped, ...]
    source_crs: str
    layer_type: ImporterType
    crs_assumed: bool = False
    repaired: tuple[int, ...] = ()
    clipped: tuple[int, ...] = ()
    flattened: bool = False


Rows = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class RawTable:
    """What a file reader returns, before any layer rules apply.

    `table` holds the attributes (RangeIndex), `rows` the 1-based row number
    of each record in the file. `geometry` is None for plain tables (CSV,
    GTFS), whose location is in columns; otherwise one shapely geometry (or
    None) per record, in `crs`.
    """

    table: pd.DataFrame
    rows: Rows
    geometry: npt.NDArray[np.object_] | None
    crs: str | None
    crs_assumed: bool
    kind: Literal["table", "vector", "gtfs"]
