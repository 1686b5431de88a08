"""Settings from the environment: the one module that reads it.

Nothing here imports streamlit; every other package asks here instead of reading
`os.environ` itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from config.basemaps import KNOWN, OSM, Basemap, own_service

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
DEFAULT_PACK_DIR: Final = PROJECT_DIR / "data" / "districts" / "cache"
MIRROR_ENV: Final = "SQ_DATA_MIRROR"
PACK_DIR_ENV: Final = "SQ_DATA_DIR"
PASSWORD_ENV: Final = "SQ_ADMIN_PASSWORD"


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str
    demo: bool
    basemap: Basemap | None  # None: the districts lie on a plain background
    tile_cache_dir: Path
    refresh_s: float
    public_url: str | None  # the address phones reach the app at (for QR codes)
    # Where visitors report barriers (the accessibility statement), e.g. an e-mail address.
    feedback_contact: str | None = None
    smtp: SmtpSettings | None = None  # None: no mails, and no offer to follow a note


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """The mail server the app sends followers' mails through."""

    host: str
    port: int
    sender: str  # the From address
    user: str | None = None
    password: str | None = None
    starttls: bool = True


def load_settings() -> Settings:
    """SQ_PUBLIC_URL: the address the lab's phones reach the app at (QR codes);
    SQ_DEMO=1: run on the separate demo database (filled with demo data on first
    start); SQ_DB: database URL (postgresql://…) or SQLite file; SQ_BASEMAP: osm |
    basemap.de | none | a tile URL template (with SQ_BASEMAP_ATTRIBUTION); SQ_TILE_CACHE:
    the tile cache's folder;
    SQ_REFRESH_S: seconds; SQ_SMTP_*: the mail server (smtp_settings).
    """
    return Settings(
        db_url=default_db(),
        demo=demo_mode(),
        basemap=basemap(),
        tile_cache_dir=Path(os.environ.get("SQ_TILE_CACHE") or PROJECT_DIR / "var" / "tiles"),
        refresh_s=float(os.environ.get("SQ_REFRESH_S", "5")),
        public_url=os.environ.get("SQ_PUBLIC_URL") or None,
        feedback_contact=os.environ.get("SQ_FEEDBACK_CONTACT", "").strip() or None,
        smtp=smtp_settings(),
    )


def smtp_settings() -> SmtpSettings | None:
    """The mail server: SQ_SMTP_HOST and SQ_SMTP_FROM (both needed, else None),
    SQ_SMTP_PORT (587), SQ_SMTP_USER and SQ_SMTP_PASSWORD (optional), SQ_SMTP_STARTTLS
    (1; 0 for a server on this machine that speaks no TLS)."""
    host = os.environ.get("SQ_SMTP_HOST", "").strip()
    sender = os.environ.get("SQ_SMTP_FROM", "").strip()
    if not host or not sender:
        return None
    port = os.environ.get("SQ_SMTP_PORT", "").strip() or "587"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"SQ_SMTP_PORT={port!r}: use a port number such as 587")
    return SmtpSettings(
        host=host,
        port=int(port),
        sender=sender,
        user=os.environ.get("SQ_SMTP_USER") or None,
        password=os.environ.get("SQ_SMTP_PASSWORD") or None,
        starttls=os.environ.get("SQ_SMTP_STARTTLS", "1") not in ("", "0", "false", "no"),
    )


def basemap() -> Basemap | None:
    """The tile service the server takes the background map from (SQ_BASEMAP)."""
    value = os.environ.get("SQ_BASEMAP", "").strip() or OSM.key
    if value.lower() == "none":
        return None
    if value.startswith(("https://", "http://")):
        return own_service(value, os.environ.get("SQ_BASEMAP_ATTRIBUTION", ""))
    if value.lower() not in KNOWN:
        raise ValueError(f"SQ_BASEMAP={value!r}: use one of {sorted(KNOWN)}, none or a URL")
    return KNOWN[value.lower()]


def demo_mode() -> bool:
    """SQ_DEMO=1: the app runs on its separate demo database."""
    return os.environ.get("SQ_DEMO", "") not in ("", "0", "false", "no")


def default_db() -> str:
    """The app's database: SQ_DB (a database URL or SQLite file), else
    var/demo.sqlite in demo mode and var/sichere-quartiere.sqlite otherwise."""
    name = "demo.sqlite" if demo_mode() else "sichere-quartiere.sqlite"
    return os.environ.get("SQ_DB") or str(PROJECT_DIR / "var" / name)


def data_pack_dir() -> Path:
    """Where the fetched data pack lives (SQ_DATA_DIR)."""
    return Path(os.environ.get(PACK_DIR_ENV, DEFAULT_PACK_DIR))


def data_mirror() -> Path | None:
    """The folder holding the official files, for fetching offline (SQ_DATA_MIRROR)."""
    folder = os.environ.get(MIRROR_ENV)
    return Path(folder) if folder else None


def admin_password() -> str | None:
    """The first admin's password for the command line (SQ_ADMIN_PASSWORD)."""
    return os.environ.get(PASSWORD_ENV)
