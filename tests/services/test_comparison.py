"""The comparison of quarters as a use case (services.comparison): computed from the
store's pins without a page, and the residents it divides by."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from datapack.loading import load_districts
from geo.crs import to_metric
from geo.demo import demo_pins, quarter_areas
from rules.errors import SQError
from rules.population import Residents
from rules.roles import Actor, Role
from services.comparison import (
    compare,
    forget_hot_cells,
    hot_cells,
    hot_cells_by_quarter,
    import_residents,
    residents,
    session_table,
)
from store import SqliteStore
from tests.factories import add_pins_in_quarter, hire_staff
from tests.pages.apptest_helpers import open_lab

PLANNER = Actor("pia", Role.PLANNER)
STEERING = Actor("stella", Role.STEERING)


def _store(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "c.sqlite")
    hire_staff(store)
    return store


def test_compare_counts_every_pin_and_finds_hot_cells(tmp_path: Path) -> None:
    pack = load_districts()
    ids = pack.district_ids
    store = _store(tmp_path)
    made = demo_pins(quarter_areas(pack.districts, ids), per_quarter=120)
    store.add_pins([p.draft for p in made], created_at=[p.created_at for p in made])
    pins = store.pins_frame(ids)
    population = {"320": Residents("320", 12_000, None)}
    result = compare(pack, pins, ids, population=population, lamps=None, accidents=None)
    assert [f.quarter_id for f in result.facts] == list(ids)
    table = result.table
    counted = table.loc[table["key"] == "pins"].set_index("quarter_id")["count"]
    assert counted.to_dict() == {q: store.count_pins(q) for q in ids}
    per_1000 = table.loc[(table["key"] == "pins_per_1000")].set_index("quarter_id")["value"]
    assert per_1000["320"] == pytest.approx(store.count_pins("320") / 12)
    assert set(result.grids) == set(ids) and len(result.breaks) > 1
    for f in result.facts:
        hot = result.hot[f.quarter_id]
        assert hot is not None and f.significant_hotspots == len(hot)
        assert set(hot["label"]) <= {"hot"}


def test_quarters_side_by_side_give_the_cells_of_one_at_a_time(tmp_path: Path) -> None:
    pack = load_districts()
    ids = pack.district_ids
    made = demo_pins(quarter_areas(pack.districts, ids), per_quarter=150)
    store = _store(tmp_path)
    store.add_pins([p.draft for p in made], created_at=[p.created_at for p in made])
    pins = store.pins_frame(ids)
    forget_hot_cells()
    together = hot_cells_by_quarter(pins, {qid: pack.geometry(qid) for qid in ids})
    forget_hot_cells()
    for qid in ids:
        alone = hot_cells(pins, qid, pack.geometry(qid))
        side_by_side = together[qid]
        assert alone is not None and side_by_side is not None
        assert list(alone["cell_id"]) == list(side_by_side["cell_id"])
        assert np.allclose(alone["p_map"], side_by_side["p_map"])


def test_too_few_notes_give_no_hot_cells(tmp_path: Path) -> None:
    pack = load_districts()
    store = _store(tmp_path)
    add_pins_in_quarter(store, "320", 5)
    pins = store.pins_frame(["320"])
    assert hot_cells(pins, "320", pack.geometry("320")) is None
    result = compare(pack, pins, ["320", "710"], population={}, lamps=None, accidents=None)
    assert result.hot == {"320": None, "710": None}
    assert [f.significant_hotspots for f in result.facts] == [None, None]


def test_the_sessions_are_compared_oldest_first(tmp_path: Path) -> None:
    pack = load_districts()
    store = _store(tmp_path)
    first = open_lab(store, "320", title="Erstes Labor", held_on=date(2026, 3, 4))
    second = open_lab(store, "320", title="Zweites Labor", held_on=date(2026, 9, 9))
    add_pins_in_quarter(store, "320", 8, session_id=first.id)
    add_pins_in_quarter(store, "320", 24, session_id=second.id)
    sessions = [second, first]
    table = session_table(pack, store.pins_frame(["320"]), "320", sessions, population={})
    pins = table.loc[table["key"] == "pins"]
    assert list(pins["quarter_id"]) == [f"320#{first.id}", f"320#{second.id}"]
    assert list(pins["count"]) == [8, 24]
    assert list(pins["enough"]) == [False, True]


def test_imported_residents_replace_the_data_packs_for_their_districts(tmp_path: Path) -> None:
    store = _store(tmp_path)
    packed = residents(store)
    assert packed and all(r.residents > 0 for r in packed.values())
    stored = _import(store, b"statistischer_bezirk_nr;einwohner\n320;12345\n")
    assert stored == 1
    # The imported district takes the new figure; every other keeps the data pack's.
    assert residents(store) == {**packed, "320": Residents("320", 12345, None)}
    assert residents(store)["710"] == packed["710"]


def _import(store: SqliteStore, table: bytes, actor: Actor = PLANNER) -> int:
    return import_residents(store, table, source="x.csv", actor=actor, pack=load_districts())


def test_residents_of_a_district_the_city_does_not_have_are_refused(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with pytest.raises(SQError, match="does not have: 999"):
        _import(store, b"statistischer_bezirk_nr;einwohner\n320;12345\n999;7\n")
    assert store.population() == {}


def test_importing_residents_is_checked(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with pytest.raises(SQError):
        _import(store, b"statistischer_bezirk_nr;einwohner\n320;viele\n")
    with pytest.raises(SQError):
        _import(store, b"statistischer_bezirk_nr,einwohner\n320,1\n", actor=STEERING)
    assert store.population() == {}


def test_hot_cells_are_worked_out_once_for_the_same_notes(tmp_path: Path) -> None:
    """The comparison, the candidates and the report share one Gi* run per set of notes;
    one note more is a new run."""
    pack = load_districts()
    area = pack.geometry("320")
    made = demo_pins(quarter_areas(pack.districts, ["320"]), per_quarter=120)
    store = _store(tmp_path)
    store.add_pins([p.draft for p in made], created_at=[p.created_at for p in made])
    pins = store.pins_frame(["320"])
    first = hot_cells(pins, "320", area)
    assert first is not None and len(first) > 0
    assert hot_cells(store.pins_frame(["320"]), "320", area) is first  # read again: same notes
    # The comparison measures in metres, the candidate places in degrees: the same notes.
    assert hot_cells(to_metric(store.pins_frame(["320"])), "320", area) is first
    add_pins_in_quarter(store, "320", 30)  # a pile of new notes at one place
    again = hot_cells(store.pins_frame(["320"]), "320", area)
    assert again is not None and first is not None and again is not first
    assert len(again) != len(first) or not again.geometry.equals(first.geometry)
