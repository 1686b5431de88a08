from __future__ import annotations

import gc
import threading

from geo.bulk import gc_paused


def test_the_collector_is_off_inside_and_back_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_stays_off_until_the_last_of_several_threads_is_done():
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with gc_paused():
            inside.set()
            release.wait(10)

    other = threading.Thread(target=hold)
    other.start()
    inside.wait(10)
    with gc_paused():
        pass
    assert not gc.isenabled()  # the other thread is still inside
    release.set()
    other.join(10)
    assert gc.isenabled()


def test_it_leaves_a_collector_switched_off_by_someone_else_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
