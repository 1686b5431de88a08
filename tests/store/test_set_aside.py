"""Moving a database aside for a rollback (store/set_aside.py), on both backends: the
old one keeps every row under its new name, an empty one takes its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.set_aside import SetAsideError, set_aside
from tests.conftest import StoreFactory
from tests.factories import make_draft


def _aside_url(url: str, moved: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + moved if "://" in url else moved


def test_the_database_moves_aside_whole_and_an_empty_one_takes_its_place(
    stores: StoreFactory,
) -> None:
    url = stores.new_url()
    store = stores.open(url)
    saved = store.add_pin(make_draft("t-rollback", text="vor dem Zurückgehen"))
    store.close()

    moved = set_aside(url, "_before_rollback")

    aside = stores.open(_aside_url(url, moved), staff=False)
    assert [p.id for p in aside.pins_in_quarter(saved.quarter_id)] == [saved.id]
    empty = stores.open(url, staff=False)
    assert empty.pins_in_quarter(saved.quarter_id) == []


def test_an_sqlite_file_moves_with_its_write_ahead_log(tmp_path: Path) -> None:
    database = tmp_path / "lab.sqlite"
    for part in ("", "-wal", "-shm"):
        database.with_name(database.name + part).write_bytes(part.encode() or b"db")
    moved = Path(set_aside(str(database), ".old"))
    assert moved == tmp_path / "lab.sqlite.old"
    assert [p.name for p in sorted(tmp_path.iterdir())] == [
        "lab.sqlite.old",
        "lab.sqlite.old-shm",
        "lab.sqlite.old-wal",
    ]
    assert (tmp_path / "lab.sqlite.old-wal").read_bytes() == b"-wal"


def test_nothing_is_overwritten(tmp_path: Path) -> None:
    (tmp_path / "lab.sqlite").write_bytes(b"new")
    (tmp_path / "lab.sqlite.old").write_bytes(b"kept")
    with pytest.raises(SetAsideError):
        set_aside(str(tmp_path / "lab.sqlite"), ".old")
    assert (tmp_path / "lab.sqlite.old").read_bytes() == b"kept"
    assert (tmp_path / "lab.sqlite").read_bytes() == b"new"
