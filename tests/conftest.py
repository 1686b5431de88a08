"""Shared test set-up: the project root on the path and the data pack in place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = PROJECT_DIR.parent / "shared" / "data" / "dortmund"


def mirror_dir() -> Path:
    return Path(os.environ.get("SQ_DATA_MIRROR", DEFAULT_MIRROR))


@pytest.fixture(scope="session", autouse=True)
def data_pack() -> Path:
    """The fetched district data pack; fetched from the mirror when missing."""
    from geo.datapack import DEFAULT_PACK_DIR, fetch, load_manifest

    manifest = load_manifest()
    if not (DEFAULT_PACK_DIR / manifest.dataset("districts").file).is_file():
        if not mirror_dir().is_dir():
            pytest.exit(f"no data pack and no mirror at {mirror_dir()}; set SQ_DATA_MIRROR", 2)
        fetch(manifest, DEFAULT_PACK_DIR, mirror=mirror_dir())
    return DEFAULT_PACK_DIR
