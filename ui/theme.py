"""A few style rules Streamlit has no setting for: large, touch-friendly controls."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

# Streamlit gives each keyed element the class st-key-<key>.
_CSS = """
<style>
[class*="st-key-quarter_"] button { min-height: 4.5rem; }
[class*="st-key-quarter_"] button p { font-size: 1.45rem; font-weight: 600; }
[class*="st-key-pin_form_"] label p, [class*="st-key-pin_form_"] div[role="radiogroup"] p {
    font-size: 1.05rem;
}
div[role="radiogroup"] label { padding: 0.15rem 0; }
/* The language button (ui/i18n.py) sits in the top bar, over Streamlit's empty right
   side of it, so it costs no line of the page. */
.st-key-language_top {
    position: fixed; top: 0.55rem; right: 1rem; z-index: 999991; width: auto !important;
}
</style>
"""


def apply_style() -> None:
    st.html(_CSS)


def hide_menu_entries(url_paths: Iterable[str]) -> None:
    """Take these pages out of the menu, for eye and screen reader alike."""
    selectors = ", ".join(f'[data-testid="stSidebarNav"] a[href$="/{path}"]' for path in url_paths)
    if selectors:
        st.html(f"<style>{selectors} {{ display: none; }}</style>")
