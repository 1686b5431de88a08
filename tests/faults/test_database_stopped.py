"""The PostGIS server stops while a participant saves: a clear message, the note kept
in the session, saved once the server is back, and never twice."""

from __future__ import annotations

import time

import pytest

from datapack.loading import load_districts
from devtools.pg_cluster import PgCluster
from store import open_store
from tests.pages.apptest_helpers import (
    click_map,
    fill_form,
    join_lab,
    new_app,
    open_lab,
    submit,
    texts,
)

BRACKEL = "320"


@pytest.mark.timeout(300)
def test_a_save_while_the_database_is_stopped_is_kept_and_saved_once(
    own_cluster: PgCluster, fresh_app_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = own_cluster.create_database("lab")
    monkeypatch.setenv("SQ_DB", url)
    store = open_store(url)
    point = load_districts().geometry(BRACKEL).representative_point()
    at = join_lab(new_app(), open_lab(store).join_code)
    click_map(at, point.x, point.y)
    fill_form(at, text="Unterführung")

    own_cluster.stop()
    started = time.monotonic()
    submit(at)
    waited = time.monotonic() - started
    assert not at.exception
    assert any(
        "nicht gespeichert" in e and "Datenbankserver ist gerade nicht erreichbar" in e
        for e in texts(at.error)
    ), texts(at.error)
    assert waited < 10  # told at once, not after a long wait
    assert any("1 Hinweis(e) noch nicht gespeichert" in w for w in texts(at.warning))
    # The map says it cannot read the notes, rather than "0 notes so far".
    assert "Der Datenbankserver ist gerade nicht erreichbar." in texts(at.warning)
    assert not [c for c in texts(at.caption) if "Hinweise in Brackel" in c]

    own_cluster.start()
    at.button(key="retry_unsaved").click().run()
    assert not at.exception
    assert not texts(at.warning)
    assert [p.text for p in store.pins_in_quarter(BRACKEL)] == ["Unterführung"]
    # Nothing more to retry, and running the page again stores nothing twice.
    assert not [b for b in at.button if b.key == "retry_unsaved"]
    at.run()
    assert store.count_pins() == 1
    store.close()
