"""serve.py: what the server does before it answers."""

from __future__ import annotations

import gc
import subprocess
import sys

import streamlit as st

from ui import server as serve


def test_the_start_imports_the_services_and_the_libraries_lazy_modules() -> None:
    names = serve.preload()
    assert {"services.comparison", "services.plan_report", "services.candidates"} <= set(names)
    assert set(serve.LAZY) <= set(names)
    assert all(name in sys.modules for name in names)


def test_the_start_declares_no_component_before_the_server_runs() -> None:
    # Declared outside a script run, the map's component is never registered: every map
    # in the browser would say it cannot load. A fresh interpreter, as the server is.
    script = (
        "import sys; from ui import server; server.preload(); server.prepare(); "
        "print('streamlit_folium' in sys.modules)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert shown.stdout.strip().splitlines()[-1] == "False"


def test_the_start_cuts_the_lab_quarters_grids_and_reads_the_layers(tmp_path, monkeypatch) -> None:
    from datapack.loading import load_districts
    from geo.grid import _cut
    from geo.hotspots import _lattice_of
    from ui.warm_up import warm_up

    monkeypatch.setenv("SQ_DB", str(tmp_path / "warm.sqlite"))
    st.cache_resource.clear()  # settings and store of this test's database
    _cut.cache_clear()
    _lattice_of.cache_clear()  # else a quarter's lattice from an earlier test skips its cut
    try:
        serve.prepare()
        # Two grids per lab quarter: the hotspot lattice's and the comparison maps'.
        assert _cut.cache_info().currsize == 2 * len(load_districts().district_ids)
        assert warm_up() > 0  # the data pack's layers (stops, …) were read
        assert gc.get_freeze_count() > 100_000  # what was loaded, out of the collector's way
    finally:
        gc.unfreeze()
        st.cache_resource.clear()
