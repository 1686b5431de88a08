"""Fixtures for the importer tests: the real Dortmund outline as the city."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry.base import BaseGeometry

from config.settings import data_pack_dir
from datapack.loading import load_manifest


@pytest.fixture(scope="session")
def city() -> BaseGeometry:
    """Dortmund's outline (OSM relation 1829065) from the fetched data pack."""
    path = data_pack_dir() / load_manifest().dataset("city_boundary").file
    if not path.is_file():
        pytest.skip(f"city outline not in the data pack ({path}); run: python -m datapack fetch")
    outline: BaseGeometry = gpd.read_file(path).union_all()
    return outline
