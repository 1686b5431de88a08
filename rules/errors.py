"""The project's one error hierarchy.

Every error carries an English message id and its parameters, so the UI can
show it translated (German first) while logs and tests read plain English.
"""

from __future__ import annotations

from typing import Any


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    """Mark a string for translation without translating it here."""
    return msgid


class SQError(Exception):
    """Base of every error the app expects and explains to its users."""

    def __init__(self, msgid: str, **params: Any) -> None:
        """`params` fill the message's fields: a list holds the code's message ids
        (translated when shown), a tuple data from a file or a person (shown as is)."""
        self.msgid = msgid
        self.params = params
        readable = {
            key: ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
            for key, value in params.items()
        }
        super().__init__(msgid.format(**readable))


class DataPackError(SQError):
    """The district data pack is missing, incomplete or broken."""


class ValidationError(SQError, ValueError):
    """Input from a person or a file does not meet the rules."""


class OutsideQuarterError(ValidationError):
    """A place lies outside the chosen quarter."""


class StoreError(SQError):
    """The store could not do what was asked; nothing was changed."""


class StoreUnavailableError(StoreError):
    """The store cannot be reached or written right now; try again later."""


class SchemaVersionError(StoreError):
    """The database was written by a newer version of the app."""


# Named in every message about a missing or broken data pack.
FETCH_COMMAND = "python -m datapack fetch"
