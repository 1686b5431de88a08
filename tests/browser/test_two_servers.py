"""Two app processes (two Streamlit servers) on one PostGIS database behind nginx with
sticky sessions (deploy/nginx-site.conf.in): each browser stays with its process, and a pin
placed through either is seen, live, through both."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from shapely.geometry import Point

from datapack.loading import load_districts
from devtools.balancer import NGINX, Balancer
from devtools.pg_cluster import PgCluster
from rules.roles import Actor, Role
from store import open_store
from tests.browser.conftest import AppServer
from tests.browser.mapdriver import fill_and_save, map_frame, tap, wait_for_pins
from tests.browser.test_shared_map import join
from tests.factories import hire_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not NGINX.exists(), reason="nginx is installed by scripts/test.sh"),
]


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
def balanced(pg_cluster: PgCluster) -> Iterator[tuple[Balancer, str]]:
    """nginx in front of two app processes on one PostGIS database; (nginx, database URL)."""
    url = pg_cluster.create_database("two_servers")
    one, two = AppServer(db_path=url).start(), AppServer(db_path=url).start()
    balancer = Balancer((one.port, two.port))
    try:
        yield balancer.start(), url
    finally:
        balancer.stop()
        one.stop()
        two.stop()


def through(page: Any, balancer: Balancer, route: str, code: str) -> Any:
    """Join through nginx as a browser it sent to process `route` (its cookie) before."""
    page.context.add_cookies([{"name": "sq_route", "value": route, "url": balancer.url}])
    response = page.request.get(f"{balancer.url}/_stcore/health")
    assert response.headers["x-sq-route"] == route  # the requests go to that process
    return join(page, balancer.url, code)


def test_pins_placed_through_either_server_show_in_both(
    balanced: tuple[Balancer, str], new_page: Any
) -> None:
    balancer, url = balanced
    store = open_store(url)
    hire_staff(store, (Actor("fa", Role.FACILITATOR),))
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
    frame_one = wait_for_pins(through(page_one, balancer, "sq1", code), 0)
    page_two = new_page()
    frame_two = wait_for_pins(through(page_two, balancer, "sq2", code), 0)

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
