"""Mails to residents who follow their note: one per status change of a linked measure."""

from __future__ import annotations

from store import Store


def tell_followers(store: Store, measure_id: int) -> int:
    """Send what is due for `measure_id`'s followers; how many mails were sent."""
    del store, measure_id  # filled in by the follow work (issue 15)
    return 0
