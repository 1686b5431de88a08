"""``python -m datapack fetch|check``: bring the official files and check them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from config.settings import MIRROR_ENV, data_mirror, data_pack_dir
from datapack.fetch import fetch
from datapack.loading import load_districts, load_manifest
from rules.errors import DataPackError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m datapack", description=__doc__)
    parser.add_argument("command", choices=["fetch", "check"])
    parser.add_argument(
        "--dest", type=Path, default=None, help="pack folder (default: data/districts/cache)"
    )
    parser.add_argument(
        "--mirror", type=Path, default=None, help=f"mirror folder (default: ${MIRROR_ENV})"
    )
    args = parser.parse_args(argv)
    dest = args.dest or data_pack_dir()
    manifest = load_manifest()
    try:
        if args.command == "fetch":
            for line in fetch(manifest, dest, mirror=args.mirror or data_mirror()):
                print(f"datapack: {line}")
        pack = load_districts(dest, manifest)
    except DataPackError as exc:
        print(f"datapack: {exc}", file=sys.stderr)
        return 1
    for repair in pack.repairs:
        print(f"datapack: repaired: {repair}")
    print(f"datapack: {len(pack.districts)} statistical districts ready in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
