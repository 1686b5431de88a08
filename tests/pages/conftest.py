from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from store import SqliteStore
from tests.factories import hire_staff


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh database for the app under test; cached resources are dropped."""
    path = tmp_path / "pins.sqlite"
    monkeypatch.setenv("SQ_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    store = SqliteStore(path)
    hire_staff(store)  # the store checks every actor's role against its account
    store.close()
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def pin_store(db_path: Path) -> SqliteStore:
    return SqliteStore(db_path)


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh demo database (SQ_DEMO=1): the app fills it with seeded demo data."""
    path = tmp_path / "demo.sqlite"
    monkeypatch.setenv("SQ_DB", str(path))
    monkeypatch.setenv("SQ_DEMO", "1")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()
