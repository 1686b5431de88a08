"""Starts the app server (serve.py: `python serve.py [streamlit options]`), as `streamlit run
app.py [options]` would, with the application's modules imported and its caches
filled first, and with the app's own routes and middleware (ui/web_app.py).

Streamlit imports a page's modules in the script run of the first person to open
that page: SciPy, reportlab and the geo stack made the first opening of the comparison or
the plan of measures wait seconds longer than any later one, and cutting a quarter
into grid cells took longer than its analysis. Done here, in the main thread before the
server answers, that wait moves to the start; and no two threads import at once (two
script runs importing rasterio at the same time once broke the planner page).
"""

from __future__ import annotations

import gc
import importlib
import logging
import pkgutil
import sys
from typing import Any

import streamlit.web.cli as streamlit_cli

from services import event_log

# Every module of these packages, and so everything they import (SciPy, reportlab, the
# geo stack). Not ui/: a Streamlit component (the map) declared outside a script run is
# never registered, and the browser could not load it.
PRELOADED = ("services",)
# Modules the libraries import only when first used: Streamlit's emoji table (the first
# message box compiled its pattern of every emoji, 0.4 s), pandas' table styler, Folium.
LAZY = ("streamlit.emojis", "pandas.io.formats.style", "folium")


def preload() -> list[str]:
    """Import every module of PRELOADED; their names."""
    names = []
    # Streamlit warns of every cache decorator and context read before its runtime
    # exists; the caches themselves are made on first use, when it does.
    logging.disable(logging.WARNING)
    try:
        for package in PRELOADED:
            module = importlib.import_module(package)
            for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
                importlib.import_module(info.name)
                names.append(info.name)
        for name in LAZY:
            importlib.import_module(name)
            names.append(name)
    finally:
        logging.disable(logging.NOTSET)
    return names


def prepare() -> None:
    """Fill the shared caches (ui.warm_up): the city's layers, the lab quarters' grids."""
    from ui.warm_up import warm_up

    logging.disable(logging.WARNING)  # as in preload: no runtime yet, nothing wrong
    try:
        warm_up()
    finally:
        logging.disable(logging.NOTSET)
    # What is loaded now stays for the process's life. Frozen, the garbage collector's
    # full collections no longer walk it: a full collection over the loaded geo stack
    # took 0.3 s, paid by whichever script run happened to allocate at that moment.
    gc.collect()
    gc.freeze()


def streamlit_options(argv: list[str]) -> dict[str, Any]:
    """`--server.port 8501 …` as `streamlit run` reads it (types, STREAMLIT_* variables),
    keyed by the dotted names App.run takes."""
    context = streamlit_cli.main_run.make_context("serve.py", ["app.py", *argv])
    return {
        # The flag of "server.port" is "server_port"; the names are camelCase after that.
        name.replace("_", ".", 1): value
        for name, value in context.params.items()
        if name not in ("target", "args") and value is not None and value != ()
    }


def main() -> None:
    event_log.configure()  # one JSON line per request, script run and save, on stderr
    options = streamlit_options(sys.argv[1:])
    preload()
    prepare()
    from ui.web_app import app

    # App.run anchors the static files (static/) at the launcher, serve.py: the project.
    sys.argv = sys.argv[:1]
    app.run(config=options)
