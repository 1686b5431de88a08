"""SQLite's side of store.backup: SQLite's online backup API, both ways.

The copy out runs in one step (`pages=-1`) under one read transaction: in WAL mode
writers go on meanwhile, and the copy is the database as it was when the step
began. The copy is switched out of WAL, so the backup is one self-contained file.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Final

from rules.errors import N_
from store.copy import TABLES, TargetNotEmptyError

BUSY_TIMEOUT_S: Final = 30.0


def _path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def stem(url: str) -> str:
    """The name backups of this database start with: the file's name without suffix."""
    return _path(url).stem


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)


def copy_out(url: str, into: Path) -> None:
    """Copy the database at `url` into the (empty, private) file `into`."""
    from store.backup import BackupError

    source = _path(url)
    if not source.is_file():
        raise BackupError(N_("There is no database at {path}."), path=str(source))
    try:
        with closing(_connect(source)) as src, closing(_connect(into)) as dst:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")
            if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(N_("The copy of {path} is damaged."), path=str(source))
    except sqlite3.Error as exc:
        raise BackupError(
            N_("SQLite could not back up {path}: {detail}"), path=str(source), detail=str(exc)
        ) from exc
    with into.open("rb") as file:
        os.fsync(file.fileno())


def holds_data(conn: sqlite3.Connection) -> bool:
    """Whether any of the app's tables has a row."""
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return any(
        conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None
        for table in TABLES
        if table in present
    )


def copy_in(backup: Path, url: str) -> None:
    """Copy `backup` into the SQLite database at `url`: a new file, or one without data."""
    from store.backup import BackupError, private_file

    target = _path(url)
    try:
        if target.exists():
            with closing(_connect(target)) as dst:
                if holds_data(dst):
                    raise TargetNotEmptyError(
                        N_(
                            "The target database {name} holds data already;"
                            " restore into an empty one."
                        ),
                        name=str(target),
                    )
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            private_file(target)
        with closing(_connect(backup)) as src, closing(_connect(target)) as dst:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = WAL")
    except (sqlite3.Error, OSError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(
            N_("SQLite could not restore into {path}: {detail}"), path=str(target), detail=detail
        ) from exc
