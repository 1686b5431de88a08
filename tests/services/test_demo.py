"""The demo database: seeded, labelled demo, filled once."""

from __future__ import annotations

from pathlib import Path

from services.demo import LAMPS_META, SURVEY_META, fill_demo
from store import SqliteStore
from tests.conftest import StoreFactory


def test_demo_data_is_added_once_and_labelled(stores: StoreFactory) -> None:
    store = stores.open()
    first = fill_demo(store)
    second = fill_demo(store)
    assert first["pins"] == 360 and second == {"pins": 0}
    assert store.count_pins() == 360
    assert {q: store.count_pins(q) for q in ("710", "320", "530")} == {
        "710": 120,
        "320": 120,
        "530": 120,
    }
    layers = {m.id: m for m in store.list_layers()}
    assert set(layers) == {SURVEY_META.id, LAMPS_META.id}
    assert all(m.demo for m in layers.values())
    assert all("Demo" in m.name_de for m in layers.values())
    survey = store.layer_frame(SURVEY_META.id)
    assert survey["rating"].between(1, 5).all()
    lamps = store.layer_frame(LAMPS_META.id)
    assert set(lamps["status"]) == {"ok", "defect"}


def test_the_same_seed_gives_the_same_demo(tmp_path: Path) -> None:
    one, two = SqliteStore(tmp_path / "a.sqlite"), SqliteStore(tmp_path / "b.sqlite")
    fill_demo(one)
    fill_demo(two)
    pins_one = [(p.lon, p.lat, p.category, p.created_at) for p in one.pins_in_quarters(["320"])]
    pins_two = [(p.lon, p.lat, p.category, p.created_at) for p in two.pins_in_quarters(["320"])]
    assert pins_one == pins_two
