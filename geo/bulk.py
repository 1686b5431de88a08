"""Making many geometries at once without the garbage collector's pauses."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # blocks running with the collector paused, in all threads
_enable_after = False  # whether the collector was on when the first of them began


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector off.

    Every shapely geometry is an object the collector tracks: making 100,000 of them
    sets off some 140 collections, the oldest generation among them, each walking every
    object the app holds; that doubled the time to read a busy quarter's pins. The
    objects made here form no cycles, so the collector has nothing to find in them.
    Threads may pause it at the same time: it runs again when the last one is done.
    """
    global _pauses, _enable_after
    with _lock:
        if _pauses == 0:
            _enable_after = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _enable_after:
                gc.enable()
