"""run_measured: a page runs as it would alone, and each run is counted under its address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from rules.errors import StoreUnavailableError
from services.metrics import REGISTRY, current_page
from ui.page_metrics import run_measured


class FakePage:
    """What run_measured uses of a StreamlitPage: its address and run()."""

    def __init__(self, url_path: str, body: Callable[[], None]) -> None:
        self.url_path = url_path
        self._body = body

    def run(self) -> None:
        self._body()


def runs(page: str, outcome: str) -> float:
    return (
        REGISTRY.get_sample_value("sq_script_runs_total", {"page": page, "outcome": outcome}) or 0
    )


def run(page: FakePage) -> None:
    run_measured(page)  # type: ignore[arg-type]


def test_a_completed_run_is_counted_and_timed_under_the_pages_address() -> None:
    seen: list[str] = []
    before = runs("plan", "completed")
    timed = REGISTRY.get_sample_value("sq_script_run_seconds_count", {"page": "plan"}) or 0
    run(FakePage("plan", lambda: seen.append(current_page())))
    assert seen == ["plan"]  # a save during the run is logged with its page
    assert runs("plan", "completed") == before + 1
    assert REGISTRY.get_sample_value("sq_script_run_seconds_count", {"page": "plan"}) == timed + 1


def test_the_main_page_is_counted_by_its_own_name() -> None:
    before = runs("karte", "completed")
    run(FakePage("", lambda: None))
    assert runs("karte", "completed") == before + 1


@pytest.mark.parametrize(
    ("control", "outcome"),
    [(RerunException(None), "rerun"), (StopException(), "stopped")],  # type: ignore[arg-type]
)
def test_streamlits_control_flow_passes_untouched(control: BaseException, outcome: str) -> None:
    def body() -> None:
        raise control

    before = runs("moderation", outcome)
    with pytest.raises(type(control)) as raised:
        run(FakePage("moderation", body))
    assert raised.value is control
    assert runs("moderation", outcome) == before + 1


@pytest.mark.parametrize(
    ("error", "kind"),
    [(StoreUnavailableError("x"), "StoreUnavailableError"), (KeyError("k"), "unexpected")],
)
def test_an_error_is_raised_on_and_counted_as_a_failure(error: Exception, kind: str) -> None:
    def body() -> Any:
        raise error

    failures = REGISTRY.get_sample_value("sq_failures_total", {"source": "page", "kind": kind}) or 0
    with pytest.raises(type(error)) as raised:
        run(FakePage("daten", body))
    assert raised.value is error
    assert REGISTRY.get_sample_value("sq_failures_total", {"source": "page", "kind": kind}) == (
        failures + 1
    )
