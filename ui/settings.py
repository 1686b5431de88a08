"""Settings from the environment; nothing here imports streamlit."""

from __future__ import annotations

import os
from dataclasses import dataclass

from store.admin import default_db, demo_mode


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str
    demo: bool
    online_tiles: bool
    refresh_s: float
    public_url: str | None  # the address phones reach the app at (for QR codes)


def load_settings() -> Settings:
    """SQ_PUBLIC_URL: the address the lab's phones reach the app at (QR codes);
    SQ_DEMO=1: run on the separate demo database (filled with demo data on first
    start); SQ_DB: database URL (postgresql://…) or SQLite file; SQ_BASEMAP: osm | none;
    SQ_REFRESH_S: seconds.
    """
    return Settings(
        db_url=default_db(),
        demo=demo_mode(),
        online_tiles=os.environ.get("SQ_BASEMAP", "osm").lower() != "none",
        refresh_s=float(os.environ.get("SQ_REFRESH_S", "5")),
        public_url=os.environ.get("SQ_PUBLIC_URL") or None,
    )
