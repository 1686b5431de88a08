"""Shared test set-up: the project root on the path and the data pack in place."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from devtools.pg_cluster import PgCluster
from store import Store

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = PROJECT_DIR.parent / "shared" / "data" / "dortmund"
PG_TEMPLATE = "sq_template"
_numbers = itertools.count()


# Tests of time and load (their figures suffer from a neighbour) run alone; the rest runs
# on two workers (scripts/test.sh). Browser tests run one at a time on one worker; the
# walk over every page (minutes, no timing in it) beside them, on the other.
_SERIAL_FOLDERS = frozenset({"benchmarks", "faults"})
_WALK = "test_no_third_party.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(item.path)
        if path.relative_to(PROJECT_DIR / "tests").parts[0] in _SERIAL_FOLDERS:
            item.add_marker(pytest.mark.serial)
        elif item.get_closest_marker("browser"):
            group = "walk" if path.name == _WALK else "browser"
            item.add_marker(pytest.mark.xdist_group(group))


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m module args` in the project, as a command-line user runs it."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def mirror_dir() -> Path:
    return Path(os.environ.get("SQ_DATA_MIRROR", DEFAULT_MIRROR))


@pytest.fixture(scope="session", autouse=True)
def data_pack() -> Path:
    """The fetched district data pack; fetched from the mirror when missing."""
    from config.settings import DEFAULT_PACK_DIR
    from datapack.fetch import fetch
    from datapack.loading import load_manifest

    manifest = load_manifest()
    if not (DEFAULT_PACK_DIR / manifest.dataset("districts").file).is_file():
        if not mirror_dir().is_dir():
            pytest.exit(f"no data pack and no mirror at {mirror_dir()}; set SQ_DATA_MIRROR", 2)
        fetch(manifest, DEFAULT_PACK_DIR, mirror=mirror_dir())
    return DEFAULT_PACK_DIR


# -- store backends ----------------------------------------------------------------

BACKENDS = ("sqlite", "postgis")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One throwaway PostgreSQL + PostGIS server for the whole run, with a migrated
    template database that each test's database is copied from."""
    from store import PostgisStore

    cluster = PgCluster().start()
    try:
        template = PostgisStore(cluster.create_database(PG_TEMPLATE))
        template.close()
        yield cluster
    finally:
        cluster.destroy()


class StoreFactory:
    """Fresh stores of one backend for one test; every store it opened is closed after."""

    def __init__(self, backend: str, tmp_path: Path, cluster: PgCluster | None) -> None:
        self.backend = backend
        self._tmp = tmp_path
        self._cluster = cluster
        self._opened: list[Store] = []

    def new_url(self, *, template: str = "", blank: bool = False) -> str:
        """The URL of a new store: migrated and empty, a copy of `template`'s URL, or
        (`blank`) a database without any schema yet."""
        name = f"s{next(_numbers)}"
        if self._cluster is None:
            target = self._tmp / f"{name}.sqlite"
            if template:
                for sidecar in ("", "-wal", "-shm"):
                    copied = Path(template + sidecar)
                    if copied.exists():
                        shutil.copy(copied, str(target) + sidecar)
            return str(target)
        source = template.rsplit("/", 1)[1] if template else PG_TEMPLATE
        if blank:
            source = "template1"
        with psycopg.connect(self._cluster.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return self._cluster.url(name)

    def open(self, url: str | None = None, *, staff: bool = True) -> Store:
        """A store; with `staff`, the accounts of the staff tests act as (factories.STAFF)."""
        from store import open_store
        from tests.factories import hire_staff

        store = open_store(url or self.new_url())
        self._opened.append(store)
        if staff:
            hire_staff(store)
        return store

    def close_all(self) -> None:
        for store in self._opened:
            store.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def stores(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    cluster = request.getfixturevalue("pg_cluster") if backend == "postgis" else None
    factory = StoreFactory(backend, tmp_path, cluster)
    yield factory
    factory.close_all()
