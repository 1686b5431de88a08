"""Backups that restore: a consistent copy while the app runs, the newest N kept.

    python -m store.backup create [--db SQ_DB] --to /var/backups/sq [--keep 7]
    python -m store.backup list --to /var/backups/sq
    python -m store.backup restore /var/backups/sq/<name> --db <empty target>

SQLite is copied by SQLite's online backup API (one step under one read snapshot,
so writers keep writing and the copy is consistent), PostGIS by `pg_dump` (custom
format, one snapshot). Each backup is written under a temporary name and renamed
when complete, named `<database>-<UTC time>.sqlite|.dump` so names sort by time,
with a `sha256sum` file beside it. Backups hold personal data: files are mode 0600.
A restore goes into an empty target only and opens the store afterwards, so the
schema is checked (and upgraded if the backup is older than the app).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from rules.errors import N_, SQError, StoreError

KINDS: Final = {"sqlite": "sqlite", "dump": "postgresql"}  # file suffix -> dialect
_NAME: Final = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\.\d{6}Z)\.(?P<ext>sqlite|dump)$")
_STAMP: Final = "%Y%m%dT%H%M%S.%fZ"
_CHUNK: Final = 1 << 20


class BackupError(StoreError):
    """A backup could not be made, listed or restored; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    stem: str  # the database it belongs to
    taken_at: datetime  # UTC
    dialect: str  # "sqlite" or "postgresql"

    @property
    def checksum_path(self) -> Path:
        return self.path.with_name(self.path.name + ".sha256")


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def parse_name(path: Path) -> Backup | None:
    """The backup a file's name describes, or None for any other file."""
    found = _NAME.match(path.name)
    if found is None:
        return None
    taken = datetime.strptime(found["stamp"], _STAMP).replace(tzinfo=UTC)
    return Backup(path, found["stem"], taken, KINDS[found["ext"]])


def backups_in(folder: Path) -> list[Backup]:
    """The complete backups in `folder` (temporary files left out), oldest first."""
    try:
        found = [parse_name(path) for path in folder.iterdir() if path.is_file()]
    except OSError as exc:
        raise BackupError(
            N_("The backup folder {folder} cannot be read: {detail}"),
            folder=str(folder),
            detail=exc.strerror or str(exc),
        ) from exc
    return sorted((b for b in found if b is not None), key=lambda b: (b.taken_at, b.path.name))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 (no other user may read personal data)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _writable_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        probe = folder / f".probe-{os.getpid()}"
        private_file(probe)
        probe.unlink()
    except OSError as exc:
        raise BackupError(
            N_("The backup folder {folder} is not writable: {detail}"),
            folder=str(folder),
            detail=exc.strerror or str(exc),
        ) from exc


def create(db_url: str, folder: Path, *, keep: int) -> tuple[Backup, list[Backup]]:
    """Back up `db_url` into `folder`; the new backup and the older ones removed."""
    from store import backup_postgres, backup_sqlite

    if keep < 1:
        raise BackupError(N_("Keep at least one backup (--keep {keep})."), keep=keep)
    _writable_folder(folder)
    now = datetime.now(UTC)
    if is_postgres(db_url):
        stem, ext, write = backup_postgres.stem(db_url), "dump", backup_postgres.dump
    else:
        stem, ext, write = backup_sqlite.stem(db_url), "sqlite", backup_sqlite.copy_out
    final = folder / f"{stem}-{now.strftime(_STAMP)}.{ext}"
    partial = folder / f".{final.name}.partial"
    try:
        private_file(partial)
        write(db_url, partial)
        os.replace(partial, final)
    except OSError as exc:
        raise BackupError(
            N_("The backup could not be written to {folder}: {detail}"),
            folder=str(folder),
            detail=exc.strerror or str(exc),
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    made = Backup(final, stem, now, KINDS[ext])
    _write_checksum(made)
    same = [b for b in backups_in(folder) if b.stem == stem and b.dialect == made.dialect]
    removed = same[:-keep] if len(same) > keep else []
    for old in removed:
        old.path.unlink(missing_ok=True)
        old.checksum_path.unlink(missing_ok=True)
    return made, removed


def _write_checksum(backup: Backup) -> None:
    """A file `sha256sum -c` checks, written whole or not at all."""
    partial = backup.checksum_path.with_name(f".{backup.checksum_path.name}.partial")
    private_file(partial)
    partial.write_text(f"{sha256_of(backup.path)}  {backup.path.name}\n")
    os.replace(partial, backup.checksum_path)


def verify(backup: Backup) -> None:
    """Refuse a backup whose content no longer matches its checksum file."""
    if not backup.checksum_path.is_file():
        raise BackupError(N_("The backup {path} has no checksum file."), path=str(backup.path))
    expected = backup.checksum_path.read_text().split()[0]
    if sha256_of(backup.path) != expected:
        raise BackupError(
            N_("The backup {path} does not match its checksum; it is damaged."),
            path=str(backup.path),
        )


def restore(file: Path, target_url: str) -> tuple[int, str]:
    """Restore `file` into the empty `target_url`, open the store there (migrations
    check the schema); how many notes it holds, and the target's label."""
    from store import backup_postgres, backup_sqlite, open_store

    backup = parse_name(file)
    if backup is None or not file.is_file():
        raise BackupError(N_("{path} is not a backup made by this command."), path=str(file))
    if (backup.dialect == "postgresql") != is_postgres(target_url):
        raise BackupError(
            N_("A {kind} backup restores into a {kind} database only."),
            kind="PostGIS" if backup.dialect == "postgresql" else "SQLite",
        )
    verify(backup)
    if backup.dialect == "postgresql":
        backup_postgres.load(file, target_url)
    else:
        backup_sqlite.copy_in(file, target_url)
    store = open_store(target_url)
    try:
        with store.db.read() as conn:
            pins = int(conn.execute("SELECT count(*) FROM pins").fetchone()[0])
        return pins, store.db.label
    finally:
        store.close()


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def main(argv: Sequence[str] | None = None) -> int:
    from config.settings import default_db

    parser = argparse.ArgumentParser(prog="python -m store.backup", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("create", help="back up the database now")
    made.add_argument("--db", default=None, help="database URL or SQLite file (default: SQ_DB)")
    made.add_argument("--to", required=True, type=Path, help="the backup folder")
    made.add_argument("--keep", type=int, default=7, help="newest backups kept (default 7)")
    listed = commands.add_parser("list", help="the backups in a folder, oldest first")
    listed.add_argument("--to", required=True, type=Path, help="the backup folder")
    back = commands.add_parser("restore", help="restore a backup into an empty database")
    back.add_argument("file", type=Path, help="a backup file (.sqlite or .dump)")
    back.add_argument("--db", required=True, help="the empty target: database URL or SQLite file")
    args = parser.parse_args(argv)
    try:
        if args.command == "create":
            started = time.perf_counter()
            backup, removed = create(args.db or default_db(), args.to, keep=args.keep)
            took = time.perf_counter() - started
            print(f"backup: {backup.path}  {_size(backup.path)}  {took:.2f} s")
            for old in removed:
                print(f"removed: {old.path} (keeping the newest {args.keep})")
        elif args.command == "list":
            for backup in backups_in(args.to):
                taken = backup.taken_at.strftime("%Y-%m-%d %H:%M:%S UTC")
                print(f"{backup.path}  {_size(backup.path)}  {taken}")
        else:
            started = time.perf_counter()
            pins, label = restore(args.file, args.db)
            took = time.perf_counter() - started
            print(f"restored: {args.file} -> {label}: {pins} notes, {took:.2f} s")
    except SQError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
