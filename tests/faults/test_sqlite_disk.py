"""The SQLite file's disk is full, or mounted read-only: a clear message, no crash,
nothing lost, and saving works again once the disk is fixed."""

from __future__ import annotations

import errno
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from datapack.loading import load_districts
from rules.errors import StoreUnavailableError
from rules.pins import PinDraft
from store import SqliteStore
from store.sqlite_pool import close_idle_connections
from tests.factories import make_draft
from tests.pages.apptest_helpers import (
    click_map,
    fill_form,
    join_lab,
    new_app,
    open_lab,
    submit,
    texts,
)

BRACKEL = "320"
DISK_FULL = "Speicherplatz voll"
READ_ONLY = "schreibgeschützt"


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB file system (tmpfs) of its own, so it can run full or go read-only."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk))
    if mounted.returncode != 0:
        pytest.skip(f"a small disk needs mount rights (run as root): {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _remount_read_only(disk: Path, database: Path) -> None:
    """The disk turns read-only. The kernel refuses a remount while files on it are
    open for writing (a failing disk's own remount does not ask), so the idle
    connections the store keeps between operations are closed first."""
    close_idle_connections(database)
    assert _mount("-o", "remount,ro", str(disk)).returncode == 0


def _fill_up(disk: Path) -> Path:
    """Take every free byte of `disk` with a filler file (the real ENOSPC)."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:
        try:
            while out.write(b"\0" * 4096):
                pass
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _truncate_wal(path: Path) -> None:
    """Make the next write need new disk space (a WAL with room would take it)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _draft(token: str, text: str = "") -> PinDraft:
    return make_draft(token, quarter_id=BRACKEL, lon=7.55, lat=51.52, text=text)


def test_a_full_disk_refuses_the_write_plainly_and_loses_nothing(small_disk: Path) -> None:
    path = small_disk / "lab.sqlite"
    store = SqliteStore(path)
    kept = store.add_pin(_draft("before", "Dunkle Ecke"))
    _truncate_wal(path)
    filler = _fill_up(small_disk)
    with pytest.raises(StoreUnavailableError) as refused:
        store.add_pins([_draft(f"many-{i}", "x" * 400) for i in range(200)])
    assert refused.value.msgid.startswith("The database cannot be written because its disk is full")
    filler.unlink()
    assert store.pins_in_quarter(BRACKEL) == [kept]  # nothing lost, nothing half written
    assert store.add_pins([_draft(f"many-{i}", "x" * 400) for i in range(200)]) == 200
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_read_only_disk_refuses_the_write_plainly(small_disk: Path) -> None:
    path = small_disk / "lab.sqlite"
    store = SqliteStore(path)
    kept = store.add_pin(_draft("before"))
    _truncate_wal(path)
    _remount_read_only(small_disk, path)
    with pytest.raises(StoreUnavailableError) as refused:
        store.add_pin(_draft("after"))
    assert refused.value.msgid.startswith("The database cannot be written because its file is")
    assert _mount("-o", "remount,rw", str(small_disk)).returncode == 0
    assert store.pins_in_quarter(BRACKEL) == [kept]
    assert store.add_pin(_draft("after")).token == "after"


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_a_participant_saving_on_a_broken_disk_is_told_and_keeps_the_note(
    small_disk: Path, fresh_app_cache: None, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    path = small_disk / "lab.sqlite"
    monkeypatch.setenv("SQ_DB", str(path))
    store = SqliteStore(path)
    point = load_districts().geometry(BRACKEL).representative_point()
    at = join_lab(new_app(), open_lab(store).join_code)
    click_map(at, point.x, point.y)
    fill_form(at, text="Unterführung")
    _truncate_wal(path)
    if fault == "full":
        filler = _fill_up(small_disk)
    else:
        _remount_read_only(small_disk, path)

    submit(at)
    assert not at.exception
    expected = DISK_FULL if fault == "full" else READ_ONLY
    assert any("nicht gespeichert" in e and expected in e for e in texts(at.error)), texts(at.error)
    assert any("1 Hinweis(e) noch nicht gespeichert" in w for w in texts(at.warning))

    if fault == "full":
        filler.unlink()
    else:
        assert _mount("-o", "remount,rw", str(small_disk)).returncode == 0
    at.button(key="retry_unsaved").click().run()
    assert not at.exception
    assert not texts(at.warning)
    assert [p.text for p in store.pins_in_quarter(BRACKEL)] == ["Unterführung"]
