"""Measures of the plan (Maßnahmenplan): what they hold and who may move them on.

A measure goes proposed -> discussed (in the steering circle) -> decided ->
in progress -> done, or is rejected with a reason. Only the steering circle decides
or rejects; only planners create measures and move decided ones into progress and
to done. These rules are checked here and again by the store, on the server.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from shapely.geometry.base import BaseGeometry

from rules.errors import N_, ValidationError
from rules.labs import WORKING_GROUPS
from rules.limits import REASON_TOO_LONG, TITLE_TOO_LONG, check_length
from rules.roles import PermissionDeniedError, Role
from rules.text import clean_line

MEASURE_TYPES: Final[dict[str, str]] = {
    "lighting": N_("lighting"),
    "greenery": N_("cutting back greenery / sight lines"),
    "design": N_("design of the place"),
    "presence": N_("presence / patrols"),
    "traffic": N_("traffic / crossing"),
    "cleanliness": N_("cleanliness"),
    "social": N_("social offers"),
    "other": N_("other"),
}
RESPONSIBLE_BODIES: Final = (
    "Tiefbauamt",
    "Grünflächenamt",
    "Polizei",
    "Ordnungsamt",
    "DSW21",
    "Wohnungsgesellschaft",
    "Stadtplanungs- und Bauordnungsamt",
    "Jugendamt",
)
STATUSES: Final[dict[str, str]] = {
    "proposed": N_("proposed"),
    "discussed": N_("discussed in the steering circle"),
    "decided": N_("decided"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "rejected": N_("rejected"),
}
# target status -> (the statuses it may follow, the roles that may set it)
_MOVES: Final[dict[str, tuple[frozenset[str], frozenset[Role]]]] = {
    "discussed": (frozenset({"proposed"}), frozenset({Role.PLANNER, Role.STEERING})),
    "decided": (frozenset({"discussed"}), frozenset({Role.STEERING})),
    "rejected": (frozenset({"proposed", "discussed", "decided"}), frozenset({Role.STEERING})),
    "in_progress": (frozenset({"decided"}), frozenset({Role.PLANNER})),
    "done": (frozenset({"in_progress"}), frozenset({Role.PLANNER})),
}
# target status -> the button that moves a measure there, said as an action
MOVE_ACTIONS: Final[dict[str, str]] = {
    "discussed": N_("Put on the agenda"),
    "decided": N_("Decide"),
    "rejected": N_("Reject"),
    "in_progress": N_("Start implementation"),
    "done": N_("Report as done"),
}
CREATORS: Final = frozenset({Role.PLANNER})
TITLE_MAX_CHARS: Final = 200
REASON_MAX_CHARS: Final = 500
PRIORITIES: Final[dict[int, str]] = {1: N_("high"), 2: N_("medium"), 3: N_("low")}


@dataclass(frozen=True, slots=True)
class MeasureDraft:
    """A measure as a planner fills it in (not stored yet)."""

    title: str
    measure_type: str
    quarter_id: str
    place: BaseGeometry  # a point or an area, EPSG:4326
    working_group: str | None = None
    responsible: str = ""
    priority: int = 2
    cost_eur: float | None = None
    target_date: date | None = None
    pin_ids: tuple[int, ...] = field(default=())


def validate_measure(draft: MeasureDraft) -> MeasureDraft:
    """The draft with its title trimmed, or ValidationError naming what is wrong."""
    title = clean_line(draft.title)
    if not title:
        raise ValidationError(N_("Please give the measure a title."))
    check_length(title, TITLE_MAX_CHARS, TITLE_TOO_LONG)
    if draft.measure_type not in MEASURE_TYPES:
        raise ValidationError(N_("Unknown kind of measure: {value}."), value=draft.measure_type)
    if draft.working_group is not None and draft.working_group not in WORKING_GROUPS:
        raise ValidationError(N_("Unknown working group: {value}."), value=draft.working_group)
    if draft.priority not in PRIORITIES:
        raise ValidationError(N_("The priority must be high, medium or low."))
    if draft.cost_eur is not None and not (math.isfinite(draft.cost_eur) and draft.cost_eur >= 0):
        raise ValidationError(N_("The cost estimate must be zero or more euros."))
    if draft.place.is_empty or draft.place.geom_type not in ("Point", "Polygon", "MultiPolygon"):
        raise ValidationError(N_("Please mark the measure's place: a point or an area."))
    if not draft.place.is_valid:
        raise ValidationError(N_("The area drawn crosses itself; please draw it again."))
    return MeasureDraft(
        title=title,
        measure_type=draft.measure_type,
        quarter_id=draft.quarter_id,
        place=draft.place,
        working_group=draft.working_group,
        responsible=clean_line(draft.responsible)[:TITLE_MAX_CHARS],
        priority=draft.priority,
        cost_eur=draft.cost_eur,
        target_date=draft.target_date,
        pin_ids=tuple(sorted(set(draft.pin_ids))),
    )


def allowed_moves(role: Role, current: str) -> tuple[str, ...]:
    """The statuses `role` may move a measure in status `current` to, in path order."""
    return tuple(
        target for target, (after, roles) in _MOVES.items() if current in after and role in roles
    )


def check_create(role: Role) -> None:
    if role not in CREATORS:
        raise PermissionDeniedError(N_("Only planners create measures."))


def check_move(role: Role, current: str, target: str, reason: str) -> str:
    """Refuse a status change the rules do not allow; returns the cleaned reason
    (required for a rejection)."""
    if target not in _MOVES:
        raise ValidationError(N_("Unknown status: {value}."), value=target)
    after, roles = _MOVES[target]
    if role not in roles:
        if target in ("decided", "rejected"):
            raise PermissionDeniedError(N_("Only the steering circle decides or rejects measures."))
        raise PermissionDeniedError(
            N_("Only planners move decided measures into progress and to done.")
        )
    if current not in after:
        raise ValidationError(
            N_("A measure that is “{current}” cannot become “{target}”."),
            current=current,
            target=target,
        )
    cleaned = clean_line(reason)
    check_length(cleaned, REASON_MAX_CHARS, REASON_TOO_LONG)
    if target == "rejected" and not cleaned:
        raise ValidationError(N_("Please say why the measure is rejected."))
    return cleaned


@dataclass(frozen=True, slots=True)
class Measure:
    """A stored measure with its status and linked pins."""

    id: int
    title: str
    measure_type: str
    quarter_id: str
    place: BaseGeometry
    working_group: str | None
    responsible: str
    priority: int
    cost_eur: float | None
    target_date: date | None
    status: str
    status_reason: str
    pin_ids: tuple[int, ...]
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change of a measure: created, or its status moved (with the reason)."""

    at: datetime
    actor: str
    change: str  # "created" or "status"
    from_status: str | None
    to_status: str | None
    detail: str
