"""Pins: the value objects and the rules a new pin's fields must meet.

Where a pin may lie (inside its quarter) is geometry: geo.pins.validate_draft
checks both.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

from rules.errors import N_, ValidationError
from rules.limits import TEXT_TOO_LONG, check_length
from rules.text import clean_text
from rules.vocab import CATEGORIES, SEVERITIES, TEXT_MAX_CHARS, TIME_BANDS

# What became of a pin's free text: none given, waiting for a moderator, or released.
TEXT_NONE: Final = "none"
TEXT_PENDING: Final = "pending"
TEXT_RELEASED: Final = "released"
# The one rule of who reads a text: everyone, only once a moderator released it.
PUBLIC_TEXT_STATUSES: Final = frozenset({TEXT_RELEASED})


@dataclass(frozen=True, slots=True)
class PinDraft:
    """A pin as a participant submits it, before it is stored."""

    quarter_id: str
    lon: float
    lat: float
    category: str | None
    time_band: str | None
    severity: int | None = None
    text: str = ""
    token: str = ""
    session_id: int | None = None
    channel: str = "online"
    working_group: str | None = None
    # A random id of the browser session, for the rate limit and "me too";
    # never an IP address or a device identifier.
    participant: str = ""


@dataclass(frozen=True, slots=True)
class Pin:
    """A stored pin."""

    id: int
    quarter_id: str
    lon: float
    lat: float
    category: str
    time_band: str
    severity: int | None
    text: str
    created_at: datetime
    token: str
    session_id: int | None = None
    channel: str = "online"
    working_group: str | None = None
    text_status: str = TEXT_NONE  # TEXT_NONE | TEXT_PENDING | TEXT_RELEASED
    hidden: bool = False  # hidden by a moderator (with a reason in the audit log)
    supports: int = 0  # "me too" from other participants

    @property
    def public_text(self) -> str:
        """The text as everyone may read it (see is_public_text)."""
        return self.text if is_public_text(self.text_status) else ""


def is_public_text(text_status: str) -> bool:
    """Whether a pin's text may be shown to everyone (PUBLIC_TEXT_STATUSES; geo.privacy
    applies the same to frames)."""
    return text_status in PUBLIC_TEXT_STATUSES


def initial_text_status(text: str) -> str:
    """The status of a new pin's text: it waits for a moderator, if there is one."""
    return TEXT_PENDING if text else TEXT_NONE


def new_token() -> str:
    """A fresh client submission token: one per form, reused on every retry."""
    return uuid.uuid4().hex


def check_fields(draft: PinDraft) -> PinDraft:
    """Check a draft's fields (not its place) and return it with its text cleaned.

    Raises ValidationError with a message that names what is missing or wrong.
    The input is not changed.
    """
    missing = []
    if draft.category is None:
        missing.append(N_("category"))
    if draft.time_band is None:
        missing.append(N_("when it feels unsafe"))
    if missing:
        raise ValidationError(N_("Please choose: {fields}."), fields=missing)
    if draft.category not in CATEGORIES:
        raise ValidationError(N_("Unknown category: {value}."), value=draft.category)
    if draft.time_band not in TIME_BANDS:
        raise ValidationError(N_("Unknown time of day: {value}."), value=draft.time_band)
    if draft.severity is not None and (
        isinstance(draft.severity, bool) or draft.severity not in SEVERITIES
    ):
        raise ValidationError(N_("Severity must be 1, 2 or 3."))
    if not draft.token:
        raise ValidationError(N_("The form has expired. Please tap the map again."))
    text = clean_text(draft.text)
    check_length(text, TEXT_MAX_CHARS, TEXT_TOO_LONG)
    return replace(draft, text=text)
