"""The app as a subprocess: `python serve.py` on a free loopback port, for browser
tests and the lab benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from devtools.pg_cluster import free_port
from devtools.processes import answers, stop

PROJECT_DIR = Path(__file__).resolve().parents[1]


@dataclass
class AppServer:
    """One run of the app server (serve.py) on a free loopback port; `db_path` is its SQ_DB
    (a SQLite file or a postgresql:// URL)."""

    db_path: Path | str
    refresh_s: float = 1.5
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    # Where the server's standard error (its log) goes, appended; None: nowhere.
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        """The app's WebSocket, as a browser tab opens it."""
        return f"ws://127.0.0.1:{self.port}/_stcore/stream"

    def start(self) -> AppServer:
        # Demo mode only when asked for: a developer's SQ_DEMO must not leak in.
        env = {key: value for key, value in os.environ.items() if key != "SQ_DEMO"}
        env.update({"SQ_DB": str(self.db_path), "SQ_REFRESH_S": str(self.refresh_s)})
        env.update(self.extra_env)
        log = None if self.log_path is None else self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "serve.py",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL if log is None else log,
        )
        if log is not None:
            log.close()  # the server has its own copy
        if answers(f"{self.url}/_stcore/health", self.process, 60):
            return self
        self.stop()
        raise RuntimeError(f"the app did not answer on {self.url} within 60 s")

    def stop(self) -> None:
        stop(self.process)
        self.process = None
