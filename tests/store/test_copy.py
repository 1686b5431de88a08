"""Copying all data SQLite -> PostGIS -> SQLite, without loss, by the copy command."""

from __future__ import annotations

import subprocess
from datetime import date
from typing import Any

import pytest
from shapely.geometry import box

from rules.measures import MeasureDraft
from rules.pins import PinDraft
from rules.population import Residents
from rules.roles import Actor, Role
from services.demo import fill_demo
from store import Store, open_store
from store.copy import TABLES, TargetNotEmptyError, copy_store
from tests.conftest import PgCluster, StoreFactory, run_module
from tests.factories import make_draft
from tests.photo_samples import clean_photo
from tests.store.sql import dump, raw_rows, rows

ADMIN = Actor(name="ada", role=Role.ADMIN)
FACILITATOR = Actor(name="fia", role=Role.FACILITATOR)
MODERATOR = Actor(name="mo", role=Role.MODERATOR)
QUARTER = "320"  # Brackel


def _plain_draft(token: str, quarter_id: str, **changes: Any) -> PinDraft:
    """A draft of severity 1 at (7.55, 51.52), unless told otherwise."""
    return make_draft(
        token, quarter_id=quarter_id, **{"lon": 7.55, "lat": 51.52, "severity": 1, **changes}
    )


def _lived_in(store: Store) -> None:
    """Everything the app writes: demo pins and layers, a lab with pins, supports,
    reports, a hidden pin, a pin merged into a newer one, accounts and the audit log."""
    fill_demo(store)
    store.create_user("ada", "correct horse battery", Role.ADMIN, actor=None)
    store.create_user("mo", "moderating all day", Role.MODERATOR, actor=ADMIN)
    store.create_user("fia", "facilitating all day", Role.FACILITATOR, actor=ADMIN)
    store.create_user("pia", "planning all the day", Role.PLANNER, actor=ADMIN)
    store.create_user("stella", "steering all the day", Role.STEERING, actor=ADMIN)
    lab = store.open_session(
        quarter_id=QUARTER,
        title="Quartierslabor Brackel",
        held_on=date(2026, 3, 4),
        place="Bürgerhaus",
        format="lab_table",
        actor=FACILITATOR,
    )
    old, new, rude = (
        store.add_pin(
            make_draft(
                f"lab-{i}",
                quarter_id=QUARTER,
                lon=7.55 + i / 1000,
                lat=51.52,
                text=text,
                session_id=lab.id,
                participant=f"p{i}",
            )
        )
        for i, text in enumerate(["Dunkel „hier“ 😱", "", "<script>alert(1)</script>"])
    )
    store.add_support(new.id, "p9")
    store.flag_pin(rude.id, "beleidigend", participant="p1")
    store.hide_pin(rude.id, actor=MODERATOR, reason="Beleidigung")
    store.merge_pins(new.id, old.id, actor=MODERATOR, reason="doppelt")
    store.close_session(lab.id, actor=FACILITATOR)
    measure = store.create_measure(
        MeasureDraft(
            "Laterne am Durchgang",
            "lighting",
            QUARTER,
            box(7.55, 51.519, 7.553, 51.521),
            working_group="infrastructure",
            cost_eur=2500.0,
            target_date=date(2027, 3, 1),
            pin_ids=(new.id,),
        ),
        actor=Actor("pia", Role.PLANNER),
    )
    # Issue 15's tables: a follower told of the move, a photo, supports and a comment.
    follow = store.add_follow(new.id, "ana@example.org", "p1")
    store.confirm_follow(follow.token)
    store.add_photos(new.id, [clean_photo()], participant="p1")
    store.move_measure(measure.id, "discussed", actor=Actor("stella", Role.STEERING))
    (due,) = store.due_follow_mails(measure.id)
    assert store.claim_follow_mail(due)
    store.set_comment_phase(QUARTER, True, actor=Actor("pia", Role.PLANNER))
    store.support_measure(measure.id, "p5")
    store.release_comment(store.add_measure_comment(measure.id, "p5", "Gute Idee"), actor=MODERATOR)
    store.set_population(
        [Residents(QUARTER, 24770, date(2023, 12, 31))],
        source="t",
        actor=Actor("pia", Role.PLANNER),
    )


def _copy(source: str, target: str) -> subprocess.CompletedProcess[str]:
    return run_module("store.copy", "--from", source, "--to", target)


def _portable(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every table without PostGIS's generated geometry columns, rows sorted."""
    from store.copy import columns

    with store.db.read() as conn:
        names = {t: columns(store.db, conn, t) for t in TABLES}
    return {
        t: sorted(rows(store, f"SELECT {', '.join(names[t])} FROM {t}"), key=repr) for t in TABLES
    }


def test_sqlite_to_postgis_and_back_loses_nothing(tmp_path, pg_cluster: PgCluster) -> None:
    original_url = str(tmp_path / "lab.sqlite")
    original = open_store(original_url)
    _lived_in(original)
    before = _portable(original)
    assert len(before["pins"]) > 100 and len(before["layer_features"]) > 100
    assert before["users"] and before["audit_log"] and before["flags"] and before["supports"]
    assert before["measures"] and before["measure_pins"] and len(before["measure_history"]) == 2
    assert before["population"]
    new_tables = ("measure_supports", "measure_comments", "comment_phases", "pin_photos")
    assert all(before[t] for t in (*new_tables, "follows", "follow_mails"))

    server_url = pg_cluster.create_database("copy_target")
    there = _copy(original_url, server_url)
    assert there.returncode == 0, there.stderr
    assert there.stdout.splitlines()[-1].endswith("complete")
    assert f"pins: {len(before['pins'])} rows, checked" in there.stdout
    server = open_store(server_url)
    assert _portable(server) == before
    # What the app reads is the same, and new rows continue after the copied ids.
    assert server.pins_in_quarter(QUARTER) == original.pins_in_quarter(QUARTER)
    assert server.authenticate("ada", "correct horse battery").role is Role.ADMIN
    added = server.add_pin(_plain_draft("after-copy", QUARTER))
    assert added.id == max(int(str(r[0])) for r in before["pins"]) + 1
    server.close()

    back_url = str(tmp_path / "back.sqlite")
    back = _copy(server_url, back_url)
    assert back.returncode == 0, back.stderr
    returned = _portable(open_store(back_url))
    assert {t: v for t, v in returned.items() if t != "pins"} == {
        t: v for t, v in before.items() if t != "pins"
    }
    assert [r for r in returned["pins"] if r[1] != "after-copy"] == before["pins"]
    assert raw_rows(back_url, "PRAGMA integrity_check") == [("ok",)]
    again = open_store(back_url).add_pin(_plain_draft("after-copy-back", QUARTER))
    assert again.id == added.id + 1


def test_a_target_with_data_is_refused_and_left_alone(stores: StoreFactory) -> None:
    source, target = stores.open(), stores.open()
    source.add_pin(_plain_draft("a", "brackel"))
    target.add_pin(_plain_draft("b", "hoerde", lon=7.50, lat=51.49))
    before = dump(target)
    with pytest.raises(TargetNotEmptyError, match="holds data already"):
        copy_store(source.db, target.db)
    assert dump(target) == before
    refused = _copy(source.db.url, target.db.url)
    assert refused.returncode == 1 and "holds data already" in refused.stderr
    assert dump(target) == before
