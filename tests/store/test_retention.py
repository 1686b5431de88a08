"""The retention command removes texts and nothing else."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime

from tests.conftest import PROJECT_DIR, StoreFactory
from tests.factories import make_draft


def test_the_retention_command_removes_the_text_and_nothing_else(stores: StoreFactory) -> None:
    db = stores.new_url()
    store = stores.open(db)
    old = make_draft(
        "old",
        quarter_id="320",
        lon=7.55,
        lat=51.52,
        text="Name: Erika M., Hausnr. 5",
        working_group="public_spaces",
        participant="p1",
    )
    new = replace(old, token="new", text="neuer Text")
    store.add_pins(
        [old, new], created_at=[datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)]
    )
    store.add_support(1, "p2")
    before = {p.token: p for p in store.pins_in_quarter("320")}

    result = subprocess.run(
        [sys.executable, "-m", "store.retention", "--before", "2026-03-01", "--db", db],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "1 texts" in result.stdout

    after = {p.token: p for p in store.pins_in_quarter("320")}
    assert after["old"].text == "" and after["old"].text_status == "none"
    assert (
        replace(after["old"], text=before["old"].text, text_status=before["old"].text_status)
        == before["old"]
    )
    assert after["new"] == before["new"]
