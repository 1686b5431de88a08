"""The store's health check (ping) and its pool's numbers (pool_stats), on both backends."""

from __future__ import annotations

import threading

import pytest

from rules.errors import StoreError
from tests.conftest import StoreFactory


def test_ping_reads_the_schema(stores: StoreFactory) -> None:
    store = stores.open(staff=False)
    store.ping()  # a migrated database answers


def test_ping_fails_on_a_database_without_the_apps_schema(stores: StoreFactory) -> None:
    store = stores.open(staff=False)
    with store.db.write() as conn:
        conn.execute("DROP TABLE alembic_version")
    with pytest.raises(StoreError):
        store.ping()


def test_pool_stats_count_idle_connections(stores: StoreFactory) -> None:
    store = stores.open(staff=False)
    store.ping()
    stats = store.db.pool_stats()
    assert stats.idle >= 1
    assert stats.size >= stats.idle
    assert stats.in_use in (0, None)
    assert stats.waiting in (0, None)


def test_postgis_pool_counts_connections_in_use_and_callers_waiting(
    stores: StoreFactory, backend: str
) -> None:
    if backend != "postgis":
        pytest.skip("SQLite keeps no count of connections in use: it opens one when needed")
    from store import PostgisStore

    store = PostgisStore(stores.new_url(), pool_size=1)
    try:
        inside, leave = threading.Event(), threading.Event()

        def hold() -> None:
            with store.db.read():
                inside.set()
                leave.wait(10)

        holder = threading.Thread(target=hold)
        holder.start()
        assert inside.wait(10)
        waiter = threading.Thread(target=store.ping)
        waiter.start()
        for _ in range(200):
            if store.db.pool_stats().waiting == 1:
                break
            threading.Event().wait(0.01)
        during = store.db.pool_stats()
        leave.set()
        holder.join(10)
        waiter.join(10)
        after = store.db.pool_stats()
    finally:
        store.close()
    assert (during.size, during.in_use, during.waiting) == (1, 1, 1)
    assert (after.in_use, after.waiting, after.idle) == (0, 0, 1)
