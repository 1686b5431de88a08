"""What a role may see of the pins: moderators everything, other staff exact places
but only released texts, everyone else the public view (geo.privacy)."""

from __future__ import annotations

import geopandas as gpd

from geo.privacy import public_view, released_texts_only
from rules.roles import Action, Role, allowed
from store import Store


def pins_for_role(
    frame: gpd.GeoDataFrame, role: Role, *, own_session: int | None = None
) -> gpd.GeoDataFrame:
    """`frame` (a pins_frame) as `role` may see it. `own_session` is the lab session
    of the person looking: the public view keeps their own pins in sparse cells."""
    if allowed(role, Action.MODERATE):
        return frame
    if allowed(role, Action.READ_EXACT):
        return released_texts_only(frame)
    return public_view(frame, own_session=own_session)


def visible_pins(
    store: Store, quarter_id: str, role: Role, *, own_session: int | None = None
) -> gpd.GeoDataFrame:
    """The quarter's pins as `role` may see them."""
    return pins_for_role(store.pins_frame([quarter_id]), role, own_session=own_session)


def pins_shown(*, demo_mode: bool, show_demo: bool, show_real: bool) -> bool:
    """Whether the planner's map shows the pins: they are demo data exactly when the
    app runs on the demo database, and each kind has its own switch."""
    return show_demo if demo_mode else show_real
