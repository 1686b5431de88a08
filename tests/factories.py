"""The one factory of test pins: stored pins (Pin) and drafts (PinDraft).

Defaults: a dark place at night; every field can be changed by keyword.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from datapack.loading import load_districts
from geo.crs import metric_to_lonlat
from rules.pins import Pin, PinDraft
from rules.roles import Actor, Role
from store import Store
from store.timestamps import now_stored

# A place in Brackel (EPSG:4326), where store tests put their pins.
BRACKEL_LON = 7.5512
BRACKEL_LAT = 51.5187

_PIN = Pin(
    id=1,
    quarter_id="320",
    lon=7.55,
    lat=51.52,
    category="dark",
    time_band="night",
    severity=None,
    text="",
    created_at=datetime(2026, 10, 1, 12, tzinfo=UTC),
    token="t1",
)

_DRAFT = PinDraft(
    quarter_id="brackel",
    lon=BRACKEL_LON,
    lat=BRACKEL_LAT,
    category="dark",
    time_band="night",
    severity=2,
)


def make_pin(pin_id: int = 1, **changes: Any) -> Pin:
    """A stored pin with id `pin_id` and token "t<pin_id>" (quarter "320", no text,
    made on 1 October 2026), with `changes`."""
    return replace(_PIN, id=pin_id, token=f"t{pin_id}", **changes)


def pin_at_metres(pin_id: int, x_m: float, y_m: float, **changes: Any) -> Pin:
    """make_pin placed at (x_m, y_m) in METRIC_CRS (EPSG:25832)."""
    lon, lat = metric_to_lonlat(x_m, y_m)
    return make_pin(pin_id, lon=lon, lat=lat, **changes)


def make_draft(token: str, **changes: Any) -> PinDraft:
    """A draft with submission token `token` (quarter "brackel", severity 2, no text),
    with `changes`."""
    return replace(_DRAFT, token=token, **changes)


def add_pins_in_quarter(
    store: Store,
    district_id: str,
    count: int,
    *,
    session_id: int | None = None,
    when: datetime | None = None,
) -> None:
    """Store `count` pins at one place inside the district (its representative point),
    with tokens "<district>-<session>-<i>", made at `when` (1 June 2026 by default)."""
    point = load_districts().geometry(district_id).representative_point()
    drafts = [
        make_draft(
            f"{district_id}-{session_id}-{i}",
            quarter_id=district_id,
            lon=point.x,
            lat=point.y,
            session_id=session_id,
        )
        for i in range(count)
    ]
    stamp = when or datetime(2026, 6, 1, 12, tzinfo=UTC)
    store.add_pins(drafts, created_at=[stamp] * count)


# The staff that tests act as. The store checks every actor's role against its account,
# so each test store has these accounts (with a hash no password matches).
STAFF: tuple[Actor, ...] = (
    Actor("ada", Role.ADMIN),
    Actor("root-admin", Role.ADMIN),
    Actor("fa", Role.FACILITATOR),
    Actor("fia", Role.FACILITATOR),
    Actor("fritz", Role.FACILITATOR),
    Actor("mona", Role.MODERATOR),
    Actor("mo", Role.MODERATOR),
    Actor("pia", Role.PLANNER),
    Actor("stella", Role.STEERING),
)
_NO_PASSWORD = "!no-login"


def hire_staff(store: Store, staff: tuple[Actor, ...] = STAFF) -> None:
    """Make the test staff's accounts (once; existing ones are kept as they are)."""
    created_at = now_stored()
    with store.db.write() as conn:
        for actor in staff:
            conn.execute(
                "INSERT INTO users (username, password_hash, role, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (actor.name, _NO_PASSWORD, actor.role.value, created_at),
            )
