"""The public API of formats.importers: names, argument checks and the preview's shape."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from shapely.geometry import LineString, Polygon

import formats.importers as importers
from formats.importers import (
    DEFAULT_MAX_BYTES,
    Dropped,
    ImportFileError,
    ImportPreview,
    read_layer,
)
from rules.errors import ValidationError
from rules.layer_meta import IMPORTER_TYPES
from tests.formats.importers.helpers import fixture_bytes


def test_the_public_names():
    assert set(importers.__all__) >= {
        "Dropped",
        "ImportFileError",
        "ImportPreview",
        "read_layer",
    }
    assert IMPORTER_TYPES == ("vector", "stops", "accidents", "survey", "lamps")
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


def test_read_layer_takes_its_options_by_keyword_only():
    parameters = inspect.signature(read_layer).parameters
    assert parameters["data"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    keyword_only = [n for n, p in parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert keyword_only == ["filename", "layer_type", "city", "max_bytes", "layer"]
    assert parameters["max_bytes"].default == 50 * 1024 * 1024


def test_the_error_is_a_validation_error_with_msgid_and_params(city):
    with pytest.raises(ValidationError) as info:
        read_layer(b"", filename="x.csv", layer_type="vector", city=city)
    assert isinstance(info.value, ImportFileError)
    assert info.value.msgid == "The file {filename} is empty."
    assert info.value.params == {"filename": "x.csv"}


def test_preview_and_dropped_are_frozen(city):
    preview = read_layer(
        fixture_bytes("places.geojson"), filename="p.geojson", layer_type="vector", city=city
    )
    assert isinstance(preview, ImportPreview)
    with pytest.raises(dataclasses.FrozenInstanceError):
        preview.layer_type = "stops"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        preview.dropped[0].row = 1  # type: ignore[misc]
    assert isinstance(preview.dropped[0], Dropped)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"layer_type": "roads"}, "'layer_type' should be one of"),
        ({"city": LineString([(7, 51), (8, 52)])}, "'city' should be a non-empty"),
        ({"city": Polygon()}, "'city' should be a non-empty"),
        ({"max_bytes": 0}, "'max_bytes' should be positive"),
    ],
)
def test_wrong_arguments_are_programming_errors(options, message, city):
    arguments = {"filename": "p.geojson", "layer_type": "vector", "city": city, **options}
    with pytest.raises(ValueError, match=message) as info:
        read_layer(fixture_bytes("places.geojson"), **arguments)
    assert not isinstance(info.value, ImportFileError)
