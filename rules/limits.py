"""Length limits on what people type, with one way to say a text is too long."""

from __future__ import annotations

from typing import Final

from rules.errors import N_, ValidationError

TITLE_TOO_LONG: Final = N_("The title is {length} characters long; at most {limit} are allowed.")
PLACE_TOO_LONG: Final = N_("The place is {length} characters long; at most {limit} are allowed.")
TEXT_TOO_LONG: Final = N_("The text is {length} characters long; at most {limit} are allowed.")
REASON_TOO_LONG: Final = N_("The reason is {length} characters long; at most {limit} are allowed.")


def check_length(text: str, limit: int, message: str) -> None:
    """ValidationError(`message`, with the length and the limit) if `text` is too long."""
    if len(text) > limit:
        raise ValidationError(message, length=len(text), limit=limit)
