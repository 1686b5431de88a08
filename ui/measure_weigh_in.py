"""Residents weigh in on a proposed measure: "finde ich gut" and a comment."""

from __future__ import annotations

import streamlit as st  # noqa: F401  (ui/ modules use streamlit; filled in soon)

from rules.measures import Measure
from store import Store


def weigh_in_panel(store: Store, measure: Measure) -> None:
    """Support and comment on `measure` while its quarter's comment phase is open."""
    del store, measure  # filled in by the weigh-in work (issue 15)
