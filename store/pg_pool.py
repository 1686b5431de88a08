"""A small pool of PostgreSQL connections for one app process.

Why not psycopg_pool: it reconnects in the background on a back-off schedule, so
while the server is down each request waits out the pool's timeout, and after the
server is back requests may wait for the next scheduled attempt. Here a missing
connection is made on demand: a server that is down is reported at once, and one
that is back is used at once.
"""

from __future__ import annotations

import select
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import psycopg
from psycopg.pq import TransactionStatus

CONNECT_TIMEOUT_S: Final = 3


class PoolBusyError(Exception):
    """Every connection stayed in use for the whole wait."""


@dataclass(frozen=True, slots=True)
class PoolStats:
    """A moment's look at a pool, for the metrics: connections kept at most, open and
    idle, in use and callers waiting for one (None where a pool does not count them)."""

    size: int
    idle: int
    in_use: int | None
    waiting: int | None


class PgPool:
    """At most `size` connections at once; idle ones are reused, newest first."""

    def __init__(self, url: str, *, size: int, wait_s: float) -> None:
        self._url = url
        self._wait_s = wait_s
        self._size = size
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[psycopg.Connection[Any]] = []
        self._in_use = 0
        self._waiting = 0

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A live connection in autocommit mode (raises psycopg.OperationalError at once
        when the server cannot be reached)."""
        self._count(waiting=1)
        try:
            acquired = self._slots.acquire(timeout=self._wait_s)
        finally:
            self._count(waiting=-1)
        if not acquired:
            raise PoolBusyError(f"all connections stayed busy for {self._wait_s:.0f} s")
        self._count(in_use=1)
        try:
            conn = self._take()
            try:
                yield conn
            finally:
                self._give_back(conn)
        finally:
            self._count(in_use=-1)
            self._slots.release()

    def stats(self) -> PoolStats:
        """How the pool stands now (read-only; no connection is made)."""
        with self._lock:
            return PoolStats(
                size=self._size, in_use=self._in_use, idle=len(self._idle), waiting=self._waiting
            )

    def _count(self, *, in_use: int = 0, waiting: int = 0) -> None:
        with self._lock:
            self._in_use += in_use
            self._waiting += waiting

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def _take(self) -> psycopg.Connection[Any]:
        while True:
            with self._lock:
                if not self._idle:
                    break
                conn = self._idle.pop()
            if _alive(conn):
                return conn
            conn.close()  # the server restarted or dropped it: make a new one
        return psycopg.connect(
            self._url,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="sichere-quartiere",
        )

    def _give_back(self, conn: psycopg.Connection[Any]) -> None:
        if conn.closed or conn.broken:
            return
        if conn.info.transaction_status != TransactionStatus.IDLE:
            conn.close()  # left mid-transaction by an error: never reuse half a transaction
            return
        with self._lock:
            self._idle.append(conn)


def _alive(conn: psycopg.Connection[Any]) -> bool:
    """Whether an idle connection still works, without a round trip: an idle connection
    receives nothing, so anything to read means the server ended it (a shutdown's
    notice, or the socket closed when the server stopped or restarted)."""
    if conn.closed or conn.broken:
        return False
    try:
        readable, _w, _x = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable
