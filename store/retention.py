"""Delete the free texts of older pins, e.g. once the plan of measures is adopted.

    python -m store.retention --before 2027-03-31 [--db var/sichere-quartiere.sqlite]

Category, place, time band, severity, session and supports stay; the deletion
is written to the audit log. Admins can do the same on the administration page.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from config.settings import default_db
from rules.local_time import start_of_day
from rules.roles import Actor, Role
from store import open_store

# Whoever can run commands on the server acts as the system's administrator.
RETENTION_ACTOR = Actor(name="system:retention", role=Role.ADMIN)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store.retention", description=__doc__)
    parser.add_argument(
        "--before",
        type=date.fromisoformat,
        required=True,
        help="delete texts of pins made before this day (YYYY-MM-DD)",
    )
    parser.add_argument("--db", default=None, help="database URL or SQLite file")
    args = parser.parse_args(argv)
    store = open_store(args.db or default_db())
    cutoff = start_of_day(args.before)
    count = store.purge_texts(before=cutoff, actor=RETENTION_ACTOR)
    print(f"retention: {count} texts of pins made before {args.before} deleted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
