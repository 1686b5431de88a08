"""Editing a measure on both backends: planners only, every change in the history with
before and after; a done or rejected measure only in its title and description."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import Point

from rules.errors import ValidationError
from rules.measures import Measure, MeasureDraft, MeasureEdit, read_edit_detail
from rules.roles import Actor, PermissionDeniedError, Role
from store import Store
from tests.conftest import StoreFactory
from tests.factories import hire_staff
from tests.store.sql import dump, rows

PLANNER = Actor(name="pia", role=Role.PLANNER)
STEERING = Actor(name="stella", role=Role.STEERING)


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


def _measure(store: Store, title: str = "Laterne am Durchgang") -> Measure:
    return store.create_measure(
        MeasureDraft(
            title,
            "lighting",
            "brackel",
            Point(7.5512, 51.5187),
            responsible="Tiefbauamt",
            description="Zwei Laternen fehlen.",
        ),
        actor=PLANNER,
    )


def _edit(measure: Measure, **changes: object) -> MeasureEdit:
    values: dict[str, object] = {
        "title": measure.title,
        "measure_type": measure.measure_type,
        "description": measure.description,
        "working_group": measure.working_group,
        "responsible": measure.responsible,
        "priority": measure.priority,
        "cost_eur": measure.cost_eur,
        "target_date": measure.target_date,
    }
    values.update(changes)
    return MeasureEdit(**values)  # type: ignore[arg-type]


def test_a_new_measure_keeps_its_description(store: Store) -> None:
    made = _measure(store)
    assert made.description == "Zwei Laternen fehlen."
    assert store.measure(made.id) == made


def test_a_planner_edits_and_the_history_says_what_changed(store: Store) -> None:
    made = _measure(store)
    edited = store.edit_measure(
        made.id,
        _edit(
            made,
            title=" Laternen  am Durchgang ",
            description="Drei Laternen fehlen.\nDie vierte flackert.",
            priority=1,
            cost_eur=4500.0,
            target_date=date(2027, 3, 31),
            working_group="infrastructure",
        ),
        actor=PLANNER,
        seen_at=made.updated_at,
    )
    assert edited.title == "Laternen am Durchgang"
    assert edited.description == "Drei Laternen fehlen.\nDie vierte flackert."
    assert (edited.priority, edited.cost_eur, edited.target_date) == (1, 4500.0, date(2027, 3, 31))
    assert edited.working_group == "infrastructure"
    assert edited.status == "proposed" and edited.place.equals(made.place)
    assert store.measure(made.id) == edited
    _created, change = store.measure_history(made.id)
    assert (change.actor, change.change, change.to_status) == ("pia", "edited", None)
    assert read_edit_detail(change.detail) == {
        "title": ("Laterne am Durchgang", "Laternen am Durchgang"),
        "description": ("Zwei Laternen fehlen.", "Drei Laternen fehlen.\nDie vierte flackert."),
        "working_group": (None, "infrastructure"),
        "priority": (2, 1),
        "cost_eur": (None, 4500.0),
        "target_date": (None, "2027-03-31"),
    }
    audit = rows(store, "SELECT action, detail FROM audit_log WHERE action = 'measure.edit'")
    assert audit == [
        ("measure.edit", "title, description, working_group, priority, cost_eur, target_date")
    ]


def test_an_edit_that_changes_nothing_leaves_no_trace(store: Store) -> None:
    made = _measure(store)
    before = dump(store)
    assert (
        store.edit_measure(made.id, _edit(made, title=" Laterne am  Durchgang"), actor=PLANNER)
        == made
    )
    assert dump(store) == before


@pytest.mark.parametrize(
    "actor",
    [STEERING, Actor("ada", Role.ADMIN), Actor("mo", Role.MODERATOR)],
)
def test_only_planners_edit(store: Store, actor: Actor) -> None:
    made = _measure(store)
    before = dump(store)
    with pytest.raises(PermissionDeniedError, match="Only planners edit"):
        store.edit_measure(made.id, _edit(made, title="Anders"), actor=actor)
    assert dump(store) == before


def test_a_planner_whose_role_was_taken_cannot_edit(store: Store) -> None:
    made = _measure(store)
    with store.db.write() as conn:
        conn.execute("UPDATE users SET role = 'steering' WHERE username = 'pia'")
    with pytest.raises(PermissionDeniedError, match="role has changed"):
        store.edit_measure(made.id, _edit(made, title="Anders"), actor=PLANNER)
    assert store.measure(made.id) == made


@pytest.mark.parametrize("closed", ["done", "rejected"])
def test_a_closed_measure_is_corrected_only_in_its_texts(store: Store, closed: str) -> None:
    made = _measure(store)
    if closed == "rejected":
        store.move_measure(made.id, "rejected", actor=STEERING, reason="zu teuer")
    else:
        store.move_measure(made.id, "discussed", actor=PLANNER)
        store.move_measure(made.id, "decided", actor=STEERING)
        store.move_measure(made.id, "in_progress", actor=PLANNER)
        store.move_measure(made.id, "done", actor=PLANNER)
    shut = store.measure(made.id)
    assert shut is not None
    before = dump(store)
    for field, value in [("cost_eur", 99.0), ("priority", 1), ("measure_type", "design")]:
        with pytest.raises(ValidationError, match="only its title and description"):
            store.edit_measure(made.id, _edit(shut, **{field: value}), actor=PLANNER)
    assert dump(store) == before
    fixed = store.edit_measure(
        made.id, _edit(shut, title="Laterne am Durchgang (Nord)"), actor=PLANNER
    )
    assert (fixed.title, fixed.status, fixed.status_reason) == (
        "Laterne am Durchgang (Nord)",
        closed,
        shut.status_reason,
    )


def test_an_edit_on_a_measure_changed_meanwhile_is_refused(store: Store) -> None:
    made = _measure(store)
    store.move_measure(made.id, "discussed", actor=PLANNER)
    with pytest.raises(ValidationError, match="changed meanwhile"):
        store.edit_measure(made.id, _edit(made, priority=1), actor=PLANNER, seen_at=made.updated_at)
    assert store.measure(made.id).priority == 2  # type: ignore[union-attr]


def test_an_edit_is_checked_like_a_new_measure(store: Store) -> None:
    first = _measure(store)
    second = _measure(store, "Hecke schneiden")
    other = Actor(name="paul", role=Role.PLANNER)
    hire_staff(store, (other,))
    with pytest.raises(ValidationError, match=f"#{first.id} in this quarter already"):
        store.edit_measure(second.id, _edit(second, title="laterne am durchgang"), actor=other)
    with pytest.raises(ValidationError, match="title"):
        store.edit_measure(second.id, _edit(second, title="  "), actor=other)
    with pytest.raises(ValidationError, match="cost"):
        store.edit_measure(second.id, _edit(second, cost_eur=-1.0), actor=other)
    with pytest.raises(ValidationError, match="no measure"):
        store.edit_measure(99, _edit(second), actor=other)
    assert store.measure(second.id) == second


def test_a_planner_moves_the_place_of_an_open_measure(store: Store, stores: StoreFactory) -> None:
    from shapely.geometry import box

    made = _measure(store)
    area = box(7.551, 51.518, 7.552, 51.519)
    moved = store.edit_measure(made.id, _edit(made, place=area), actor=PLANNER)
    assert moved.place.equals(area) and moved.pin_ids == made.pin_ids
    (change,) = [h for h in store.measure_history(made.id) if h.change == "edited"]
    assert read_edit_detail(change.detail)["place"] == (
        "POINT (7.5512 51.5187)",
        "POLYGON ((7.552 51.518, 7.552 51.519, 7.551 51.519, 7.551 51.518, 7.552 51.518))",
    )
    if stores.backend == "postgis":  # the spatial column follows the stored place
        (kind,) = rows(store, f"SELECT GeometryType(geom) FROM measures WHERE id = {made.id}")
        assert kind == ("POLYGON",)
    store.move_measure(made.id, "rejected", actor=STEERING, reason="anders lösen")
    with pytest.raises(ValidationError, match="only its title and description"):
        store.edit_measure(made.id, _edit(moved, place=Point(7.55, 51.52)), actor=PLANNER)
