"""Who may do what. Every page and every store action asks here, on the server."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from rules.errors import N_, SQError


class Role(StrEnum):
    PARTICIPANT = "participant"  # no login
    FACILITATOR = "facilitator"
    MODERATOR = "moderator"
    PLANNER = "planner"
    STEERING = "steering"
    ADMIN = "admin"


ROLE_LABELS: Final[dict[Role, str]] = {
    Role.PARTICIPANT: N_("participant"),
    Role.FACILITATOR: N_("facilitator"),
    Role.MODERATOR: N_("moderator"),
    Role.PLANNER: N_("planner"),
    Role.STEERING: N_("steering circle"),
    Role.ADMIN: N_("admin"),
}


class Action(StrEnum):
    PIN = "pin"  # place a pin, support, flag (participants in an open session)
    READ_EXACT = "read_exact"  # exact coordinates, unreleased texts' existence, planner map
    RUN_SESSIONS = "run_sessions"  # open / close lab sessions, transcribe paper maps
    MODERATE = "moderate"  # release, edit, hide, merge; the flag queue
    MANAGE_LAYERS = "manage_layers"  # upload and remove layers
    READ_AUDIT = "read_audit"
    MANAGE_USERS = "manage_users"  # create accounts, change roles
    PURGE_TEXTS = "purge_texts"  # retention


_ALLOWED: Final[dict[Action, frozenset[Role]]] = {
    Action.PIN: frozenset(Role),
    Action.READ_EXACT: frozenset(
        {Role.FACILITATOR, Role.MODERATOR, Role.PLANNER, Role.STEERING, Role.ADMIN}
    ),
    Action.RUN_SESSIONS: frozenset({Role.FACILITATOR, Role.ADMIN}),
    Action.MODERATE: frozenset({Role.MODERATOR, Role.ADMIN}),
    Action.MANAGE_LAYERS: frozenset({Role.PLANNER, Role.ADMIN}),
    Action.READ_AUDIT: frozenset({Role.ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.PURGE_TEXTS: frozenset({Role.ADMIN}),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a logged-in staff member, or an anonymous participant."""

    name: str
    role: Role

    @classmethod
    def participant(cls) -> Actor:
        return cls(name="participant", role=Role.PARTICIPANT)


class PermissionDeniedError(SQError):
    """The actor's role does not allow this action."""


def allowed(role: Role, action: Action) -> bool:
    return role in _ALLOWED[action]


def require(actor: Actor, action: Action) -> None:
    """Raise PermissionDeniedError unless `actor` may do `action`."""
    if not allowed(actor.role, action):
        raise PermissionDeniedError(
            N_("Your role ({role}) may not do this. Please log in with a suitable account."),
            role=ROLE_LABELS[actor.role],
        )
