"""SQLite connections kept open between operations, per database file.

Opening a connection (the file, its WAL index, three pragmas) costs more than many of
the reads the app makes: fifty maps check the pins' version ten times a second.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Final

# Idle connections kept per file (more are opened when needed, and closed after use).
IDLE_CONNECTIONS: Final = 8


class _IdleConnections:
    """Open connections of one SQLite file between operations, shared by every store
    of that file in this process. Those of a file replaced since are dropped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._identity: tuple[int, int] | None = None

    def take(self) -> sqlite3.Connection | None:
        identity = _file_identity(self.path)
        stale: list[sqlite3.Connection] = []
        with self._lock:
            if identity != self._identity:
                stale, self._idle, self._identity = self._idle, [], identity
            raw = self._idle.pop() if self._idle and identity is not None else None
        for conn in stale:
            conn.close()
        return raw

    def give_back(self, raw: sqlite3.Connection) -> None:
        with self._lock:
            if len(self._idle) < IDLE_CONNECTIONS:
                self._idle.append(raw)
                return
        raw.close()

    def count(self) -> int:
        """How many connections are idle now (read-only, for the metrics)."""
        with self._lock:
            return len(self._idle)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for raw in idle:
            raw.close()


def _file_identity(path: Path) -> tuple[int, int] | None:
    """The file's device and inode (None when it is not there): a replaced file is
    another file."""
    try:
        stats = os.stat(path)
    except OSError:
        return None
    return stats.st_dev, stats.st_ino


_IDLE: dict[Path, _IdleConnections] = {}
_IDLE_LOCK = threading.Lock()


def idle_of(path: Path) -> _IdleConnections:
    """The idle connections of the SQLite file at `path`."""
    key = path.absolute()
    with _IDLE_LOCK:
        found = _IDLE.get(key)
        if found is None:
            found = _IDLE[key] = _IdleConnections(path)
        return found


def close_idle_connections(path: Path) -> None:
    """Close every idle connection of the SQLite file at `path` in this process (before
    the file is moved, or its disk remounted)."""
    idle_of(path).close()
