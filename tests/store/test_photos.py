"""Photos of notes on both backends: kept for the note's author, public only once a
moderator released them, hidden or blurred by moderators alone (audited), gone with
the texts at retention."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from rules.errors import ValidationError
from rules.photos import PHOTO_RELEASED, TOO_MANY_PHOTOS, PhotoImage
from rules.roles import Actor, PermissionDeniedError, Role
from store import Store
from tests.conftest import StoreFactory
from tests.factories import make_draft
from tests.photo_samples import clean_photo
from tests.store.sql import rows

MODERATOR = Actor(name="mona", role=Role.MODERATOR)
PLANNER = Actor(name="pia", role=Role.PLANNER)
ADMIN = Actor(name="ada", role=Role.ADMIN)


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


def _note(store: Store, token: str = "t1", participant: str = "tab-a") -> int:
    return store.add_pin(make_draft(token, participant=participant)).id


def test_a_note_keeps_its_photos_waiting_and_the_public_sees_none(store: Store) -> None:
    pin_id = _note(store)
    ids = store.add_photos(pin_id, [clean_photo(64, 48), clean_photo(30, 40)], participant="tab-a")
    assert len(ids) == 2 and store.count_photos(pin_id) == 2
    assert all(store.released_photo(i) is None for i in ids)
    assert store.released_photo_ids([pin_id]) == {}
    waiting = store.pending_photos(actor=MODERATOR)
    assert [(p.id, p.pin_id, p.width_px, p.height_px, p.status) for p in waiting] == [
        (ids[0], pin_id, 64, 48, "pending"),
        (ids[1], pin_id, 30, 40, "pending"),
    ]
    assert store.count_pending_photos(actor=MODERATOR) == 2
    assert store.photo_image(ids[0], actor=MODERATOR) == clean_photo(64, 48).jpeg


def test_a_released_photo_is_public_and_a_hidden_one_is_gone_again(store: Store) -> None:
    pin_id = _note(store)
    first, second = store.add_photos(
        pin_id, [clean_photo(), clean_photo(8, 8)], participant="tab-a"
    )
    version = store.pins_version()
    store.release_photo(first, actor=MODERATOR)
    assert store.pins_version() != version  # the maps' popups are drawn anew
    assert store.released_photo(first) == clean_photo().jpeg
    assert store.released_photo(second) is None
    assert store.released_photo_ids([pin_id, 999]) == {pin_id: [first]}
    (shown,) = store.released_photos_of([pin_id])[pin_id]
    assert (shown.id, shown.status) == (first, PHOTO_RELEASED)
    assert [p.id for p in store.pending_photos(actor=MODERATOR)] == [second]

    store.hide_photo(first, actor=MODERATOR, reason="Gesicht erkennbar")
    assert store.released_photo(first) is None
    assert store.released_photo_ids([pin_id]) == {}
    assert store.photos_of([pin_id], actor=MODERATOR, statuses=["hidden"])[pin_id][0].id == first
    audit = rows(store, "SELECT actor, action, target, reason FROM audit_log ORDER BY id")
    assert audit[-2:] == [
        ("mona", "pin.photo_release", str(first), ""),
        ("mona", "pin.photo_hide", str(first), "Gesicht erkennbar"),
    ]


def test_photos_of_a_hidden_note_are_neither_public_nor_waiting(store: Store) -> None:
    pin_id = _note(store)
    (photo_id,) = store.add_photos(pin_id, [clean_photo()], participant="tab-a")
    store.release_photo(photo_id, actor=MODERATOR)
    store.hide_pin(pin_id, actor=MODERATOR, reason="Beleidigung")
    assert store.released_photo(photo_id) is None
    assert store.released_photo_ids([pin_id]) == {}
    assert store.count_pending_photos(actor=MODERATOR) == 0


def test_only_the_notes_author_adds_photos_and_at_most_three(store: Store) -> None:
    pin_id = _note(store, participant="tab-a")
    with pytest.raises(ValidationError, match="your own note"):
        store.add_photos(pin_id, [clean_photo()], participant="tab-b")
    store.add_photos(pin_id, [clean_photo(), clean_photo()], participant="tab-a")
    with pytest.raises(ValidationError) as caught:
        store.add_photos(pin_id, [clean_photo(), clean_photo()], participant="tab-a")
    assert caught.value.msgid == TOO_MANY_PHOTOS and caught.value.params["count"] == 4
    assert store.count_photos(pin_id) == 2  # the refused pair left nothing behind
    store.add_photos(pin_id, [clean_photo()], participant="tab-a")
    assert store.count_photos(pin_id) == 3
    with pytest.raises(ValidationError, match="no longer on the map"):
        store.add_photos(999, [clean_photo()], participant="tab-a")
    assert store.add_photos(pin_id, [], participant="tab-a") == []


def test_staff_transcribing_a_paper_map_add_photos_to_their_note(store: Store) -> None:
    pin_id = _note(store, participant="")
    assert len(store.add_photos(pin_id, [clean_photo()], participant="")) == 1
    with pytest.raises(ValidationError):
        store.add_photos(pin_id, [clean_photo()], participant="tab-a")


@pytest.mark.parametrize("actor", [PLANNER, Actor.participant()], ids=["planner", "participant"])
def test_only_moderators_see_waiting_photos_and_decide(store: Store, actor: Actor) -> None:
    pin_id = _note(store)
    (photo_id,) = store.add_photos(pin_id, [clean_photo()], participant="tab-a")
    for attempt in (
        lambda: store.pending_photos(actor=actor),
        lambda: store.count_pending_photos(actor=actor),
        lambda: store.photo_image(photo_id, actor=actor),
        lambda: store.photos_of([pin_id], actor=actor, statuses=["pending"]),
        lambda: store.release_photo(photo_id, actor=actor),
        lambda: store.hide_photo(photo_id, actor=actor, reason="x"),
        lambda: store.replace_photo(photo_id, clean_photo(), actor=actor),
    ):
        with pytest.raises(PermissionDeniedError):
            attempt()
    assert store.released_photo(photo_id) is None


def test_hiding_needs_a_reason_and_unknown_photos_are_named(store: Store) -> None:
    pin_id = _note(store)
    (photo_id,) = store.add_photos(pin_id, [clean_photo()], participant="tab-a")
    with pytest.raises(ValidationError, match="reason"):
        store.hide_photo(photo_id, actor=MODERATOR, reason="  ")
    with pytest.raises(ValidationError, match="no photo #77"):
        store.release_photo(77, actor=MODERATOR)


def test_a_waiting_photo_is_replaced_by_its_blurred_version_then_no_more(store: Store) -> None:
    pin_id = _note(store)
    (photo_id,) = store.add_photos(pin_id, [clean_photo(64, 48)], participant="tab-a")
    blurred = PhotoImage(jpeg=clean_photo(60, 40).jpeg, width_px=60, height_px=40)
    store.replace_photo(photo_id, blurred, actor=MODERATOR, detail="blurred 1,2-3,4")
    assert store.photo_image(photo_id, actor=MODERATOR) == blurred.jpeg
    (waiting,) = store.pending_photos(actor=MODERATOR)
    assert (waiting.width_px, waiting.height_px) == (60, 40)
    assert rows(store, "SELECT action, detail FROM audit_log ORDER BY id")[-1] == (
        "pin.photo_blur",
        "blurred 1,2-3,4",
    )
    store.release_photo(photo_id, actor=MODERATOR)
    with pytest.raises(ValidationError, match="waiting for release"):
        store.replace_photo(photo_id, clean_photo(), actor=MODERATOR)
    assert store.released_photo(photo_id) == blurred.jpeg


def test_retention_deletes_the_photos_of_old_notes_with_their_texts(store: Store) -> None:
    old = make_draft("old", quarter_id="320", lon=7.55, lat=51.52, participant="p1", text="x")
    new = replace(old, token="new")
    store.add_pins(
        [old, new], created_at=[datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)]
    )
    by_token = {p.token: p.id for p in store.pins_in_quarter("320")}
    (old_photo,) = store.add_photos(by_token["old"], [clean_photo()], participant="p1")
    (new_photo,) = store.add_photos(by_token["new"], [clean_photo()], participant="p1")
    store.release_photo(old_photo, actor=MODERATOR)
    store.purge_texts(before=datetime(2026, 3, 1, tzinfo=UTC), actor=ADMIN)
    assert rows(store, "SELECT id FROM pin_photos") == [(new_photo,)]
    assert store.released_photo(old_photo) is None
    ((detail,),) = rows(store, "SELECT detail FROM audit_log ORDER BY id DESC LIMIT 1")
    assert detail.startswith("1 texts, 1 photos")


def test_many_notes_are_asked_about_at_once(store: Store) -> None:
    pin_id = _note(store)
    (photo_id,) = store.add_photos(pin_id, [clean_photo()], participant="tab-a")
    store.release_photo(photo_id, actor=MODERATOR)
    # More notes than one IN (…) list takes: all photos read, only the asked-for kept.
    assert store.released_photo_ids(range(1, 2000)) == {pin_id: [photo_id]}
    assert store.released_photo_ids(range(2, 2000)) == {}
