"""The one definition of a pin's fields: how the store reads and writes each one,
and which column (of which dtype) it is in a pins frame.

Everything else is derived from PIN_FIELDS: the store's SQL column lists, its row
reader and its insert (store.pins), the frame's columns and dtypes (geo.pins).
The fields a store row holds are Pin's fields, in Pin's order.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Final

from rules.pins import Pin

# The frame dtype of a UTC timestamp, parsed from datetimes or stored ISO texts.
DATETIME: Final = "datetime"


@dataclass(frozen=True, slots=True)
class PinField:
    """One field of a stored pin."""

    name: str
    # The SQL expression that reads it from `pins p`; None: written, never read back.
    read: str | None
    # How an insert writes it: "" as given, a SQL type to cast the value to (PostgreSQL
    # cannot tell the type of a bare parameter in INSERT ... SELECT); None: not inserted.
    write: str | None
    # Its dtype in a pins frame (DATETIME for a timestamp); None: not a frame column.
    dtype: str | None


PIN_FIELDS: Final[tuple[PinField, ...]] = (
    PinField("id", "p.id", None, "int64"),
    PinField("quarter_id", "p.quarter_id", "", "object"),
    PinField("lon", "p.lon", "DOUBLE PRECISION", None),  # lon, lat: the frame's geometry
    PinField("lat", "p.lat", "DOUBLE PRECISION", None),
    PinField("category", "p.category", "", "object"),
    PinField("time_band", "p.time_band", "", "object"),
    PinField("severity", "p.severity", "INTEGER", "Int64"),
    PinField("text", "p.text", "", "object"),
    PinField("created_at", "p.created_at", "", DATETIME),
    PinField("token", "p.token", "", None),  # the submitter's key, never shown
    PinField("session_id", "p.session_id", "INTEGER", "Int64"),
    PinField("channel", "p.channel", "", "object"),
    PinField("working_group", "p.working_group", "", "object"),
    PinField("text_status", "p.text_status", "", "object"),
    PinField("hidden", "p.hidden_reason IS NOT NULL OR p.merged_into IS NOT NULL", None, None),
    PinField("supports", "(SELECT count(*) FROM supports s WHERE s.pin_id = p.id)", None, "int64"),
    # Who placed it (a random session id), for the rate limit; never read back.
    PinField("participant", None, "", None),
)

_READS: Final[dict[str, str]] = {f.name: f.read for f in PIN_FIELDS if f.read is not None}
_WRITES: Final[dict[str, str]] = {f.name: f.write for f in PIN_FIELDS if f.write is not None}

# What a store row holds, in order: Pin's fields.
ROW_FIELDS: Final[tuple[str, ...]] = tuple(_READS)
# The columns an insert writes, in order.
INSERT_FIELDS: Final[tuple[str, ...]] = tuple(_WRITES)
# A pins frame's columns (besides its geometry) and their dtypes.
FRAME_DTYPES: Final[dict[str, str]] = {f.name: f.dtype for f in PIN_FIELDS if f.dtype is not None}
# What a pins frame is read from: its place, then its columns.
FRAME_FIELDS: Final[tuple[str, ...]] = ("lon", "lat", *FRAME_DTYPES)

if tuple(f.name for f in fields(Pin)) != ROW_FIELDS:  # pragma: no cover - a programming error
    raise RuntimeError(f"PIN_FIELDS must read Pin's fields in Pin's order, got {ROW_FIELDS}")


def select_list(
    *, names: tuple[str, ...] = ROW_FIELDS, named: bool = False, **overrides: str
) -> str:
    """The SQL column list of a store row (or of the fields `names`, in that order),
    some fields read by another expression (e.g. supports from a joined count);
    `named`: each column named as its field."""
    unknown = (set(overrides) | set(names)) - set(ROW_FIELDS)
    if unknown:
        raise ValueError(f"not fields of a stored pin: {sorted(unknown)}")
    reads = (overrides.get(name, _READS[name]) for name in names)
    if named:
        return ", ".join(f"{read} AS {name}" for read, name in zip(reads, names, strict=True))
    return ", ".join(reads)


def insert_columns() -> str:
    """The column list of an insert."""
    return ", ".join(INSERT_FIELDS)


def insert_values(*, cast: bool) -> str:
    """The SQL value list of an insert: one parameter per column, cast to its type
    where `cast` (in INSERT ... SELECT; VALUES needs no casts)."""
    return ", ".join(f"CAST(? AS {write})" if cast and write else "?" for write in _WRITES.values())
