"""PostGIS's side of store.backup: Debian's `pg_dump` and `pg_restore`.

`pg_dump` reads under one snapshot, so the dump is consistent while the app writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Final

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from rules.errors import N_
from store.copy import TABLES, TargetNotEmptyError

PG_BIN: Final = Path("/usr/lib/postgresql/15/bin")
TIMEOUT_S: Final = 6 * 3600


def stem(url: str) -> str:
    """The name backups of this database start with: the database's name."""
    return str(conninfo_to_dict(url).get("dbname") or "postgres")


def _tool(name: str) -> str:
    from store.backup import BackupError

    found = PG_BIN / name if (PG_BIN / name).is_file() else shutil.which(name)
    if found is None:
        raise BackupError(
            N_("{tool} was not found in {folder} or on PATH; install postgresql-client-15."),
            tool=name,
            folder=str(PG_BIN),
        )
    return str(found)


def _run(tool: str, args: list[str], url: str | None) -> str:
    """Run a client tool (against `url`, if given); its standard output. A password
    travels in a private password file for the run, never on the command line."""
    from store.backup import BackupError

    command = [_tool(tool), *args]
    with tempfile.TemporaryDirectory(prefix="sq-backup-") as private:
        if url is not None:
            parts = conninfo_to_dict(url)
            password = parts.pop("password", None)
            if password is not None:
                passfile = Path(private) / "pgpass"
                escaped = str(password).replace("\\", "\\\\").replace(":", "\\:")
                passfile.write_text(f"*:*:*:*:{escaped}\n")
                passfile.chmod(0o600)
                parts["passfile"] = str(passfile)
            command.append(f"--dbname={make_conninfo('', **parts)}")
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BackupError(N_("{tool} failed: {detail}"), tool=tool, detail=str(exc)) from exc
    if done.returncode != 0:
        raise BackupError(
            N_("{tool} failed: {detail}"), tool=tool, detail=done.stderr.strip()[-2000:]
        )
    return done.stdout


def dump(url: str, into: Path) -> None:
    """Dump the database at `url` into the (private) file `into`, custom format."""
    _run("pg_dump", ["--format=custom", "--no-owner", f"--file={into}"], url)
    with into.open("rb") as file:
        os.fsync(file.fileno())


def _check_empty(url: str) -> None:
    """Refuse a target holding data, or holding the app's tables at all (pg_restore
    creates them, and would collide)."""
    from store.backup import BackupError

    try:
        with psycopg.connect(url, autocommit=True) as conn:
            present = [
                table
                for table in TABLES
                if conn.execute("SELECT to_regclass(%s)", (table,)).fetchone() != (None,)
            ]
            for table in present:
                if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
                    raise TargetNotEmptyError(
                        N_(
                            "The target database {name} holds data already;"
                            " restore into an empty one."
                        ),
                        name=stem(url),
                    )
    except psycopg.Error as exc:
        raise BackupError(
            N_("The target database cannot be reached: {detail}"), detail=str(exc).strip()
        ) from exc
    if present:
        raise BackupError(
            N_(
                "The target database {name} has the app's tables already; restore into a new"
                " database (createdb)."
            ),
            name=stem(url),
        )


def load(backup: Path, url: str) -> None:
    """Restore `backup` into the empty database at `url`, in one transaction. The
    extension's comment is left out: only the extension's owner may set it."""
    _check_empty(url)
    listing = _run("pg_restore", ["--list", str(backup)], None)
    kept = [line for line in listing.splitlines() if "COMMENT - EXTENSION" not in line]
    with tempfile.NamedTemporaryFile("w", suffix=".list") as chosen:
        chosen.write("\n".join(kept) + "\n")
        chosen.flush()
        _run(
            "pg_restore",
            [
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--use-list={chosen.name}",
                str(backup),
            ],
            url,
        )
