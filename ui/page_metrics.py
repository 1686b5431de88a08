"""Each script run of a page timed, counted and logged (services.metrics): app.py runs the
page the navigation chose through run_measured.

The page runs exactly as it would alone: Streamlit's control flow (st.rerun, st.stop,
st.switch_page raise a ScriptControlException, a BaseException) passes through untouched
and is counted as "rerun" or "stopped"; an error is counted as a failure and raised on, for
Streamlit to show as before. Only the page's own run is timed, not the frame's sidebar;
a fragment's rerun (st.fragment) runs no page and is not counted.
"""

from __future__ import annotations

import time

import streamlit as st  # noqa: F401  (every ui/ module is of the app's screens' floor)
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from services.metrics import count_failure, on_page, page_label, record_script_run


def run_measured(page: StreamlitPage) -> None:
    """Run the page the navigation chose, timed and counted under its address."""
    # url_path is "" for the default page; the label names it by its own address.
    name = page_label(page.url_path)
    start = time.perf_counter()
    outcome = "failed"
    try:
        with on_page(name):
            page.run()
        outcome = "completed"
    except RerunException:
        outcome = "rerun"
        raise
    except StopException:
        outcome = "stopped"
        raise
    except Exception as exc:
        count_failure("page", exc)
        raise
    finally:
        record_script_run(name, outcome, time.perf_counter() - start)
