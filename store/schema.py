"""`python -m store.schema`: bring the database to this app's schema, or refuse.

scripts/app.sh runs it before it starts the app, so an app never starts on a
database written by a newer version (exit 1, with the reason).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from config.settings import default_db
from rules.errors import SQError
from store import open_store


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store.schema", description=__doc__)
    parser.add_argument("--db", default=None, help="database URL or SQLite file (default: SQ_DB)")
    args = parser.parse_args(argv)
    try:
        store = open_store(args.db or default_db())
    except SQError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(f"schema: {store.db.label} is at revision {store.schema_revision()}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
