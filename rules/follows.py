"""Following one's note by e-mail, and taking a note back: the rules.

A note can be withdrawn by the browser that saved it (the same participation number)
within `WITHDRAW_WINDOW` of saving it, while nobody has taken it up yet (no measure, no
moderation); after that only the moderation removes notes. A follower's address must
look like an address (one plain ASCII local part, a domain that may be written in
umlauts) and is confirmed by a link before any mail about the note goes to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from rules.errors import N_, ValidationError
from rules.text import clean_line

WITHDRAW_WINDOW: Final = timedelta(minutes=10)
# An address not confirmed within this time is deleted (the mail says so).
CONFIRM_WITHIN: Final = timedelta(days=7)
# So nobody sends confirmation mails to a crowd of strangers in the name of one note.
MAX_FOLLOWERS_PER_PIN: Final = 3
EMAIL_MAX_CHARS: Final = 254  # RFC 5321's limit of a forward path

# What each status of a linked measure means for the person who set the note. The same
# message ids as ui.pin_fate's words, so the page and the mail say the same.
# A measure in one of these statuses will change no more: its mail is the last one.
FINAL_STATUSES: Final = frozenset({"done", "rejected"})

BAD_EMAIL: Final = N_("Please enter an e-mail address such as name@example.org.")
TOO_LATE: Final = N_(
    "After 10 minutes only the moderation can remove a note. If it should go, please"
    " report it with “Report” and say why."
)
NOT_YOURS: Final = N_(
    "Only the device that saved a note can withdraw it, within 10 minutes of saving."
)
IN_A_MEASURE: Final = N_(
    "This note is already part of a measure; only the moderation can remove it now."
)
MODERATED: Final = N_(
    "The moderation has already dealt with this note; only the moderation can remove it now."
)
GONE: Final = N_("This note is no longer there: it has been withdrawn or removed.")

_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class WithdrawRefusedError(ValidationError):
    """A note that can no longer be withdrawn by its author (or never could)."""


@dataclass(frozen=True, slots=True)
class NoteFacts:
    """What decides whether a note may still be withdrawn, as the store reads it."""

    owner: str  # the participation number that saved it ("" for staff transcriptions)
    created_at: datetime
    in_a_measure: bool
    moderated: bool  # hidden, merged into another, or another merged into it


def withdraw_deadline(created_at: datetime) -> datetime:
    """The last moment a note made at `created_at` may be withdrawn by its author."""
    return created_at + WITHDRAW_WINDOW


def check_withdraw(facts: NoteFacts, participant: str, now: datetime) -> None:
    """Raise WithdrawRefusedError with a plain reason unless `participant` may withdraw
    the note now. Someone else's note is refused before its age is told."""
    if not participant or facts.owner != participant:
        raise WithdrawRefusedError(NOT_YOURS)
    if now > withdraw_deadline(facts.created_at):
        raise WithdrawRefusedError(TOO_LATE)
    if facts.in_a_measure:
        raise WithdrawRefusedError(IN_A_MEASURE)
    if facts.moderated:
        raise WithdrawRefusedError(MODERATED)


def clean_email(text: str) -> str:
    """The address as stored: trimmed, the domain in lower case and in its ASCII form
    (müller.de -> xn--mller-kva.de). Raises ValidationError(BAD_EMAIL) for anything
    else, newlines and display names included.

    >>> clean_email("  Ana.Muster@Example.ORG ")
    'Ana.Muster@example.org'
    """
    address = clean_line(text)
    local, at, domain = address.rpartition("@")
    if not at or len(address) > EMAIL_MAX_CHARS or len(local) > 64:
        raise ValidationError(BAD_EMAIL)
    try:
        ascii_domain = domain.lower().encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(BAD_EMAIL) from None
    labels = ascii_domain.split(".")
    if (
        not _LOCAL.fullmatch(local)
        or len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ValidationError(BAD_EMAIL)
    return f"{local}@{ascii_domain}"


def valid_follow_token(value: object) -> str | None:
    """The token if `value` could be one this app made (for a link's parameter)."""
    return value if isinstance(value, str) and _TOKEN.fullmatch(value) else None
