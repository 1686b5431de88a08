"""Network access of the data pack, kept apart from the pure modules."""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

_TIMEOUT_S = 60


def download(url: str, target: Path) -> None:
    """Download `url` to `target` atomically (a partial file never remains)."""
    partial = target.with_suffix(target.suffix + ".part")
    request = urllib.request.Request(url, headers={"User-Agent": "sichere-quartiere/0.1"})
    with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response, partial.open("wb") as out:
        shutil.copyfileobj(response, out)
    partial.replace(target)
