"""nginx from Debian in front of two app processes, with the project's own config
(deploy/nginx.conf.in), for the tests and the lab benchmark."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from devtools.pg_cluster import free_port
from devtools.processes import answers, stop

PROJECT_DIR = Path(__file__).resolve().parents[1]
TEMPLATE = PROJECT_DIR / "deploy" / "nginx.conf.in"
NGINX = Path("/usr/sbin/nginx")


def render(listen: str, app_a: int, app_b: int, prefix: Path) -> str:
    """The config for nginx on `listen` in front of the app on ports `app_a` and `app_b`."""
    # As root nginx would hand its workers to "nobody", who may not write to `prefix`.
    user = "user root;" if os.geteuid() == 0 else ""
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {
        "PREFIX": str(prefix),
        "USER": user,
        "LISTEN": listen,
        "APP_A": str(app_a),
        "APP_B": str(app_b),
    }.items():
        text = text.replace("{{" + key + "}}", value)
    return text


@dataclass
class Balancer:
    """nginx on a free loopback port in front of the app processes on `app_ports`."""

    app_ports: tuple[int, int]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    prefix: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/_stcore/stream"

    def start(self) -> Balancer:
        self.prefix = Path(tempfile.mkdtemp(prefix="sq-nginx-"))
        conf = self.prefix / "nginx.conf"
        conf.write_text(render(f"127.0.0.1:{self.port}", *self.app_ports, self.prefix))
        self.process = subprocess.Popen(
            [str(NGINX), "-p", str(self.prefix), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if answers(f"{self.url}/_stcore/health", self.process, 30):
            return self
        stderr = self.process.stderr
        exited = self.process.poll() is not None
        errors = stderr.read().decode() if exited and stderr is not None else ""
        self.stop()
        raise RuntimeError(f"nginx did not answer on {self.url}: {errors.strip()}")

    def stop(self) -> None:
        stop(self.process, timeout=10)
        self.process = None
        if self.prefix is not None:
            shutil.rmtree(self.prefix, ignore_errors=True)
            self.prefix = None
