"""Lab sessions (Quartierslabore): formats, working groups, join codes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from rules.errors import N_, ValidationError
from rules.limits import PLACE_TOO_LONG, TITLE_TOO_LONG, check_length
from rules.text import clean_line

FORMATS: Final[dict[str, str]] = {
    "lab_table": N_("lab table"),
    "walk": N_("neighbourhood walk"),
    "online": N_("online"),
    "paper": N_("paper map, transcribed"),
}
WORKING_GROUPS: Final[dict[str, str]] = {
    "neighbourhood": N_("safe neighbourhood"),
    "public_spaces": N_("safe public spaces"),
    "infrastructure": N_("safe infrastructure"),
}
# No 0/O, 1/I/L: codes are read off a screen and typed on a phone.
CODE_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH: Final = 6
MAX_TITLE_CHARS: Final = 120


@dataclass(frozen=True, slots=True)
class LabSession:
    id: int
    quarter_id: str
    title: str
    held_on: date
    place: str
    format: str
    join_code: str
    status: str  # "open" | "closed"
    created_by: str
    created_at: datetime
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


def new_join_code() -> str:
    """Six characters from an unambiguous alphabet, e.g. "K7M3QX"."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a participant typed, as a code: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def check_session_fields(*, title: str, format: str, place: str) -> tuple[str, str]:
    """The new session's title and place cleaned (rules.text), or ValidationError
    naming what is wrong with its fields."""
    title, place = clean_line(title), clean_line(place)
    if not title:
        raise ValidationError(N_("Please give the session a title."))
    check_length(title, MAX_TITLE_CHARS, TITLE_TOO_LONG)
    if format not in FORMATS:
        raise ValidationError(N_("Unknown session format: {value}."), value=format)
    check_length(place, MAX_TITLE_CHARS, PLACE_TOO_LONG)
    return title, place
