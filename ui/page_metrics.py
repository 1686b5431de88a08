"""Each script run of a page timed, counted and logged (placeholder: filled in by issue 16)."""

from __future__ import annotations

from streamlit.navigation.page import StreamlitPage


def run_measured(page: StreamlitPage) -> None:
    """Run the page the navigation chose."""
    page.run()
