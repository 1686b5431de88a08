"""`systemctl start|stop` for the deployment test: runs the project's systemd units
(deploy/sichere-quartiere@.service) as systemd would run them, where systemd cannot
(in this container PID 1 is not systemd):

    python -m devtools.unit_runner --units DIR --state DIR start sichere-quartiere@8501.service

It reads the unit's [Service] section: WorkingDirectory, EnvironmentFile, Environment,
ExecStart and Type (a oneshot runs to its end), with %i the instance; a clean
environment as systemd gives. User=, the sandboxing options and Restart= are systemd's
own and not imitated (the tests check the files with `systemd-analyze verify`).
Processes are kept in DIR/<unit>.pid, their output in DIR/<unit>.log.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}


def template_of(unit: str) -> tuple[str, str]:
    """("sichere-quartiere@.service", "8501") for "sichere-quartiere@8501.service"; a unit
    that is no template's instance is its own file, with no instance."""
    name, _, kind = unit.rpartition(".")
    if "@" not in name:
        return unit, ""
    prefix, _, instance = name.partition("@")
    return f"{prefix}@.{kind}", instance


def service_section(text: str, instance: str) -> list[tuple[str, str]]:
    """The [Service] section's settings in order, %i replaced."""
    settings, section = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]" and "=" in line:
            key, _, value = line.partition("=")
            settings.append((key.strip(), value.strip().replace("%i", instance)))
    return settings


def environment_file(path: Path) -> dict[str, str]:
    values = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"')
    return values


def start(units: Path, state: Path, unit: str) -> None:
    template, instance = template_of(unit)
    settings = service_section((units / template).read_text(encoding="utf-8"), instance)
    env, cwd, command, oneshot = dict(BASE_ENV), None, None, False
    for key, value in settings:
        if key == "EnvironmentFile":
            optional = value.startswith("-")
            path = Path(value.removeprefix("-"))
            if path.exists() or not optional:
                env.update(environment_file(path))
        elif key == "Environment":
            for part in shlex.split(value):
                name, _, setting = part.partition("=")
                env[name] = setting
        elif key == "WorkingDirectory":
            cwd = value
        elif key == "ExecStart":
            command = shlex.split(value)
        elif key == "Type":
            oneshot = value == "oneshot"
    if command is None:
        raise SystemExit(f"{unit}: no ExecStart")
    with (state / f"{unit}.log").open("ab") as log:
        if oneshot:  # as systemctl start: returns when it ended, fails if it failed
            code = subprocess.run(command, cwd=cwd, env=env, stdout=log, stderr=log).returncode
            if code != 0:
                raise SystemExit(f"{unit} failed with exit code {code}")
            return
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=log, start_new_session=True
        )
    (state / f"{unit}.pid").write_text(str(process.pid))


def stop(state: Path, unit: str, timeout_s: float = 20) -> None:
    pid_file = state / f"{unit}.pid"
    if not pid_file.exists():
        return  # not running: as systemctl, nothing to do
    pid = int(pid_file.read_text())
    try:
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            os.killpg(pid, 0)
            time.sleep(0.1)
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    pid_file.unlink()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.unit_runner", description=__doc__)
    parser.add_argument("--units", type=Path, required=True, help="folder of the unit files")
    parser.add_argument("--state", type=Path, required=True, help="pid and log files")
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("unit", nargs="+")
    args = parser.parse_args(argv)
    args.state.mkdir(parents=True, exist_ok=True)
    for unit in args.unit:
        if args.action == "start":
            start(args.units, args.state, unit)
        else:
            stop(args.state, unit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
