"""Residents weigh in on measures: "finde ich gut" and pre-moderated comments.

Residents may support a measure (once each) and comment on it while it is still open
to discussion (proposed, or on the steering circle's agenda) and while the planners
keep its quarter's comment phase open. A comment is cleaned like a note's text and
waits for a moderator (pending -> released, or hidden with a reason). These rules are
checked here and again by the store, on the server.
"""

from __future__ import annotations

from typing import Final

from rules.errors import N_, ValidationError
from rules.limits import TEXT_TOO_LONG, check_length
from rules.measures import STATUSES
from rules.roles import PermissionDeniedError, Role
from rules.text import clean_text
from rules.vocab import TEXT_MAX_CHARS

# The statuses in which a measure takes supports and comments.
OPEN_STATUSES: Final = frozenset({"proposed", "discussed"})
# A comment is as long as a note's text may be.
COMMENT_MAX_CHARS: Final = TEXT_MAX_CHARS
# One participant's comments within an hour, over all measures: keeps the queue fair.
COMMENTS_PER_HOUR: Final = 10
# Who opens and closes a quarter's comment phase.
PHASE_KEEPERS: Final = frozenset({Role.PLANNER})

# What became of a comment.
COMMENT_PENDING: Final = "pending"
COMMENT_RELEASED: Final = "released"
COMMENT_HIDDEN: Final = "hidden"

PHASE_CLOSED: Final = N_(
    "Comments and support for the measures of this quarter are not possible at the moment:"
    " the comment phase is closed."
)
STATUS_CLOSED: Final = N_(
    "This measure is “{status}”: comments and support are only possible while a measure is"
    " proposed or on the steering circle's agenda."
)
COMMENT_EMPTY: Final = N_("Please write your comment first.")
TOO_MANY_COMMENTS: Final = N_(
    "You have written {count} comments within an hour. To keep the discussion fair, at most"
    " {limit} per hour are possible; please try again later."
)


def refusal(status: str, *, phase_open: bool) -> ValidationError | None:
    """Why a measure of `status` takes no supports or comments now (None: it does).
    A closed status is named first: it will not open again."""
    if status not in OPEN_STATUSES:
        return ValidationError(STATUS_CLOSED, status=[STATUSES.get(status, status)])
    if not phase_open:
        return ValidationError(PHASE_CLOSED)
    return None


def check_open(status: str, *, phase_open: bool) -> None:
    """Raise `refusal`'s error, if there is one."""
    refused = refusal(status, phase_open=phase_open)
    if refused is not None:
        raise refused


def clean_comment(text: str) -> str:
    """A comment's text as stored: cleaned like a note's text (rules.text.clean_text),
    not empty and at most COMMENT_MAX_CHARS long; else ValidationError."""
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationError(COMMENT_EMPTY)
    check_length(cleaned, COMMENT_MAX_CHARS, TEXT_TOO_LONG)
    return cleaned


def check_rate(count: int) -> None:
    """Refuse a comment when `count` comments of the same participant are within the
    last hour already (COMMENTS_PER_HOUR)."""
    if count >= COMMENTS_PER_HOUR:
        raise ValidationError(TOO_MANY_COMMENTS, count=count, limit=COMMENTS_PER_HOUR)


def check_phase_keeper(role: Role) -> None:
    if role not in PHASE_KEEPERS:
        raise PermissionDeniedError(N_("Only planners open and close the comment phase."))
