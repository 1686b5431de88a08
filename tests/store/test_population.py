"""Residents per district on both backends: imported by planners, replaced, audited."""

from __future__ import annotations

from datetime import date

import pytest

from rules.population import Residents
from rules.roles import Actor, PermissionDeniedError, Role
from store import Store
from tests.conftest import StoreFactory
from tests.store.sql import rows

PLANNER = Actor(name="pia", role=Role.PLANNER)


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


def test_residents_are_stored_replaced_and_audited(store: Store) -> None:
    assert store.population() == {}
    first = [Residents("320", 24770, date(2023, 12, 31)), Residents("710", 5795, None)]
    assert store.set_population(first, source="bevoelkerung.csv", actor=PLANNER) == 2
    assert store.population() == {r.district_id: r for r in first}
    newer = [Residents("320", 25010, date(2024, 12, 31))]
    store.set_population(newer, source="bevoelkerung-2024.csv", actor=PLANNER)
    assert store.population()["320"] == newer[0]
    assert store.population()["710"] == first[1]
    audit = rows(store, "SELECT actor, action, target FROM audit_log ORDER BY id")
    assert audit == [
        ("pia", "population.import", "bevoelkerung.csv"),
        ("pia", "population.import", "bevoelkerung-2024.csv"),
    ]


@pytest.mark.parametrize(
    "role", [Role.PARTICIPANT, Role.FACILITATOR, Role.MODERATOR, Role.STEERING]
)
def test_only_planners_and_admins_import_residents(store: Store, role: Role) -> None:
    with pytest.raises(PermissionDeniedError):
        store.set_population(
            [Residents("320", 1, None)], source="x.csv", actor=Actor(name="x", role=role)
        )
    assert store.population() == {}
