"""Cached resources: one data pack and one store per process."""

from __future__ import annotations

import logging

import geopandas as gpd
import streamlit as st

from config.settings import Settings, load_settings
from datapack.loading import load_districts, load_landmarks, load_manifest
from geo.districts import DistrictPack
from rules.errors import DataPackError, StoreError
from services.demo import fill_demo
from store import Store, open_store
from ui.i18n import error_text, t

_log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner=False)
def _district_pack() -> DistrictPack:
    pack = load_districts()
    for repair in pack.repairs:
        _log.warning("district data pack: %s", repair)
    return pack


@st.cache_resource(show_spinner=False)
def landmarks() -> gpd.GeoDataFrame:
    return load_landmarks()


@st.cache_resource(show_spinner=False)
def attributions() -> tuple[str, ...]:
    """Attribution lines of every dataset the map shows."""
    manifest = load_manifest()
    wanted = ("districts",)
    return tuple(manifest.dataset(d).attribution for d in wanted)


@st.cache_resource(show_spinner=False)
def _store(db_url: str, demo: bool) -> Store:
    store = open_store(db_url)
    if demo and store.count_pins() == 0:
        fill_demo(store)
    return store


def loaded_pack() -> DistrictPack:
    """The data pack; raises DataPackError (a page uses district_pack)."""
    return _district_pack()


def opened_store() -> Store:
    """The store; raises StoreError (a page uses store)."""
    return _store(settings().db_url, settings().demo)


def district_pack() -> DistrictPack:
    """The data pack, or a clear message and a stopped page (never a traceback)."""
    try:
        return _district_pack()
    except DataPackError as exc:
        st.error(error_text(exc))
        st.info(t("Ask whoever set up this laptop to run the fetch command, then reload the page."))
        st.stop()


def store() -> Store:
    """The store, or a clear message and a stopped page."""
    try:
        return _store(settings().db_url, settings().demo)
    except StoreError as exc:
        st.error(error_text(exc))
        st.stop()


def demo_notice() -> None:
    """Say on every page when the app runs on invented demo data."""
    if settings().demo:
        st.warning(
            t("Demo mode: every note and every demo layer here is invented."),
            icon=":material/science:",
        )
