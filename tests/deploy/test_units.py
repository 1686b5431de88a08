"""systemd's units as an operator installs them (deploy/*.service, *.timer): systemd
accepts them, and the nightly backup's service makes a backup that restores."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from devtools.installation import PROJECT_DIR, UNITS, Installation
from store import open_store
from store.backup import backups_in, restore
from tests.factories import make_draft

needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="part of Debian's systemd package"
)


def _installed(tmp_path: Path) -> Installation:
    database = tmp_path / "var" / "lib" / "sichere-quartiere" / "lab.sqlite"
    installation = Installation(tmp_path, str(database), (8501,)).prepare(["r"])
    (installation.home / "current").symlink_to(installation.release_dir("r"))
    return installation


@needs_systemd
@pytest.mark.parametrize("name", UNITS)
def test_systemd_accepts_the_unit_as_installed(tmp_path: Path, name: str) -> None:
    installation = _installed(tmp_path)
    folder = tmp_path / "verify"
    folder.mkdir()
    for unit in UNITS:  # the timer needs its service beside it
        installed = unit.replace("@.", "@8501.")
        (folder / installed).write_text(installation.unit_text(unit), encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", str(folder / name.replace("@.", "@8501."))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""


@needs_systemd
def test_the_timer_runs_every_night() -> None:
    text = (Path(__file__).resolve().parents[2] / "deploy" / UNITS[2]).read_text()
    (calendar,) = [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("OnCal")]
    done = subprocess.run(
        ["systemd-analyze", "calendar", calendar], capture_output=True, text=True, check=True
    )
    assert "Normalized form: *-*-* 03:15:00" in done.stdout


def test_the_backup_service_makes_a_backup_that_restores(tmp_path: Path) -> None:
    installation = _installed(tmp_path)
    store = open_store(installation.db_url)
    saved = store.add_pin(make_draft("t-nightly", text="vor der Nacht"))
    store.close()

    subprocess.run(
        [*installation.systemctl, "start", "sichere-quartiere-backup.service"],
        check=True,
        cwd=PROJECT_DIR,
    )

    (backup,) = backups_in(installation.backups)
    assert backup.path.stat().st_mode & 0o777 == 0o600
    restored_file = tmp_path / "restored.sqlite"
    restore(backup.path, str(restored_file))
    restored = open_store(str(restored_file))
    assert [p.token for p in restored.pins_in_quarter(saved.quarter_id)] == ["t-nightly"]
    restored.close()
