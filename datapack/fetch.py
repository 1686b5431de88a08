"""Bringing the official files into the pack folder: downloaded, or copied from a mirror."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from config.settings import MIRROR_ENV
from datapack.download import download
from datapack.manifest import Manifest
from rules.errors import FETCH_COMMAND, N_, DataPackError

STAMP_FILE: Final = "pack.json"


def fetch(manifest: Manifest, dest: Path, *, mirror: Path | None = None) -> list[str]:
    """Bring every dataset of the manifest into `dest`; return one line per dataset.

    With `mirror`, files are copied from that folder (offline); otherwise each
    dataset with a direct download URL is downloaded. A required dataset that
    cannot be had raises DataPackError; optional ones are reported and skipped.
    """
    dest.mkdir(parents=True, exist_ok=True)
    report: list[str] = []
    hashes: dict[str, str] = {}
    for dataset in manifest.datasets:
        target = dest / dataset.file
        if mirror is not None:
            source = mirror / dataset.file
            if source.is_file():
                shutil.copyfile(source, target)
                report.append(f"{dataset.id}: copied from mirror")
            else:
                report.append(f"{dataset.id}: not in mirror {mirror}")
        elif dataset.download_url:
            try:
                download(dataset.download_url, target)
                report.append(f"{dataset.id}: downloaded")
            except OSError as exc:
                report.append(f"{dataset.id}: download failed ({exc})")
        else:
            report.append(
                f"{dataset.id}: no direct download; import it from {dataset.source_page} "
                f"or give a mirror folder in {MIRROR_ENV}"
            )
        if target.is_file():
            hashes[dataset.file] = hashlib.sha256(target.read_bytes()).hexdigest()
        elif dataset.required:
            raise DataPackError(
                N_("The district data could not be fetched ({detail}). Run: {command}"),
                detail=report[-1],
                command=FETCH_COMMAND,
            )
    stamp = {
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mirror": str(mirror) if mirror else None,
        "sha256": hashes,
    }
    (dest / STAMP_FILE).write_text(json.dumps(stamp, indent=2), encoding="utf-8")
    return report
