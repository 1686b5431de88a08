"""Upgrading the app on a server, and going back:

    python -m deploy.release upgrade /opt/sichere-quartiere/releases/2027-03-01 \\
        --ports 8501 8502 --backups /var/backups/sichere-quartiere
    python -m deploy.release rollback --ports 8501 8502

An upgrade stops the app processes, backs up the database, migrates it once with the
new release, points /opt/sichere-quartiere/current at the new release and starts the
processes, then waits until each one's /healthz answers. A rollback stops them,
restores the upgrade's backup if the upgrade changed the schema (the database as it was
is moved aside, not deleted), points `current` back and starts them again.

Each step runs the release whose code fits it (`<release>/.venv/bin/python -m …`); the
database is the one of SQ_DB (run it with the app's environment file). The last
upgrade is written to <home>/last-upgrade.json for the rollback.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from config.settings import default_db
from store.db import open_database
from store.migrate import current_revision
from store.set_aside import set_aside

HOME = Path("/opt/sichere-quartiere")
UNIT = "sichere-quartiere@{port}.service"
HEALTHY_WITHIN_S = 180


class ReleaseError(Exception):
    """A step failed; the message says which and what to do."""


@dataclass(frozen=True, slots=True)
class Upgrade:
    previous: str  # the release that ran before ("" on a first installation)
    release: str
    backup: str
    revision_before: str | None
    at: str


@dataclass(frozen=True, slots=True)
class Host:
    """The installation: its folder, its processes and how they are started."""

    home: Path
    ports: tuple[int, ...]
    systemctl: tuple[str, ...] = ("systemctl",)

    @property
    def current(self) -> Path:
        return self.home / "current"

    @property
    def record(self) -> Path:
        return self.home / "last-upgrade.json"

    def units(self, action: str) -> None:
        units = [UNIT.format(port=port) for port in self.ports]
        _run([*self.systemctl, action, *units], f"systemctl {action}")

    def switch_to(self, release: Path) -> None:
        """Point `current` at `release` in one step (a new link renamed over the old)."""
        link = self.home / ".current.new"
        link.unlink(missing_ok=True)
        link.symlink_to(release)
        os.replace(link, self.current)

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + HEALTHY_WITHIN_S
        for port in self.ports:
            while not _healthy(port):
                if time.monotonic() > deadline:
                    raise ReleaseError(f"the process on port {port} is not healthy (/healthz)")
                time.sleep(1)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def _run(command: list[str], step: str, cwd: Path | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ReleaseError(f"{step} failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout.strip()


def _python(release: Path) -> str:
    return str(release / ".venv" / "bin" / "python")


def _revision(db_url: str) -> str | None:
    db = open_database(db_url)
    try:
        return current_revision(db)
    finally:
        db.close()


def upgrade(host: Host, release: Path, backups: Path, keep: int) -> Upgrade:
    """Back up, migrate once, switch to `release`, start (see the module's doc)."""
    # As given, not resolved: `current` names the release's folder, not where it points.
    release = release.absolute()
    if not Path(_python(release)).is_file():
        raise ReleaseError(f"{release} has no .venv: run scripts/setup.sh there first")
    previous = Path(os.readlink(host.current)) if host.current.is_symlink() else None
    db_url = default_db()
    host.units("stop")
    # Taken while no process writes: the backup holds everything written before.
    create = ["store.backup", "create", "--to", str(backups), "--keep", str(keep)]
    made = _run([_python(release), "-m", *create], "the backup", cwd=release)
    backup = made.splitlines()[0].split()[1]  # "backup: <path>  <size>  <seconds>"
    before = _revision(db_url)
    print(made)
    # Migrations run here, once; the processes then find the schema up to date.
    print(_run([_python(release), "-m", "store.schema"], "the migration", cwd=release))
    done = Upgrade(
        previous=str(previous or ""),
        release=str(release),
        backup=backup,
        revision_before=before,
        at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    host.record.write_text(json.dumps(asdict(done), indent=2) + "\n", encoding="utf-8")
    host.switch_to(release)
    host.units("start")
    host.wait_until_healthy()
    print(f"upgraded: {previous} -> {release}, {len(host.ports)} processes healthy")
    return done


def rollback(host: Host) -> Path:
    """Back to the release before the last upgrade; its backup restored if the upgrade
    changed the schema (the database as it was is moved aside)."""
    if not host.record.exists():
        raise ReleaseError(f"no upgrade to roll back ({host.record} is missing)")
    last = Upgrade(**json.loads(host.record.read_text(encoding="utf-8")))
    if not last.previous:
        raise ReleaseError("the last upgrade was the first installation: nothing to go back to")
    previous = Path(last.previous)
    db_url = default_db()
    host.units("stop")
    if _revision(db_url) != last.revision_before:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        moved = set_aside(db_url, f"_before_rollback_{stamp}")
        print(f"moved aside: the upgraded database is now {moved}")
        restore = ["store.backup", "restore", last.backup, "--db", db_url]
        print(_run([_python(previous), "-m", *restore], "the restore", cwd=previous))
    host.switch_to(previous)
    host.record.unlink()
    host.units("start")
    host.wait_until_healthy()
    print(f"rolled back: {last.release} -> {previous}, {len(host.ports)} processes healthy")
    return previous


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.release", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--home", type=Path, default=HOME, help=f"default {HOME}")
    parser.add_argument("--ports", type=int, nargs="+", required=True, help="the processes")
    parser.add_argument(
        "--systemctl", default="systemctl", help="the command that starts and stops units"
    )
    steps = parser.add_subparsers(dest="step", required=True)
    up = steps.add_parser("upgrade", help="back up, migrate, switch, start")
    up.add_argument("release", type=Path, help="the new release's folder (set up)")
    up.add_argument("--backups", type=Path, required=True, help="the backup folder")
    up.add_argument("--keep", type=int, default=14, help="newest backups kept (default 14)")
    steps.add_parser("rollback", help="back to the release before the last upgrade")
    args = parser.parse_args(argv)
    host = Host(args.home, tuple(args.ports), tuple(args.systemctl.split()))
    try:
        if args.step == "upgrade":
            upgrade(host, args.release, args.backups, args.keep)
        else:
            rollback(host)
    except (ReleaseError, OSError) as exc:
        print(f"{args.step} stopped: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
