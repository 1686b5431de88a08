"""Measures of the plan (Maßnahmenplan): what they hold and who may move them on.

A measure goes proposed -> discussed (in the steering circle) -> decided ->
in progress -> done, or is rejected with a reason. Only the steering circle decides
or rejects; only planners create measures and move decided ones into progress and
to done. These rules are checked here and again by the store, on the server.

Planners may edit a measure's fields and its place (not its status or notes) while it
is open. A done or rejected measure is a record of what the plan did: its title and
description can still be corrected, but its kind, responsibility, priority, cost, date
and place stay as they were when it was closed. Every edit names what changed, before
and after (`edit_detail`), in the measure's history.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

import shapely
from shapely.geometry.base import BaseGeometry

from rules.errors import N_, ValidationError
from rules.labs import WORKING_GROUPS
from rules.limits import REASON_TOO_LONG, TEXT_TOO_LONG, TITLE_TOO_LONG, check_length
from rules.roles import PermissionDeniedError, Role
from rules.text import clean_line, clean_text

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
# What each status means for the person whose note the measure answers (the note's
# page and the followers' mails).
STATUS_WORDS: Final[dict[str, str]] = {
    "proposed": N_("The city's planners have proposed a measure."),
    "discussed": N_("The steering circle has discussed the measure."),
    "decided": N_("The steering circle has decided on the measure. It is to be carried out."),
    "in_progress": N_("The measure is being carried out."),
    "done": N_("The measure has been carried out."),
    "rejected": N_("The steering circle has decided against the measure."),
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
EDITORS: Final = CREATORS  # who creates a measure keeps it up to date
CLOSED: Final = frozenset({"done", "rejected"})
TEXT_FIELDS: Final = frozenset({"title", "description"})  # still corrected once closed
TITLE_MAX_CHARS: Final = 200
DESCRIPTION_MAX_CHARS: Final = 2000
REASON_MAX_CHARS: Final = 500
PRIORITIES: Final[dict[int, str]] = {1: N_("high"), 2: N_("medium"), 3: N_("low")}
# The fields an edit may change -> how the history names them, in the form's order.
EDIT_FIELDS: Final[dict[str, str]] = {
    "title": N_("title"),
    "description": N_("description"),
    "measure_type": N_("kind"),
    "working_group": N_("working group"),
    "responsible": N_("responsible"),
    "priority": N_("priority"),
    "cost_eur": N_("cost estimate"),
    "target_date": N_("target date"),
    "place": N_("place"),  # kept as WKT before and after
}


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
    description: str = ""


@dataclass(frozen=True, slots=True)
class MeasureEdit:
    """The fields of a stored measure as a planner changes them (EDIT_FIELDS)."""

    title: str
    measure_type: str
    description: str = ""
    working_group: str | None = None
    responsible: str = ""
    priority: int = 2
    cost_eur: float | None = None
    target_date: date | None = None
    place: BaseGeometry | None = None  # None: the place stays as it is


def _check_place(place: BaseGeometry) -> None:
    if place.is_empty or place.geom_type not in ("Point", "Polygon", "MultiPolygon"):
        raise ValidationError(N_("Please mark the measure's place: a point or an area."))
    if not place.is_valid:
        raise ValidationError(N_("The area drawn crosses itself; please draw it again."))


def validate_edit(edit: MeasureEdit) -> MeasureEdit:
    """The edit with its texts cleaned, or ValidationError naming what is wrong (the
    same rules as for a new measure)."""
    title = clean_line(edit.title)
    if not title:
        raise ValidationError(N_("Please give the measure a title."))
    check_length(title, TITLE_MAX_CHARS, TITLE_TOO_LONG)
    description = clean_text(edit.description)
    check_length(description, DESCRIPTION_MAX_CHARS, TEXT_TOO_LONG)
    if edit.measure_type not in MEASURE_TYPES:
        raise ValidationError(N_("Unknown kind of measure: {value}."), value=edit.measure_type)
    if edit.working_group is not None and edit.working_group not in WORKING_GROUPS:
        raise ValidationError(N_("Unknown working group: {value}."), value=edit.working_group)
    if edit.priority not in PRIORITIES:
        raise ValidationError(N_("The priority must be high, medium or low."))
    if edit.cost_eur is not None and not (math.isfinite(edit.cost_eur) and edit.cost_eur >= 0):
        raise ValidationError(N_("The cost estimate must be zero or more euros."))
    if edit.place is not None:
        _check_place(edit.place)
    return MeasureEdit(
        title=title,
        measure_type=edit.measure_type,
        description=description,
        working_group=edit.working_group,
        responsible=clean_line(edit.responsible)[:TITLE_MAX_CHARS],
        priority=edit.priority,
        cost_eur=edit.cost_eur,
        target_date=edit.target_date,
        place=edit.place,
    )


def validate_measure(draft: MeasureDraft) -> MeasureDraft:
    """The draft with its texts cleaned, or ValidationError naming what is wrong."""
    fields = validate_edit(
        MeasureEdit(
            title=draft.title,
            measure_type=draft.measure_type,
            description=draft.description,
            working_group=draft.working_group,
            responsible=draft.responsible,
            priority=draft.priority,
            cost_eur=draft.cost_eur,
            target_date=draft.target_date,
        )
    )
    _check_place(draft.place)
    return MeasureDraft(
        title=fields.title,
        measure_type=fields.measure_type,
        quarter_id=draft.quarter_id,
        place=draft.place,
        working_group=fields.working_group,
        responsible=fields.responsible,
        priority=fields.priority,
        cost_eur=fields.cost_eur,
        target_date=fields.target_date,
        pin_ids=tuple(sorted(set(draft.pin_ids))),
        description=fields.description,
    )


def allowed_moves(role: Role, current: str) -> tuple[str, ...]:
    """The statuses `role` may move a measure in status `current` to, in path order."""
    return tuple(
        target for target, (after, roles) in _MOVES.items() if current in after and role in roles
    )


def check_create(role: Role) -> None:
    if role not in CREATORS:
        raise PermissionDeniedError(N_("Only planners create measures."))


def check_edit(role: Role, status: str, changed: Iterable[str]) -> None:
    """Refuse an edit of the fields `changed` that the rules do not allow: planners only;
    a done or rejected measure only in its title and description (TEXT_FIELDS)."""
    if role not in EDITORS:
        raise PermissionDeniedError(N_("Only planners edit measures."))
    if status in CLOSED and set(changed) - TEXT_FIELDS:
        raise ValidationError(
            N_(
                "A measure that is “{status}” keeps its kind, responsibility, priority, cost,"
                " date and place; only its title and description can still be corrected."
            ),
            status=[STATUSES[status]],
        )


def editable_fields(status: str) -> tuple[str, ...]:
    """The fields (EDIT_FIELDS) a planner may still change in a measure of `status`."""
    return tuple(f for f in EDIT_FIELDS if status not in CLOSED or f in TEXT_FIELDS)


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
    description: str = ""


def edit_values(item: Measure | MeasureEdit) -> dict[str, Any]:
    """The EDIT_FIELDS of a measure or an edit as plain JSON values (dates as ISO text,
    the place as WKT with 6 decimals, about 10 cm; an edit's None place stays None)."""
    values = {name: getattr(item, name) for name in EDIT_FIELDS}
    if values["target_date"] is not None:
        values["target_date"] = values["target_date"].isoformat()
    if values["place"] is not None:
        values["place"] = shapely.to_wkt(values["place"], rounding_precision=6)
    return values


def edit_changes(measure: Measure, edit: MeasureEdit) -> dict[str, tuple[Any, Any]]:
    """What `edit` (validated) changes in `measure`: field -> (before, after), JSON values,
    in EDIT_FIELDS order; empty when it changes nothing. An edit without a place keeps
    the measure's place."""
    before, after = edit_values(measure), edit_values(edit)
    if edit.place is None or edit.place.equals(measure.place):
        after["place"] = before["place"]
    return {
        name: (before[name], after[name]) for name in EDIT_FIELDS if before[name] != after[name]
    }


def edit_detail(changes: Mapping[str, tuple[Any, Any]]) -> str:
    """How an edit is kept in the history's detail: JSON {field: [before, after]}."""
    return json.dumps({k: list(v) for k, v in changes.items()}, ensure_ascii=False)


def read_edit_detail(detail: str) -> dict[str, tuple[Any, Any]]:
    """The changes kept by `edit_detail` (fields this app does not know are left out)."""
    try:
        found = json.loads(detail)
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {
        k: (v[0], v[1])
        for k, v in found.items()
        if k in EDIT_FIELDS and isinstance(v, list) and len(v) == 2
    }


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change of a measure: created, its status moved (with the reason), or its
    fields edited (`detail`: edit_detail's JSON, see read_edit_detail)."""

    at: datetime
    actor: str
    change: str  # "created", "status" or "edited"
    from_status: str | None
    to_status: str | None
    detail: str
