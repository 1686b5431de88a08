"""The store takes no caller's word for a role: every staff action checks the actor
against its account, on both backends (defence in depth behind the pages' own checks)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import geopandas as gpd
import pytest
from shapely.geometry import Point

from rules.measures import MeasureDraft
from rules.roles import Actor, PermissionDeniedError, Role
from store import Store
from store.retention import RETENTION_ACTOR
from tests.conftest import StoreFactory
from tests.factories import STAFF, make_draft
from tests.store.test_layers import meta

Call = Callable[[Store, Actor, int], object]


def lamps() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"lamp_id": ["L1"]}, geometry=[Point(7.55, 51.52)], crs="EPSG:4326")


CALLS: dict[str, tuple[Role, Call]] = {
    "open a lab": (
        Role.FACILITATOR,
        lambda s, a, _pin: s.open_session(
            quarter_id="320",
            title="Labor",
            held_on=date(2026, 11, 26),
            place="",
            format="walk",
            actor=a,
        ),
    ),
    "release a text": (Role.MODERATOR, lambda s, a, pin: s.release_text(pin, actor=a)),
    "hide a note": (Role.MODERATOR, lambda s, a, pin: s.hide_pin(pin, actor=a, reason="x")),
    "add a layer": (Role.PLANNER, lambda s, a, _pin: s.add_layer(meta(), lamps(), actor=a)),
    "propose a measure": (
        Role.PLANNER,
        lambda s, a, _pin: s.create_measure(
            MeasureDraft("Licht", "lighting", "320", Point(7.55, 51.52)), actor=a
        ),
    ),
    "purge texts": (
        Role.ADMIN,
        lambda s, a, _pin: s.purge_texts(before=datetime(2000, 1, 1, tzinfo=UTC), actor=a),
    ),
}


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


@pytest.mark.parametrize("name", CALLS)
def test_a_made_up_actor_is_refused(store: Store, name: str) -> None:
    role, call = CALLS[name]
    pin = store.add_pin(make_draft("t1", quarter_id="320", text="Hallo")).id
    with pytest.raises(PermissionDeniedError):
        call(store, Actor("mallory", role), pin)  # no such account


@pytest.mark.parametrize("name", CALLS)
def test_an_account_is_held_to_its_own_role(store: Store, name: str) -> None:
    role, call = CALLS[name]
    pin = store.add_pin(make_draft("t1", quarter_id="320", text="Hallo")).id
    other = next(actor for actor in STAFF if actor.role not in (role, Role.ADMIN))
    with pytest.raises(PermissionDeniedError):
        call(store, Actor(other.name, role), pin)  # a real account claiming a role it lacks
    holder = next(actor for actor in STAFF if actor.role is role)
    call(store, holder, pin)  # the account that holds the role may


def test_the_servers_own_jobs_act_without_an_account(store: Store) -> None:
    assert store.purge_texts(before=datetime(2000, 1, 1, tzinfo=UTC), actor=RETENTION_ACTOR) == 0
