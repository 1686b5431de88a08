"""Schema migrations with Alembic on both backends: made once, refused when unknown."""

from __future__ import annotations

import threading

import pytest

from rules.errors import SchemaVersionError
from store import open_store
from store.migrate import head, known_revisions
from tests.conftest import StoreFactory, run_module
from tests.store.sql import change, raw_rows, rows

WORKERS = 20


def test_a_blank_database_gets_every_revision(stores: StoreFactory) -> None:
    store = stores.open(stores.new_url(blank=True))
    assert store.schema_revision() == head() == "0010"
    assert known_revisions() == {f"{i:04d}" for i in range(1, 11)}
    assert rows(store, "SELECT count(*) FROM pins") == [(0,)]


def test_positions_are_indexed(stores: StoreFactory) -> None:
    """PostGIS: geometry columns with GiST indexes; SQLite: an index on (lon, lat)."""
    store = stores.open(stores.new_url(blank=True))
    if stores.backend == "sqlite":
        found = rows(store, "SELECT sql FROM sqlite_master WHERE name = 'pins_by_position'")
        assert found == [("CREATE INDEX pins_by_position ON pins (lon, lat)",)]
        return
    indexes = rows(
        store,
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('pins', 'layer_features')"
        " AND indexdef LIKE '%USING gist%' ORDER BY indexname",
    )
    assert [name for name, _ in indexes] == ["layer_features_geom", "pins_geom"]
    measures = rows(store, "SELECT indexname FROM pg_indexes WHERE indexname = 'measures_geom'")
    assert measures == [("measures_geom",)]
    types = rows(
        store,
        "SELECT f_table_name, type, srid FROM geometry_columns ORDER BY f_table_name",
    )
    assert types == [
        ("layer_features", "GEOMETRY", 4326),
        ("measures", "GEOMETRY", 4326),
        ("pins", "POINT", 4326),
    ]


def test_opening_again_changes_nothing(stores: StoreFactory) -> None:
    url = stores.new_url(blank=True)
    stores.open(url)
    before = rows(stores.open(url), "SELECT version_num FROM alembic_version")
    assert before == [(head(),)]


def test_an_unknown_newer_revision_is_refused_and_left_alone(stores: StoreFactory) -> None:
    url = stores.new_url()
    change(stores.open(url), "UPDATE alembic_version SET version_num = '0099_future'")
    with pytest.raises(SchemaVersionError, match="0099_future") as refused:
        open_store(url)
    assert refused.value.params["known"] == head()
    assert "Update the app" in str(refused.value)
    assert raw_rows(url, "SELECT version_num FROM alembic_version") == [("0099_future",)]


@pytest.mark.timeout(120)
def test_app_processes_starting_together_migrate_once(stores: StoreFactory) -> None:
    """A crowd opening a blank database at once: all get a working store, the schema is
    made once (on SQLite the switch to WAL, too, needs a moment alone)."""
    url = stores.new_url(blank=True)
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def open_at_once() -> None:
        try:
            barrier.wait(timeout=30)
            store = open_store(url)
            store.count_pins()
            store.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_at_once) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=100)
    assert errors == []
    assert rows(stores.open(url), "SELECT version_num FROM alembic_version") == [(head(),)]


def test_the_migrate_command_refuses_an_unknown_revision(stores: StoreFactory) -> None:
    url = stores.new_url()
    ok = run_module("store.schema", "--db", url)
    assert (ok.returncode, ok.stderr) == (0, "")
    assert ok.stdout.strip().endswith(f"is at revision {head()}")
    change(stores.open(url), "UPDATE alembic_version SET version_num = 'ffff'")
    refused = run_module("store.schema", "--db", url)
    assert refused.returncode == 1
    assert "schema revision ffff" in refused.stderr and "Update the app" in refused.stderr
