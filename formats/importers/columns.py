"""Finding columns by their usual names, and reading values that name their row."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from formats.importers.base import ImportFileError, Rows
from rules.errors import N_

T = TypeVar("T")

_UMLAUTS: Final = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_SPACES: Final = re.compile(r"[\s_]+")
_FOUND_MAX: Final = 40


def normalise(name: object) -> str:
    """Lower case, umlauts spelled out, spaces and '_' runs as one '_', none at the ends.

    "_location_latitude" -> "location_latitude", "Länge" -> "laenge".
    """
    text = str(name).strip().lstrip("\ufeff").lower().translate(_UMLAUTS)
    return _SPACES.sub("_", text).strip("_")


def name_keys(name: object) -> tuple[str, ...]:
    """The names a column answers to: in full, and without a form's group path.

    KoboToolbox writes "group_x/safety", ODK Central "group_x-safety" and
    "location-Latitude".
    """
    text = str(name)
    keys = [normalise(text), normalise(text.replace("-", "_"))]
    for separator in ("/", "-"):
        if separator in text:
            keys.append(normalise(text.rsplit(separator, 1)[-1]))
    return tuple(dict.fromkeys(k for k in keys if k))


@dataclass(frozen=True, slots=True)
class Field:
    """A column the importer looks for, under any of its usual names.

    `names` are normalised and tried in order; a column whose name ends with
    one of `suffixes` (for example "_latitude") matches after all names.
    """

    label: str
    names: tuple[str, ...]
    suffixes: tuple[str, ...] = ()


def _rank(column: object, field: Field) -> int | None:
    keys = name_keys(column)
    ranks = [field.names.index(k) for k in keys if k in field.names]
    if ranks:
        return min(ranks)
    if any(k.endswith(s) for k in keys for s in field.suffixes):
        return len(field.names)
    return None


def find_column(columns: Sequence[object], field: Field, *, filename: str) -> str | None:
    """The one column that holds `field`, or None; two equally good ones are an error."""
    ranked = [(rank, str(c)) for c in columns if (rank := _rank(c, field)) is not None]
    if not ranked:
        return None
    best = min(rank for rank, _ in ranked)
    winners = [c for rank, c in ranked if rank == best]
    if len(winners) > 1:
        raise ImportFileError(
            N_("In {filename}, several columns could hold {field}: {columns}. Keep one."),
            filename=filename,
            field=[field.label],  # a list, so the UI translates the label
            columns=tuple(winners),
        )
    return winners[0]


def found_columns(columns: Sequence[object]) -> list[str]:
    names = [str(c) for c in columns]
    return names if len(names) <= _FOUND_MAX else [*names[:_FOUND_MAX], "…"]


def require_columns(
    columns: Sequence[object], fields: Mapping[str, Field], *, filename: str
) -> dict[str, str]:
    """Map each key of `fields` to its column; name every missing one at once."""
    found = {key: find_column(columns, field, filename=filename) for key, field in fields.items()}
    missing = [fields[key].label for key, column in found.items() if column is None]
    if missing:
        raise ImportFileError(
            N_(
                "The file {filename} lacks the columns {missing}. "
                "Expected: {expected}. Found: {found}."
            ),
            filename=filename,
            missing=missing,
            expected=[field.label for field in fields.values()],
            found=tuple(found_columns(columns) or ["-"]),
        )
    return {key: column for key, column in found.items() if column is not None}


def optional_columns(
    columns: Sequence[object], fields: Mapping[str, Field], *, filename: str
) -> dict[str, str | None]:
    return {key: find_column(columns, field, filename=filename) for key, field in fields.items()}


# --- values ----------------------------------------------------------------------


def texts(series: pd.Series) -> list[str]:
    """Every value as stripped text; missing values become ""."""
    return [
        ""
        if value is None or (isinstance(value, float) and math.isnan(value))
        else str(value).strip()
        for value in series.astype(object).where(series.notna(), None)
    ]


def parse_decimal(text: str) -> float | None:
    """A number written with a decimal point or a decimal comma; None if it is none.

    "51,5" and "51.5" are 51.5; with both marks the last one is the decimal
    mark ("1.234,5" and "1,234.5" are 1234.5).
    """
    value = text.strip().replace(" ", "")
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif value.count(",") == 1:
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _fail_empty(row: int, column: str) -> ImportFileError:
    return ImportFileError(N_("Row {row}: {column} is empty."), row=row, column=column)


def numbers(
    series: pd.Series, rows: Rows, *, column: str, required: bool = True
) -> npt.NDArray[np.float64]:
    """Parse a column of numbers; empty cells are NaN unless `required`."""
    out = np.full(len(series), np.nan)
    for i, text in enumerate(texts(series)):
        if not text:
            if required:
                raise _fail_empty(int(rows[i]), column)
            continue
        number = parse_decimal(text)
        if number is None:
            raise ImportFileError(
                N_("Row {row}: {column} is “{value}”, which is not a number."),
                row=int(rows[i]),
                column=column,
                value=text,
            )
        out[i] = number
    return out


def numbers_in_range(
    series: pd.Series,
    rows: Rows,
    *,
    column: str,
    low: float,
    high: float,
    required: bool = True,
) -> npt.NDArray[np.float64]:
    """Numbers from `low` to `high` (inclusive); empty cells NaN unless `required`."""
    values = numbers(series, rows, column=column, required=required)
    bad = ~np.isnan(values) & ((values < low) | (values > high))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ImportFileError(
            N_("Row {row}: {column} is {value}; expected a number from {low} to {high}."),
            row=int(rows[i]),
            column=column,
            value=texts(series.iloc[[i]])[0],
            low=low,
            high=high,
        )
    return values


def whole_numbers(
    series: pd.Series, rows: Rows, *, column: str, low: int, high: int
) -> npt.NDArray[np.int64]:
    """Required whole numbers (codes) from `low` to `high`; "01" and "1.0" are 1."""
    values = numbers(series, rows, column=column)
    bad = (values != np.round(values)) | (values < low) | (values > high)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ImportFileError(
            N_("Row {row}: {column} is {value}; expected a whole number from {low} to {high}."),
            row=int(rows[i]),
            column=column,
            value=texts(series.iloc[[i]])[0],
            low=low,
            high=high,
        )
    return values.astype(np.int64)


def word_key(text: str) -> str:
    """A free-text answer reduced for lookup: lower case, umlauts spelled out, one space."""
    return " ".join(text.lower().translate(_UMLAUTS).replace("_", " ").split())


def words(
    series: pd.Series,
    rows: Rows,
    *,
    column: str,
    vocabulary: Mapping[str, T],
    allowed: Sequence[str],
    default: T | None = None,
) -> list[T]:
    """Map answers through `vocabulary` (keys made with word_key).

    Empty cells take `default`, or are an error when there is none.
    """
    out: list[T] = []
    for i, text in enumerate(texts(series)):
        if not text:
            if default is None:
                raise _fail_empty(int(rows[i]), column)
            out.append(default)
            continue
        value = vocabulary.get(word_key(text))
        if value is None:
            raise ImportFileError(
                N_("Row {row}: {column} is “{value}”; expected one of: {allowed}."),
                row=int(rows[i]),
                column=column,
                value=text,
                allowed=list(allowed),
            )
        out.append(value)
    return out


def required_texts(series: pd.Series, rows: Rows, *, column: str) -> list[str]:
    values = texts(series)
    for i, text in enumerate(values):
        if not text:
            raise _fail_empty(int(rows[i]), column)
    return values
