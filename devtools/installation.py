"""The README's deployment, on this machine, under a folder instead of /: releases in
<root>/opt/sichere-quartiere, the environment file in <root>/etc/sichere-quartiere, the
systemd unit (its paths moved to <root>) started by devtools.unit_runner, and
deploy/release.py run as the README says. For the deployment test."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from devtools.unit_runner import environment_file

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEPLOY = PROJECT_DIR / "deploy"
# systemd's units: the app processes, the nightly backup and its timer.
UNITS = (
    "sichere-quartiere@.service",
    "sichere-quartiere-backup.service",
    "sichere-quartiere-backup.timer",
)
ENV_NAME = "sichere-quartiere.env"


@dataclass
class Installation:
    root: Path
    db_url: str
    ports: tuple[int, ...]

    @property
    def home(self) -> Path:
        return self.root / "opt" / "sichere-quartiere"

    @property
    def etc(self) -> Path:
        return self.root / "etc" / "sichere-quartiere"

    @property
    def state(self) -> Path:
        return self.root / "var" / "lib" / "sichere-quartiere"

    @property
    def units(self) -> Path:
        return self.root / "etc" / "systemd" / "system"

    @property
    def backups(self) -> Path:
        return self.root / "var" / "backups" / "sichere-quartiere"

    @property
    def running(self) -> Path:
        return self.root / "run" / "units"

    def release_dir(self, name: str) -> Path:
        return self.home / "releases" / name

    def unit_text(self, name: str = UNITS[0]) -> str:
        """One of the project's units with its folders moved under `root`."""
        text = (DEPLOY / name).read_text(encoding="utf-8")
        for folder, moved in (
            ("/opt/sichere-quartiere", self.home),
            ("/etc/sichere-quartiere", self.etc),
            ("/var/lib/sichere-quartiere", self.state),
            ("/var/backups/sichere-quartiere", self.backups),
        ):
            text = text.replace(folder, str(moved))
        return text

    def prepare(self, releases: list[str], refresh_s: float = 1.5) -> Installation:
        """Folders, the environment file and the unit; each release a link to this
        checkout (set up already: its .venv), as `git clone` + scripts/setup.sh make one."""
        folders = (self.home / "releases", self.etc, self.state, self.backups)
        for folder in (*folders, self.units, self.running):
            folder.mkdir(parents=True, exist_ok=True)
        for name in releases:
            self.release_dir(name).symlink_to(PROJECT_DIR)
        (self.etc / ENV_NAME).write_text(
            f"SQ_DB={self.db_url}\nSQ_REFRESH_S={refresh_s}\n", encoding="utf-8"
        )
        for name in UNITS:
            (self.units / name).write_text(self.unit_text(name), encoding="utf-8")
        return self

    @property
    def systemctl(self) -> list[str]:
        folders = ["--units", str(self.units), "--state", str(self.running)]
        return [sys.executable, "-m", "devtools.unit_runner", *folders]

    def release(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`python -m deploy.release …` with the environment file loaded, as the README runs it."""
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        env.update(environment_file(self.etc / ENV_NAME))
        ports = [str(port) for port in self.ports]
        command = [sys.executable, "-m", "deploy.release", "--home", str(self.home)]
        command += ["--ports", *ports, "--systemctl", " ".join(self.systemctl), *args]
        return subprocess.run(
            command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
        )

    def stop(self) -> None:
        units = [f"sichere-quartiere@{port}.service" for port in self.ports]
        subprocess.run([*self.systemctl, "stop", *units], cwd=PROJECT_DIR, check=False)
