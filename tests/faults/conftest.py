"""Fault tests: servers stopped, processes killed, disks full. Each test that stops a
database gets a PostgreSQL cluster of its own, so no other test sees the fault."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st

from devtools.pg_cluster import PgCluster


@pytest.fixture
def own_cluster() -> Iterator[PgCluster]:
    cluster = PgCluster().start()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def fresh_app_cache() -> Iterator[None]:
    """AppTest runs the app in this process: its cached store must not leak between tests."""
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
