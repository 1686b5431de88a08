"""Two app processes (two Streamlit servers) on one PostGIS database, as behind a load
balancer: a pin placed through either is seen, live, through both."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from shapely.geometry import Point

from datapack.loading import load_districts
from devtools.pg_cluster import PgCluster
from rules.roles import Actor, Role
from store import open_store
from tests.browser.conftest import AppServer
from tests.browser.mapdriver import fill_and_save, map_frame, tap, wait_for_pins
from tests.browser.test_shared_map import join

pytestmark = pytest.mark.browser


def _two_places() -> tuple[Point, Point]:
    """Two places in Brackel about 140 m apart (further than the "me too" offer's 50 m)."""
    brackel = load_districts().geometry("320")
    inner = brackel.buffer(-0.003)
    first = inner.representative_point()
    for dx, dy in [(0.002, 0), (-0.002, 0), (0, 0.0013), (0, -0.0013)]:
        second = Point(first.x + dx, first.y + dy)
        if inner.contains(second):
            return first, second
    raise AssertionError("no second place found inside Brackel")


@pytest.fixture
def two_servers(pg_cluster: PgCluster) -> Iterator[tuple[AppServer, AppServer, str]]:
    url = pg_cluster.create_database("two_servers")
    one, two = AppServer(db_path=url), AppServer(db_path=url)
    try:
        yield one.start(), two.start(), url
    finally:
        one.stop()
        two.stop()


def test_pins_placed_through_either_server_show_in_both(
    two_servers: tuple[AppServer, AppServer, str], new_page: Any
) -> None:
    one, two, url = two_servers
    store = open_store(url)
    code = store.open_session(
        quarter_id="320",
        title="Online-Phase Brackel",
        held_on=date(2026, 11, 26),
        place="",
        format="online",
        actor=Actor("fa", Role.FACILITATOR),
    ).join_code
    first, second = _two_places()

    page_one = new_page()
    frame_one = wait_for_pins(join(page_one, one.url, code), 0)
    page_two = new_page()
    frame_two = wait_for_pins(join(page_two, two.url, code), 0)

    tap(frame_one, first.x, first.y)
    fill_and_save(page_one, category="zu dunkel", time_band="nachts", text="über Server eins")
    page_one.get_by_text("Danke! Ihr Hinweis ist auf der Karte.").wait_for()
    # The other server's participant sees it without reloading.
    frame_two = wait_for_pins(map_frame(page_two), 1)

    tap(frame_two, second.x, second.y)
    fill_and_save(
        page_two, category="Verkehr / Querung", time_band="tagsüber", text="über Server zwei"
    )
    page_two.get_by_text("Danke! Ihr Hinweis ist auf der Karte.").wait_for()
    frame_one = wait_for_pins(map_frame(page_one), 2)
    frame_two = wait_for_pins(map_frame(page_two), 2)

    stored = store.pins_in_quarter("320")
    assert sorted(p.text for p in stored) == ["über Server eins", "über Server zwei"]
    assert len({p.token for p in stored}) == 2
    store.close()
