"""Moderation against a real SQLite file: text release and edits, hiding, merging,
flags, retention, the audit log and who may do what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from rules.errors import ValidationError
from rules.pins import Pin
from rules.roles import Actor, PermissionDeniedError, Role
from rules.vocab import TEXT_MAX_CHARS
from store import Store
from store.moderation import MAX_REASON_CHARS
from tests.conftest import StoreFactory
from tests.factories import make_draft
from tests.store.sql import dump, rows

MODERATOR = Actor(name="mona", role=Role.MODERATOR)
ADMIN = Actor(name="ada", role=Role.ADMIN)
FACILITATOR = Actor(name="fritz", role=Role.FACILITATOR)
ADMIN_PW = "correct horse battery"
TEXT = "Dunkle Unterführung, abends stehen dort Gruppen"


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


def _pin(store: Store, pin_id: int) -> Pin:
    pin = store.pin(pin_id)
    assert pin is not None
    return pin


@dataclass(frozen=True)
class World:
    """Three visible pins (one with a flag) and one hidden pin."""

    with_text: int
    without_text: int
    staff: int
    hidden: int
    flag: int


@pytest.fixture
def world(store: Store) -> World:
    a = store.add_pin(make_draft("a", text=TEXT, participant="p-a"))
    b = store.add_pin(make_draft("b", participant="p-b", category="traffic"))
    c = store.add_pin(make_draft("c", text="Kaputte Laterne", category="dark"))
    h = store.add_pin(make_draft("h", text="wird versteckt", participant="p-h"))
    store.add_support(a.id, "p-b")
    store.add_support(b.id, "p-a")
    store.hide_pin(h.id, actor=MODERATOR, reason="Beleidigung")
    flag = store.flag_pin(a.id, "enthält eine Telefonnummer")
    return World(with_text=a.id, without_text=b.id, staff=c.id, hidden=h.id, flag=flag)


# --- text release ------------------------------------------------------------------


def test_a_new_pin_with_text_is_pending_and_not_public(store):
    pin = store.add_pin(make_draft("t1", text=TEXT))
    assert pin.text == TEXT
    assert pin.text_status == "pending"
    assert pin.public_text == ""
    assert store.pins_in_quarter("brackel")[0].public_text == ""


def test_a_new_pin_without_text_has_text_status_none(store):
    pin = store.add_pin(make_draft("t1"))
    assert pin.text == ""
    assert pin.text_status == "none"
    assert pin.public_text == ""


def test_pending_texts_lists_visible_pending_pins_oldest_first(store, world):
    pending = store.pending_texts(actor=MODERATOR)
    assert [p.id for p in pending] == [world.with_text, world.staff]
    assert all(p.text_status == "pending" for p in pending)


def test_pending_texts_come_in_pages_and_by_quarter(store):
    for i in range(7):
        store.add_pin(make_draft(f"b{i}", text=f"Brackel {i}"))
        store.add_pin(make_draft(f"h{i}", text=f"Hörde {i}", quarter_id="hoerde"))
    everything = [p.id for p in store.pending_texts(actor=MODERATOR)]
    pages = [
        [p.id for p in store.pending_texts(actor=MODERATOR, limit=5, offset=start)]
        for start in (0, 5, 10)
    ]
    assert [len(page) for page in pages] == [5, 5, 4]
    assert [pin for page in pages for pin in page] == everything
    hoerde = store.pending_texts(actor=MODERATOR, quarter_id="hoerde")
    assert [p.text for p in hoerde] == [f"Hörde {i}" for i in range(7)]
    assert store.count_pending_texts(actor=MODERATOR) == 14
    assert store.count_pending_texts(actor=MODERATOR, quarter_id="hoerde") == 7
    assert store.pending_quarters(actor=MODERATOR) == ["brackel", "hoerde"]
    assert store.pending_labs(actor=MODERATOR) == []  # none of them came from a lab


def test_release_texts_releases_the_chosen_ones_in_one_go(store, world):
    before = len(store.audit_entries(actor=ADMIN))
    released = store.release_texts([world.staff, world.with_text, world.staff], actor=MODERATOR)
    assert released == 2
    assert store.pending_texts(actor=MODERATOR) == []
    assert _pin(store, world.staff).public_text == "Kaputte Laterne"
    # Released meanwhile by someone else: left alone, not counted, not audited twice.
    assert store.release_texts([world.staff], actor=MODERATOR) == 0
    releases = store.audit_entries(actor=ADMIN)[: len(store.audit_entries(actor=ADMIN)) - before]
    assert sorted(e.target for e in releases) == sorted([str(world.staff), str(world.with_text)])
    assert {e.action for e in releases} == {"text.release"}
    with pytest.raises(PermissionDeniedError):
        store.release_texts([world.with_text], actor=FACILITATOR)


def test_release_text_makes_the_text_public(store, world):
    store.release_text(world.with_text, actor=MODERATOR)
    pin = _pin(store, world.with_text)
    assert pin.text_status == "released"
    assert pin.public_text == pin.text == TEXT
    assert [p.id for p in store.pending_texts(actor=MODERATOR)] == [world.staff]


def test_release_text_of_a_pin_without_text_leaves_it_none(store, world):
    before = _pin(store, world.without_text)
    store.release_text(world.without_text, actor=MODERATOR)
    assert _pin(store, world.without_text) == before


def test_edit_text_replaces_the_text_cleaned_and_releases_it(store, world):
    before = _pin(store, world.with_text)
    raw = "  Dunkle Unterführung\u202e, Nummer\x07 entfernt \r\n "
    store.edit_text(world.with_text, raw, actor=MODERATOR, reason="Telefonnummer entfernt")
    after = _pin(store, world.with_text)
    assert after.text == "Dunkle Unterführung, Nummer entfernt"
    assert after.text_status == "released"
    assert after.public_text == after.text
    assert replace(after, text=before.text, text_status=before.text_status) == before


def test_edit_text_to_nothing_leaves_no_text(store, world):
    store.edit_text(world.with_text, "   ", actor=MODERATOR, reason="nur Personendaten")
    pin = _pin(store, world.with_text)
    assert (pin.text, pin.text_status, pin.public_text) == ("", "none", "")


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_edit_text_requires_a_reason(store, world, reason):
    before = dump(store)
    with pytest.raises(ValidationError):
        store.edit_text(world.with_text, "neu", actor=MODERATOR, reason=reason)
    assert dump(store) == before


def test_edit_text_refuses_a_text_too_long(store, world):
    before = dump(store)
    with pytest.raises(ValidationError) as exc_info:
        store.edit_text(
            world.with_text, "x" * (TEXT_MAX_CHARS + 1), actor=MODERATOR, reason="gekürzt"
        )
    assert exc_info.value.params == {"length": TEXT_MAX_CHARS + 1, "limit": TEXT_MAX_CHARS}
    assert dump(store) == before


def test_a_reason_too_long_is_refused(store, world):
    before = dump(store)
    with pytest.raises(ValidationError) as exc_info:
        store.hide_pin(world.with_text, actor=MODERATOR, reason="r" * (MAX_REASON_CHARS + 1))
    assert exc_info.value.params["limit"] == MAX_REASON_CHARS
    assert dump(store) == before


# --- hiding ------------------------------------------------------------------------


def test_hide_pin_takes_the_pin_off_the_map_but_keeps_it(store, world):
    assert store.count_pins("brackel") == 3
    store.hide_pin(world.with_text, actor=MODERATOR, reason="Beleidigung")
    visible = store.pins_in_quarter("brackel")
    assert world.with_text not in [p.id for p in visible]
    assert [p.id for p in visible] == [world.without_text, world.staff]
    assert store.count_pins("brackel") == 2
    assert store.count_pins() == 2
    pin = _pin(store, world.with_text)
    assert pin.hidden is True
    assert pin.text == TEXT
    assert world.with_text not in [p.id for p in store.pending_texts(actor=MODERATOR)]


@pytest.mark.parametrize("reason", ["", "  "])
def test_hide_pin_requires_a_reason(store, world, reason):
    before = dump(store)
    with pytest.raises(ValidationError):
        store.hide_pin(world.with_text, actor=MODERATOR, reason=reason)
    assert dump(store) == before


# --- merging -----------------------------------------------------------------------


def test_merge_moves_supports_and_counts_the_duplicates_author(store):
    keep = store.add_pin(make_draft("k", participant="k-author"))
    dup = store.add_pin(make_draft("d", participant="d-author", text="dasselbe"))
    store.add_support(keep.id, "p1")
    store.add_support(dup.id, "p1")  # supported both: counts once
    store.add_support(dup.id, "p2")

    count = store.merge_pins(keep.id, dup.id, actor=MODERATOR, reason="doppelt")

    assert count == 3  # p1, p2, d-author
    assert _pin(store, keep.id).supports == 3
    assert [p.id for p in store.pins_in_quarter("brackel")] == [keep.id]
    assert store.count_pins("brackel") == 1
    merged = _pin(store, dup.id)
    assert merged.hidden is True
    assert dup.id not in [p.id for p in store.pending_texts(actor=MODERATOR)]


def test_a_merged_pin_tells_where_it_lives_on_through_a_chain(store):
    first = store.add_pin(make_draft("a"))
    second = store.add_pin(make_draft("b"))
    third = store.add_pin(make_draft("c"))
    assert store.merged_into(first.id) is None
    store.merge_pins(second.id, first.id, actor=MODERATOR, reason="doppelt")
    assert store.merged_into(first.id) == second.id
    store.merge_pins(third.id, second.id, actor=MODERATOR, reason="doppelt")
    assert (store.merged_into(first.id), store.merged_into(second.id)) == (third.id, third.id)
    assert store.merged_into(third.id) is None


def test_merge_counts_a_transcribed_duplicate_as_one_support(store):
    keep = store.add_pin(make_draft("k", participant="k-author"))
    dup1 = store.add_pin(make_draft("d1"))  # staff transcribing: no participant
    dup2 = store.add_pin(make_draft("d2"))
    assert store.merge_pins(keep.id, dup1.id, actor=MODERATOR, reason="doppelt") == 1
    assert store.merge_pins(keep.id, dup2.id, actor=MODERATOR, reason="doppelt") == 2
    assert _pin(store, keep.id).supports == 2


def test_merge_counts_an_author_who_supported_already_once(store):
    keep = store.add_pin(make_draft("k", participant="k-author"))
    dup = store.add_pin(make_draft("d", participant="d-author"))
    store.add_support(keep.id, "d-author")
    assert store.merge_pins(keep.id, dup.id, actor=MODERATOR, reason="doppelt") == 1


def test_merging_a_pin_with_itself_is_refused(store, world):
    before = dump(store)
    with pytest.raises(ValidationError):
        store.merge_pins(world.with_text, world.with_text, actor=MODERATOR, reason="doppelt")
    assert dump(store) == before


@pytest.mark.parametrize("hidden_side", ["keep", "duplicate"])
def test_merging_with_a_hidden_pin_is_refused(store, world, hidden_side):
    keep, dup = (
        (world.hidden, world.with_text)
        if hidden_side == "keep"
        else (world.with_text, world.hidden)
    )
    before = dump(store)
    with pytest.raises(ValidationError):
        store.merge_pins(keep, dup, actor=MODERATOR, reason="doppelt")
    assert dump(store) == before


def test_merging_an_already_merged_pin_is_refused(store, world):
    store.merge_pins(world.with_text, world.staff, actor=MODERATOR, reason="doppelt")
    before = dump(store)
    with pytest.raises(ValidationError):
        store.merge_pins(world.without_text, world.staff, actor=MODERATOR, reason="doppelt")
    assert dump(store) == before


def test_merge_requires_a_reason(store, world):
    before = dump(store)
    with pytest.raises(ValidationError):
        store.merge_pins(world.with_text, world.staff, actor=MODERATOR, reason=" ")
    assert dump(store) == before


# --- flags -------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\x00\n"])
def test_a_flag_needs_a_reason(store, world, reason):
    with pytest.raises(ValidationError):
        store.flag_pin(world.without_text, reason)
    assert [f.id for f in store.open_flags(actor=MODERATOR)] == [world.flag]


def test_a_flag_hides_nothing(store):
    pin = store.add_pin(make_draft("t1", text=TEXT, participant="p1"))
    for i in range(5):
        store.flag_pin(pin.id, f"gemeldet {i}")
    assert store.pins_in_quarter("brackel") == [pin]
    assert store.count_pins("brackel") == 1
    assert _pin(store, pin.id) == pin


def test_open_flags_lists_a_flag_for_moderators_until_resolved(store):
    pin = store.add_pin(make_draft("t1", text=TEXT, participant="p1"))
    flag_id = store.flag_pin(pin.id, "  enthält eine Telefonnummer \x07 ")
    flags = store.open_flags(actor=MODERATOR)
    assert [(f.id, f.pin_id, f.reason, f.status) for f in flags] == [
        (flag_id, pin.id, "enthält eine Telefonnummer", "open")
    ]
    assert store.open_flags(actor=ADMIN) == flags

    store.resolve_flag(flag_id, actor=MODERATOR, note="Nummer entfernt")
    assert store.open_flags(actor=MODERATOR) == []
    assert store.pins_in_quarter("brackel") == [pin]


def test_flagging_a_hidden_pin_is_refused(store, world):
    with pytest.raises(ValidationError):
        store.flag_pin(world.hidden, "noch einmal")
    assert [f.id for f in store.open_flags(actor=MODERATOR)] == [world.flag]


# --- retention ---------------------------------------------------------------------


def test_purge_texts_empties_only_texts_created_before_the_cutoff(store):
    session = store.open_session(
        quarter_id="brackel",
        title="Labor",
        held_on=date(2024, 11, 5),
        place="",
        format="walk",
        actor=FACILITATOR,
    )
    cutoff = datetime(2025, 1, 1, tzinfo=UTC)
    drafts = [
        make_draft("old-pending", text="alt, wartend", participant="p1", session_id=session.id),
        make_draft("old-released", text="alt, frei", category="traffic", time_band="day"),
        make_draft("old-none", severity=None, lon=7.56, lat=51.52),
        make_draft("new-pending", text="neu", quarter_id="hoerde", participant="p2"),
        make_draft("at-cutoff", text="genau am Stichtag"),
    ]
    stamps = [
        cutoff - timedelta(days=90),
        cutoff - timedelta(days=30),
        cutoff - timedelta(days=10),
        cutoff + timedelta(days=1),
        cutoff,
    ]
    assert store.add_pins(drafts, created_at=stamps) == 5
    ids = {p.token: p.id for q in ("brackel", "hoerde") for p in store.pins_in_quarter(q)}
    store.release_text(ids["old-released"], actor=MODERATOR)
    store.add_support(ids["old-pending"], "p9")
    store.add_support(ids["old-released"], "p9")
    before = {token: _pin(store, pin_id) for token, pin_id in ids.items()}

    assert store.purge_texts(before=cutoff, actor=ADMIN) == 2

    after = {token: _pin(store, pin_id) for token, pin_id in ids.items()}
    for token in ("old-pending", "old-released"):
        assert after[token].text == ""
        assert after[token].text_status == "none"
        assert after[token].public_text == ""
        assert after[token] == replace(before[token], text="", text_status="none")
    for token in ("old-none", "new-pending", "at-cutoff"):
        assert after[token] == before[token]
    assert after["old-pending"].session_id == session.id
    assert after["old-pending"].supports == 1
    assert after["old-pending"].created_at == stamps[0]


def test_purge_texts_unlinks_one_tabs_notes_supports_and_reports(store):
    """The tab's random id linked one person's notes, supports and reports (the privacy
    notice says so); retention removes that link with the texts, once-per-pin stays."""
    cutoff = datetime(2025, 1, 1, tzinfo=UTC)
    drafts = [make_draft(f"old{i}", text="alt", participant="tab-1") for i in range(2)]
    drafts.append(make_draft("new", text="neu", participant="tab-1"))
    stamps = [cutoff - timedelta(days=9), cutoff - timedelta(days=8), cutoff + timedelta(days=1)]
    store.add_pins(drafts, created_at=stamps)
    ids = {p.token: p.id for p in store.pins_in_quarter("brackel")}
    for token in ("old0", "old1", "new"):
        store.add_support(ids[token], "tab-2")
        store.flag_pin(ids[token], "doppelt", participant="tab-2")

    store.purge_texts(before=cutoff, actor=ADMIN)

    def tabs(sql: str) -> dict[int, str]:
        return dict(rows(store, sql))

    pins = tabs("SELECT id, participant FROM pins")
    supports = tabs("SELECT pin_id, participant FROM supports")
    flags = tabs("SELECT pin_id, participant FROM flags")
    old = [ids["old0"], ids["old1"]]
    assert [pins[i] for i in old] == ["", ""] and pins[ids["new"]] == "tab-1"
    for kept in (supports, flags):
        assert kept[ids["new"]] == "tab-2"  # newer than the cutoff: untouched
        assert "tab-2" not in {kept[i] for i in old}
        assert kept[old[0]] != kept[old[1]]  # nothing left in common between the pins
    assert store.add_support(ids["old0"], "tab-2") == 2  # a new support, counted once more
    assert store.add_support(ids["old0"], "tab-2") == 2


def test_purge_texts_compares_instants_across_time_zones(store):
    berlin_winter = timezone(timedelta(hours=1))
    cutoff = datetime(2025, 1, 1, 0, 30, tzinfo=berlin_winter)  # 2024-12-31 23:30 UTC
    drafts = [make_draft("before", text="vorher"), make_draft("after", text="nachher")]
    stamps = [
        datetime(2024, 12, 31, 23, 0, tzinfo=UTC),
        datetime(2024, 12, 31, 23, 45, tzinfo=UTC),
    ]
    store.add_pins(drafts, created_at=stamps)
    assert store.purge_texts(before=cutoff, actor=ADMIN) == 1
    texts = {p.token: p.text for p in store.pins_in_quarter("brackel")}
    assert texts == {"before": "", "after": "nachher"}


# --- audit -------------------------------------------------------------------------


def _release(store, w):
    store.release_text(w.with_text, actor=MODERATOR)
    return ("text.release", str(w.with_text), "")


def _edit(store, w):
    store.edit_text(w.with_text, "gekürzt", actor=MODERATOR, reason="Personendaten")
    return ("text.edit", str(w.with_text), "Personendaten")


def _hide(store, w):
    store.hide_pin(w.with_text, actor=MODERATOR, reason="Beleidigung")
    return ("pin.hide", str(w.with_text), "Beleidigung")


def _merge(store, w):
    store.merge_pins(w.with_text, w.staff, actor=MODERATOR, reason="doppelt")
    return ("pin.merge", str(w.staff), "doppelt")


def _resolve(store, w):
    store.resolve_flag(w.flag, actor=MODERATOR, note="erledigt")
    return ("flag.resolve", str(w.flag), "erledigt")


AUDITED: dict[str, Callable[[Store, World], tuple[str, str, str]]] = {
    "release_text": _release,
    "edit_text": _edit,
    "hide_pin": _hide,
    "merge_pins": _merge,
    "resolve_flag": _resolve,
}


@pytest.mark.parametrize("name", list(AUDITED))
def test_every_moderation_action_writes_an_audit_row(store, world, name):
    before = store.audit_entries(actor=ADMIN)
    action, target, reason = AUDITED[name](store, world)
    entries = store.audit_entries(actor=ADMIN)
    assert len(entries) == len(before) + 1
    newest = entries[0]
    assert (newest.actor, newest.action, newest.target, newest.reason) == (
        MODERATOR.name,
        action,
        target,
        reason,
    )
    if name == "merge_pins":
        assert newest.detail == f"into {world.with_text}"


def test_purge_texts_writes_an_audit_row(store, world):
    cutoff = datetime.now(UTC) + timedelta(days=1)
    assert store.purge_texts(before=cutoff, actor=ADMIN) == 3
    newest = store.audit_entries(actor=ADMIN)[0]
    assert (newest.actor, newest.action) == ("ada", "retention.purge_texts")
    assert newest.target.startswith("before 2")
    assert "3" in newest.detail


def test_an_admin_moderates_too(store, world):
    store.release_text(world.with_text, actor=ADMIN)
    store.hide_pin(world.staff, actor=ADMIN, reason="Spam")
    assert _pin(store, world.with_text).public_text == TEXT
    assert _pin(store, world.staff).hidden is True
    assert [p.id for p in store.pending_texts(actor=ADMIN)] == []


# --- roles -------------------------------------------------------------------------

MODERATION: dict[str, Callable[[Store, World, Actor], Any]] = {
    "pending_texts": lambda s, w, a: s.pending_texts(actor=a),
    "open_flags": lambda s, w, a: s.open_flags(actor=a),
    "release_text": lambda s, w, a: s.release_text(w.with_text, actor=a),
    "edit_text": lambda s, w, a: s.edit_text(w.with_text, "neu", actor=a, reason="weil"),
    "hide_pin": lambda s, w, a: s.hide_pin(w.with_text, actor=a, reason="weil"),
    "merge_pins": lambda s, w, a: s.merge_pins(w.with_text, w.staff, actor=a, reason="weil"),
    "resolve_flag": lambda s, w, a: s.resolve_flag(w.flag, actor=a, note="weil"),
}
NOT_MODERATORS = [Role.PARTICIPANT, Role.FACILITATOR, Role.PLANNER, Role.STEERING]


def _pins(store: Store, world: World) -> list[Pin | None]:
    ids = (world.with_text, world.without_text, world.staff, world.hidden)
    return [store.pin(pin_id) for pin_id in ids]


@pytest.mark.parametrize("role", NOT_MODERATORS)
@pytest.mark.parametrize("name", list(MODERATION))
def test_moderation_is_refused_for(store, world, name, role):
    pins, before = _pins(store, world), dump(store)
    with pytest.raises(PermissionDeniedError):
        MODERATION[name](store, world, Actor(name="someone", role=role))
    assert _pins(store, world) == pins
    assert dump(store) == before


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_purge_texts_is_refused_for(store, world, role):
    pins, before = _pins(store, world), dump(store)
    with pytest.raises(PermissionDeniedError):
        store.purge_texts(
            before=datetime.now(UTC) + timedelta(days=1), actor=Actor(name="someone", role=role)
        )
    assert _pins(store, world) == pins
    assert dump(store) == before


@pytest.mark.parametrize("action", ["release_text", "hide_pin", "edit_text", "resolve_flag"])
def test_actions_on_a_missing_note_are_refused_and_change_nothing(store, action):
    before = dump(store)
    call: dict[str, Callable[[], object]] = {
        "release_text": lambda: store.release_text(9999, actor=MODERATOR),
        "hide_pin": lambda: store.hide_pin(9999, actor=MODERATOR, reason="x"),
        "edit_text": lambda: store.edit_text(9999, "x", actor=MODERATOR, reason="x"),
        "resolve_flag": lambda: store.resolve_flag(9999, actor=MODERATOR),
    }
    with pytest.raises(ValidationError, match="no"):
        call[action]()
    assert dump(store) == before


def test_notes_of_different_quarters_are_not_merged(store):
    brackel = store.add_pin(make_draft("m-b"))
    hoerde = store.add_pin(replace(make_draft("m-h"), quarter_id="530"))
    before = dump(store)
    with pytest.raises(ValidationError, match="same quarter"):
        store.merge_pins(brackel.id, hoerde.id, actor=MODERATOR, reason="Tippfehler")
    assert dump(store) == before


def test_a_participant_reports_a_pin_once(store, world):
    first = store.flag_pin(world.without_text, "beleidigend", participant="p-x")
    again = store.flag_pin(world.without_text, "noch einmal", participant="p-x")
    other = store.flag_pin(world.without_text, "stimmt nicht", participant="p-y")
    assert first == again != other
    reasons = [
        f.reason for f in store.open_flags(actor=MODERATOR) if f.pin_id == world.without_text
    ]
    assert reasons == ["beleidigend", "stimmt nicht"]


def test_hiding_a_reported_pin_closes_the_report_at_once(store, world):
    store.hide_reported(world.flag, actor=MODERATOR, reason="Telefonnummer")
    assert store.pin(world.with_text).hidden
    assert world.flag not in [f.id for f in store.open_flags(actor=MODERATOR)]
