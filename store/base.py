"""The store interface every backend implements."""

from __future__ import annotations

from typing import Protocol

from geo.pins import Pin, PinDraft


class PinStore(Protocol):
    """Where pins live. Every write is one transaction; tokens make writes idempotent."""

    def add_pin(self, draft: PinDraft) -> Pin:
        """Store a validated draft once; a repeated token returns the pin stored first.

        Raises StoreUnavailableError when the database cannot be written now.
        """
        ...

    def pins_in_quarter(self, quarter_id: str) -> list[Pin]:
        """All pins of one quarter, oldest first."""
        ...

    def count_pins(self, quarter_id: str | None = None) -> int:
        """Number of pins, of one quarter or of all."""
        ...
