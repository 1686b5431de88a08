"""The released photos of notes, shown wherever the notes are."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st  # noqa: F401  (ui/ modules use streamlit; filled in soon)

from store import Store


def released_photos(store: Store, pin_ids: Sequence[int]) -> None:
    """The released photos of these notes, small, each with its note's number."""
    del store, pin_ids  # filled in by the photo work (issue 15)
