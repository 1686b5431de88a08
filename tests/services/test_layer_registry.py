"""The layer registry without a page (services.layer_registry): the pack's real
layers, the stored ones, and the one lookup of a layer by its type."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from rules.layer_meta import LayerMeta
from services.demo import LAMPS_META, SURVEY_META, fill_demo
from services.layer_registry import (
    all_layers,
    builtin_frame,
    by_id,
    city,
    copies_of,
    layer_of_type,
    layers_of_type,
    places_digest,
    read_builtin_layers,
    same_name,
)
from store import SqliteStore
from tests.factories import hire_staff


def _meta(layer_id: str, layer_type: str) -> LayerMeta:
    return LayerMeta(
        id=layer_id,
        name_de=layer_id,
        name_en=layer_id,
        layer_type=layer_type,
        kind="points",
        source="",
        licence="",
        attribution="",
        data_date=None,
        demo=False,
    )


LAYERS = [
    _meta("survey-a", "survey"),
    _meta("lamps-a", "lamps"),
    _meta("survey-b", "survey"),
    _meta("stops-a", "stops"),
]


def test_the_first_layer_of_a_type_is_found() -> None:
    assert layer_of_type(LAYERS, "survey") == LAYERS[0]
    assert layer_of_type(LAYERS, "stops") == LAYERS[3]
    assert layer_of_type(iter(LAYERS), "lamps") == LAYERS[1]  # any iterable, once


def test_no_layer_of_a_type_gives_none() -> None:
    assert layer_of_type(LAYERS, "accidents") is None
    assert layer_of_type([], "lamps") is None


def test_all_layers_of_a_type_keep_their_order() -> None:
    assert [m.id for m in layers_of_type(LAYERS, "survey")] == ["survey-a", "survey-b"]
    assert layers_of_type(LAYERS, "schools") == []


def test_layers_by_id() -> None:
    found = by_id(LAYERS)
    assert list(found) == ["survey-a", "lamps-a", "survey-b", "stops-a"]
    assert found["survey-b"] is LAYERS[2]
    assert by_id([]) == {}


@pytest.fixture(scope="module")
def builtin() -> list[tuple[LayerMeta, gpd.GeoDataFrame]]:
    return read_builtin_layers(city())


def test_the_packs_real_layers_are_read_through_the_importers(
    builtin: list[tuple[LayerMeta, gpd.GeoDataFrame]],
) -> None:
    assert builtin, "the test data pack has real layers"
    for meta, frame in builtin:
        assert meta.builtin and not meta.demo
        assert meta.feature_count == len(frame) > 0
        assert frame.crs == "EPSG:4326"
    stops = layer_of_type([m for m, _f in builtin], "stops")
    assert stops is not None
    assert builtin_frame(builtin, stops.id) is dict(builtin)[stops]
    with pytest.raises(KeyError):
        builtin_frame(builtin, SURVEY_META.id)


def test_a_file_not_fetched_gives_no_layer(tmp_path: Path) -> None:
    assert read_builtin_layers(city(), pack_dir=tmp_path) == []


def test_real_layers_come_first_then_the_stored_ones(
    builtin: list[tuple[LayerMeta, gpd.GeoDataFrame]], tmp_path: Path
) -> None:
    store = SqliteStore(tmp_path / "l.sqlite")
    hire_staff(store)
    fill_demo(store, quarter_ids=["320"])
    found = all_layers(builtin, store)
    assert [m.id for m in found[: len(builtin)]] == [m.id for m, _f in builtin]
    assert {m.id for m in found[len(builtin) :]} == {SURVEY_META.id, LAMPS_META.id}
    assert layer_of_type(found, "lamps") == next(m for m in found if m.id == LAMPS_META.id)


def _points(*lonlat: tuple[float, float], **columns: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=[Point(x, y) for x, y in lonlat], crs=4326)


def test_the_same_places_give_the_same_digest_whatever_the_order_attributes_or_crs() -> None:
    places = _points((7.50, 51.50), (7.51, 51.51), name=["a", "b"])
    again = _points((7.51, 51.51), (7.50, 51.50), kind=["x", "y"])  # reversed, other columns
    assert places_digest(places) == places_digest(again)
    assert places_digest(places) == places_digest(places.to_crs(25832))  # read back in metres


@pytest.mark.parametrize(
    "other",
    [
        _points((7.50, 51.50)),  # one place left out
        _points((7.50, 51.50), (7.51, 51.51), (7.51, 51.51)),  # one twice
        _points((7.50, 51.50), (7.51, 51.5101)),  # one moved by 11 m
        _points(),  # none
    ],
)
def test_other_places_give_another_digest(other: gpd.GeoDataFrame) -> None:
    assert places_digest(_points((7.50, 51.50), (7.51, 51.51))) != places_digest(other)


def test_copies_and_namesakes_are_found() -> None:
    known = [(LAYERS[0], "d1"), (LAYERS[1], "d2"), (LAYERS[2], "d1")]
    assert copies_of("d1", known) == [LAYERS[0], LAYERS[2]]
    assert copies_of("d3", known) == []
    assert same_name("  LAMPS-a ", LAYERS) == LAYERS[1]
    assert same_name("lamps a", LAYERS) is None
