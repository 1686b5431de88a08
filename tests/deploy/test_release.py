"""The release tool's refusals (deploy/release.py): each stops before it changes
anything. The whole upgrade and rollback run in tests/browser/test_deployment.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deploy.release import Host, ReleaseError, main, rollback, upgrade

# A service manager that fails whenever called: these refusals must not reach it.
NEVER = ("false",)


def _host(tmp_path: Path) -> Host:
    home = tmp_path / "opt"
    (home / "releases" / "old").mkdir(parents=True)
    (home / "current").symlink_to(home / "releases" / "old")
    return Host(home, (8501, 8502), NEVER)


def test_a_release_that_is_not_set_up_is_refused_before_anything_stops(tmp_path: Path) -> None:
    host = _host(tmp_path)
    new = host.home / "releases" / "new"
    new.mkdir()
    with pytest.raises(ReleaseError, match=r"no \.venv"):
        upgrade(host, new, tmp_path / "backups", keep=3)
    assert (host.home / "current").readlink() == host.home / "releases" / "old"
    assert not (tmp_path / "backups").exists()


def test_a_rollback_without_an_upgrade_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match="no upgrade to roll back"):
        rollback(_host(tmp_path))


def test_the_first_installation_has_nothing_to_go_back_to(tmp_path: Path) -> None:
    host = _host(tmp_path)
    record = {"previous": "", "release": "x", "backup": "b", "revision_before": None, "at": ""}
    host.record.write_text(json.dumps(record))
    with pytest.raises(ReleaseError, match="first installation"):
        rollback(host)
    assert host.record.exists()


def test_switching_replaces_the_link_in_one_step(tmp_path: Path) -> None:
    host = _host(tmp_path)
    new = host.home / "releases" / "new"
    new.mkdir()
    host.switch_to(new)
    assert (host.home / "current").readlink() == new
    assert sorted(p.name for p in host.home.iterdir()) == ["current", "releases"]


def test_the_command_says_why_it_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    host = _host(tmp_path)
    code = main(["--home", str(host.home), "--ports", "8501", "--systemctl", "false", "rollback"])
    assert code == 1
    assert "rollback stopped: no upgrade to roll back" in capsys.readouterr().err
