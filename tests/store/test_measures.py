"""Measures on both backends: created by planners, moved on by the right roles only,
linked to pins, every change in the history."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, box

from rules.errors import ValidationError
from rules.measures import MeasureDraft
from rules.roles import Actor, PermissionDeniedError, Role
from store import Store
from tests.conftest import StoreFactory
from tests.factories import hire_staff, make_draft
from tests.store.sql import dump, rows

PLANNER = Actor(name="pia", role=Role.PLANNER)
STEERING = Actor(name="stella", role=Role.STEERING)


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


def _measure(store: Store, **changes: object):
    pins = [store.add_pin(make_draft(f"t{i}")) for i in range(3)]
    values: dict[str, object] = {
        "title": "Laterne am Durchgang",
        "measure_type": "lighting",
        "quarter_id": "brackel",
        "place": Point(7.5512, 51.5187),
        "working_group": "infrastructure",
        "responsible": "Tiefbauamt",
        "pin_ids": (pins[0].id, pins[2].id),
    }
    values.update(changes)
    return store.create_measure(MeasureDraft(**values), actor=PLANNER)  # type: ignore[arg-type]


def test_a_planner_creates_a_measure_linked_to_pins(store: Store) -> None:
    made = _measure(store, place=box(7.55, 51.51, 7.56, 51.52), cost_eur=1200.5)
    assert made.status == "proposed" and made.created_by == "pia"
    assert made.pin_ids == (1, 3)
    assert made.place.equals(box(7.55, 51.51, 7.56, 51.52))
    assert store.measure(made.id) == made
    assert store.measures(["brackel"]) == [made]
    assert store.measures(["hoerde"]) == []
    assert [m.id for m in store.measures_for_pin(1)] == [made.id]
    assert store.measures_for_pin(2) == []
    (created,) = store.measure_history(made.id)
    assert (created.actor, created.change, created.to_status) == ("pia", "created", "proposed")


def test_the_whole_way_to_done_is_in_the_history(store: Store) -> None:
    made = _measure(store)
    store.move_measure(made.id, "discussed", actor=PLANNER)
    store.move_measure(made.id, "decided", actor=STEERING, reason="Lenkungskreis 12.5.")
    store.move_measure(made.id, "in_progress", actor=PLANNER)
    done = store.move_measure(made.id, "done", actor=PLANNER)
    assert done.status == "done"
    steps = [(h.actor, h.from_status, h.to_status) for h in store.measure_history(made.id)]
    assert steps == [
        ("pia", None, "proposed"),
        ("pia", "proposed", "discussed"),
        ("stella", "discussed", "decided"),
        ("pia", "decided", "in_progress"),
        ("pia", "in_progress", "done"),
    ]
    assert store.measure_history(made.id)[2].detail == "Lenkungskreis 12.5."
    audit = rows(store, "SELECT action FROM audit_log WHERE action LIKE 'measure.%' ORDER BY id")
    assert [a for (a,) in audit] == ["measure.create"] + ["measure.status"] * 4


@pytest.mark.parametrize(
    ("actor", "target"),
    [
        (PLANNER, "decided"),
        (PLANNER, "rejected"),
        (Actor("ada", Role.ADMIN), "decided"),
        (Actor("mo", Role.MODERATOR), "discussed"),
    ],
)
def test_a_move_by_the_wrong_role_is_refused_and_changes_nothing(
    store: Store, actor: Actor, target: str
) -> None:
    made = _measure(store)
    if target != "discussed":
        store.move_measure(made.id, "discussed", actor=STEERING)
    before = dump(store)
    with pytest.raises(PermissionDeniedError):
        store.move_measure(made.id, target, actor=actor, reason="weil")
    assert dump(store) == before


def test_a_rejection_keeps_its_reason_and_ends_the_way(store: Store) -> None:
    made = _measure(store)
    with pytest.raises(ValidationError, match="why"):
        store.move_measure(made.id, "rejected", actor=STEERING)
    rejected = store.move_measure(made.id, "rejected", actor=STEERING, reason="zu teuer")
    assert (rejected.status, rejected.status_reason) == ("rejected", "zu teuer")
    with pytest.raises(ValidationError, match="cannot become"):
        store.move_measure(made.id, "discussed", actor=PLANNER)


def test_only_planners_create_and_pins_must_be_in_the_quarter(store: Store) -> None:
    with pytest.raises(PermissionDeniedError):
        store.create_measure(
            MeasureDraft("X", "lighting", "brackel", Point(7.55, 51.52)), actor=STEERING
        )
    other = store.add_pin(make_draft("far", quarter_id="hoerde"))
    with pytest.raises(ValidationError, match=f"#{other.id}"):
        _measure(store, pin_ids=(other.id,))
    assert store.measures() == []
    with pytest.raises(ValidationError, match="no measure"):
        store.move_measure(99, "discussed", actor=PLANNER)


def test_the_same_submission_twice_makes_one_measure(store: Store) -> None:
    first = _measure(store)
    again = store.create_measure(
        MeasureDraft(
            "  laterne am  Durchgang ",
            "lighting",
            "brackel",
            first.place,
            responsible="Tiefbauamt",
            pin_ids=first.pin_ids,
        ),
        actor=PLANNER,
    )
    assert again == first
    assert [m.id for m in store.measures()] == [first.id]
    assert len(store.measure_history(first.id)) == 1


def test_another_measure_with_a_taken_title_is_refused(store: Store) -> None:
    first = _measure(store)
    other = Actor(name="paul", role=Role.PLANNER)
    hire_staff(store, (other,))
    with pytest.raises(ValidationError, match=f"#{first.id} in this quarter already"):
        store.create_measure(
            MeasureDraft("Laterne am Durchgang", "lighting", "brackel", first.place), actor=other
        )
    # A rejected measure no longer holds its title: the idea may come back.
    store.move_measure(first.id, "rejected", actor=STEERING, reason="zu teuer")
    second = store.create_measure(
        MeasureDraft("Laterne am Durchgang", "lighting", "brackel", first.place), actor=other
    )
    assert second.id != first.id and second.status == "proposed"
    # Another quarter has its own titles.
    elsewhere = store.create_measure(
        MeasureDraft("Laterne am Durchgang", "lighting", "hoerde", first.place), actor=other
    )
    assert elsewhere.quarter_id == "hoerde"
