"""Backups made while 20 writers save notes restore every note confirmed before the
backup began; the newest N are kept; a target with data is refused and left alone."""

from __future__ import annotations

import random
import sqlite3
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from devtools.load import QUARTER, draft
from store import Store, backup_postgres, open_store
from store.backup import main, parse_name
from tests.conftest import StoreFactory, run_module
from tests.factories import make_draft
from tests.store.sql import dump

WRITERS = 20
STORES = 5  # writers share stores as sessions share app processes


@dataclass
class Writing:
    """WRITERS threads saving notes one after another until told to stop; each
    confirmed note with the perf_counter time its save returned."""

    url: str
    confirmed: list[tuple[str, int, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self) -> list[threading.Thread]:
        stores = [open_store(self.url) for _ in range(STORES)]
        threads = [
            threading.Thread(target=self._write, args=(i, stores[i % STORES], i < STORES))
            for i in range(WRITERS)
        ]
        for thread in threads:
            thread.start()
        return threads

    def _write(self, writer: int, store: Store, closes: bool) -> None:
        rng = random.Random(writer)
        number = 0
        while not self.stop.is_set():
            one = draft(writer, number, rng)
            number += 1
            try:
                pin = store.add_pin(one)
            except Exception as exc:  # every error counts against the run
                with self._lock:
                    self.errors.append(f"{one.token}: {exc!r}")
                continue
            with self._lock:
                self.confirmed.append((one.token, pin.id, time.perf_counter()))

    def count(self) -> int:
        with self._lock:
            return len(self.confirmed)


def _wait_for(condition: object, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the writers did not get going"
        time.sleep(0.01)


def _target(stores: StoreFactory, tmp_path: Path) -> str:
    """A new target with nothing in it: a file not there yet, or a database without tables."""
    if stores.backend == "sqlite":
        return str(tmp_path / "restored" / "lab.sqlite")
    return stores.new_url(blank=True)


def _backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if parse_name(p) is not None)


def test_a_backup_while_20_writers_save_restores_every_note_confirmed_before_it(
    stores: StoreFactory, tmp_path: Path
) -> None:
    source_url = stores.open(staff=False).db.url  # migrated, no notes yet
    if stores.backend == "sqlite":
        # A reader holding an old snapshot (as a long export does) keeps every new note
        # in the WAL, out of the main file: a plain file copy would miss them all.
        reader = sqlite3.connect(source_url, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM pins").fetchone()
    writing = Writing(source_url)
    threads = writing.run()
    try:
        _wait_for(lambda: writing.count() >= 100)
        began = time.perf_counter()
        made = run_module("store.backup", "create", "--db", source_url, "--to", str(tmp_path / "b"))
        ended = time.perf_counter()
        done_at_end = writing.count()
        _wait_for(lambda: writing.count() >= done_at_end + 50)  # they go on after it
    finally:
        writing.stop.set()
        for thread in threads:
            thread.join()
        if stores.backend == "sqlite":
            reader.close()
    assert made.returncode == 0, made.stderr
    assert writing.errors == []
    (backup,) = _backups(tmp_path / "b")
    path, size, seconds = made.stdout.splitlines()[0].removeprefix("backup: ").split("  ")
    assert path == str(backup) and size.endswith(" MB") and seconds.endswith(" s")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    before = {token: pin for token, pin, at in writing.confirmed if at < began}
    during = [token for token, _, at in writing.confirmed if began <= at <= ended]
    assert len(before) >= 100 and during, "writers were saving while the backup ran"

    target = _target(stores, tmp_path)
    restored_run = run_module("store.backup", "restore", str(backup), "--db", target)
    assert restored_run.returncode == 0, restored_run.stderr
    restored = stores.open(target, staff=False)
    stored = {pin.token: pin.id for pin in restored.pins_in_quarter(QUARTER)}
    assert [token for token, pin in before.items() if stored.get(token) != pin] == []
    assert f": {len(stored)} notes" in restored_run.stdout
    # Every saved note is either wholly in the backup or not at all, and the restored
    # database takes new notes after the restored ids.
    everything = {token: pin for token, pin, _ in writing.confirmed}
    assert all(everything[token] == pin for token, pin in stored.items())
    added = restored.add_pin(make_draft("after-restore", quarter_id=QUARTER, lon=7.55, lat=51.52))
    assert added.id > max(stored.values())
    print(f"{stores.backend}: {len(before)} before, {len(during)} during, {len(stored)} restored")


def test_the_newest_backups_are_kept(
    stores: StoreFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = stores.open()
    source.add_pin(make_draft("kept", quarter_id=QUARTER, lon=7.55, lat=51.52))
    folder = tmp_path / "b"
    printed = []
    for _ in range(3):
        assert main(["create", "--db", source.db.url, "--to", str(folder), "--keep", "2"]) == 0
        printed.append(capsys.readouterr().out.split("  ")[0].removeprefix("backup: "))
    assert [str(p) for p in _backups(folder)] == printed[1:]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        name for p in printed[1:] for name in (Path(p).name, Path(p).name + ".sha256")
    )
    assert main(["list", "--to", str(folder)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in listed] == printed[1:]


def test_a_target_with_data_is_refused_and_left_alone(stores: StoreFactory, tmp_path: Path) -> None:
    source = stores.open()
    source.add_pin(make_draft("a", quarter_id=QUARTER, lon=7.55, lat=51.52))
    target = stores.open()
    target.add_pin(make_draft("b", quarter_id=QUARTER, lon=7.56, lat=51.52))
    before = dump(target)
    made = run_module("store.backup", "create", "--db", source.db.url, "--to", str(tmp_path))
    assert made.returncode == 0, made.stderr
    (backup,) = _backups(tmp_path)
    refused = run_module("store.backup", "restore", str(backup), "--db", target.db.url)
    assert refused.returncode == 1
    assert "holds data already" in refused.stderr and "Traceback" not in refused.stderr
    assert dump(target) == before


def test_a_damaged_backup_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = open_store(str(tmp_path / "lab.sqlite"))
    source.add_pin(make_draft("a", quarter_id=QUARTER, lon=7.55, lat=51.52))
    source.close()
    assert main(["create", "--db", str(tmp_path / "lab.sqlite"), "--to", str(tmp_path / "b")]) == 0
    (backup,) = _backups(tmp_path / "b")
    with backup.open("r+b") as file:
        file.seek(200)
        file.write(b"\xff")
    target = tmp_path / "restored.sqlite"
    assert main(["restore", str(backup), "--db", str(target)]) == 1
    assert "does not match its checksum" in capsys.readouterr().err
    assert not target.exists()


def test_missing_pg_dump_and_an_unwritable_folder_are_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(backup_postgres, "PG_BIN", tmp_path / "nowhere")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    url = "postgresql://sq@127.0.0.1:9/sichere_quartiere"
    assert main(["create", "--db", url, "--to", str(tmp_path / "b")]) == 1
    assert "pg_dump was not found" in capsys.readouterr().err
    assert list((tmp_path / "b").iterdir()) == []  # no half-made file left behind

    a_file = tmp_path / "file"
    a_file.write_text("")
    assert main(["create", "--db", str(a_file), "--to", str(a_file / "b")]) == 1
    assert "is not writable" in capsys.readouterr().err
