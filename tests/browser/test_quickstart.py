"""The README's app command, run as written, answers and shows the three quarters."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
import urllib.request
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from devtools.pg_cluster import free_port
from store import SqliteStore
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.browser


def test_the_app_command_serves_the_three_quarters(tmp_path: Path, new_page: Any) -> None:
    port = free_port()
    env = {**os.environ, "SQ_PORT": str(port), "SQ_DB": str(tmp_path / "pins.sqlite")}
    process = subprocess.Popen(
        ["bash", "scripts/app.sh"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so the whole process group can be stopped
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # set-up is skipped when done, but may run
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert process.poll() is None, "scripts/app.sh exited early"
                time.sleep(0.5)
        page = new_page()
        page.goto(url)
        for name in ("Bövinghausen", "Brackel", "Phoenix-See"):
            page.get_by_role("button", name=name, exact=True).wait_for(timeout=30_000)
        # Leaflet comes from the app itself.
        with urllib.request.urlopen(f"{url}/app/static/vendor/leaflet/leaflet.js") as response:
            assert response.status == 200
            assert b"Leaflet" in response.read(2000)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_the_app_command_refuses_a_database_from_a_newer_app(tmp_path: Path) -> None:
    db = tmp_path / "newer.sqlite"
    SqliteStore(db).close()
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0042_from_the_future'")
    port = free_port()
    env = {**os.environ, "SQ_PORT": str(port), "SQ_DB": str(db)}
    done = subprocess.run(
        ["bash", "scripts/app.sh"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 1
    assert "refused: The database" in done.stderr and "0042_from_the_future" in done.stderr
    assert "Update the app before using this database" in done.stderr
    with pytest.raises(OSError):  # nothing listens: the app never started
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
