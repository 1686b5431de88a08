"""The public plan's rules (services.public_plan): which measures are public, how their
notes are counted, their public history, filters, progress and addresses."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point, box

from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from services.public_plan import (
    PUBLIC_STATUSES,
    Progress,
    filter_plan,
    find_public_measure,
    measure_address,
    measure_number,
    measure_path,
    plan_address,
    progress,
    public_notes,
    public_plan,
)
from store import SqliteStore
from tests.factories import hire_staff, make_draft

PLANNER = Actor("pia", Role.PLANNER)
STEERING = Actor("stella", Role.STEERING)
MODERATOR = Actor("mo", Role.MODERATOR)
LON, LAT = 7.5512, 51.5187  # in Brackel (320)


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    made = SqliteStore(tmp_path / "plan.sqlite")
    hire_staff(made)
    return made


def _pins(store: SqliteStore, count: int, *, text: str = "") -> list[int]:
    """`count` online notes in Brackel, 40 m apart (each in its own privacy cell)."""
    start = store.count_pins()
    drafts = [
        make_draft(
            f"p{start + i}",
            quarter_id="320",
            lon=LON + (start + i) * 0.0006,
            lat=LAT,
            text=text,
        )
        for i in range(count)
    ]
    store.add_pins(drafts)
    return [p.id for p in store.pins_in_quarter("320")][-count:]


def _measure(
    store: SqliteStore,
    title: str,
    *moves: str,
    quarter: str = "320",
    group: str | None = None,
    pins: tuple[int, ...] = (),
    reason: str = "",
) -> int:
    made = store.create_measure(
        MeasureDraft(
            title, "lighting", quarter, Point(LON, LAT), working_group=group, pin_ids=pins
        ),
        actor=PLANNER,
    )
    for move in moves:
        actor = PLANNER if move in ("in_progress", "done") else STEERING
        why = reason if move == "rejected" else ""
        store.move_measure(made.id, move, actor=actor, reason=why)
    return made.id


def test_a_proposed_measure_is_not_public_the_others_are(store: SqliteStore) -> None:
    proposed = _measure(store, "Entwurf")
    discussed = _measure(store, "Beraten", "discussed")
    done = _measure(store, "Fertig", "discussed", "decided", "in_progress", "done")
    rejected = _measure(store, "Nein", "rejected", reason="zu teuer")
    rows = public_plan(store, ["320", "710"])
    assert [r.id for r in rows] == [discussed, done, rejected]
    assert [r.status for r in rows] == ["discussed", "done", "rejected"]
    assert find_public_measure(store, proposed) is None
    assert find_public_measure(store, 9999) is None
    found = find_public_measure(store, rejected)
    assert found is not None and found.measure.status_reason == "zu teuer"


def test_notes_count_only_as_the_public_map_knows_them(store: SqliteStore) -> None:
    kept, merged, hidden, other = _pins(store, 4)
    store.add_support(kept, "a")
    store.add_support(kept, "b")
    store.add_support(hidden, "c")
    store.merge_pins(kept, merged, actor=MODERATOR, reason="doppelt")
    store.hide_pin(hidden, actor=MODERATOR, reason="Name genannt")
    measure = _measure(store, "Licht", "discussed", pins=(kept, merged, hidden))
    (row,) = public_plan(store, ["320"])
    assert row.id == measure
    assert row.note_ids == (kept,) and row.notes == 1
    kept_pin = store.pin(kept)
    assert kept_pin is not None and row.supports == kept_pin.supports == 3
    assert other not in row.note_ids


def test_the_history_shows_public_moves_with_dates_no_names_and_only_a_rejections_reason(
    store: SqliteStore,
) -> None:
    measure = _measure(store, "Weg", "discussed", "decided", "rejected", reason="Bauarbeiten")
    row = find_public_measure(store, measure)
    assert row is not None
    assert [s.status for s in row.history] == ["discussed", "decided", "rejected"]
    assert [s.reason for s in row.history] == ["", "", "Bauarbeiten"]
    stored = [e for e in store.measure_history(measure) if e.change == "status"]
    assert [s.at for s in row.history] == [e.at for e in stored]
    assert row.status_since == stored[-1].at
    assert not any(hasattr(step, "actor") for step in row.history)


def test_filters_by_quarter_status_and_working_group(store: SqliteStore) -> None:
    a = _measure(store, "A", "discussed", group="infrastructure")
    b = _measure(store, "B", "discussed", "decided", group="neighbourhood")
    c = _measure(store, "C", "discussed", quarter="710", group="infrastructure")
    rows = public_plan(store, ["320", "710"])
    assert [r.id for r in filter_plan(rows)] == [a, b, c]
    assert [r.id for r in filter_plan(rows, quarter_id="320")] == [a, b]
    assert [r.id for r in filter_plan(rows, status="decided")] == [b]
    assert [r.id for r in filter_plan(rows, working_group="infrastructure")] == [a, c]
    assert filter_plan(rows, quarter_id="710", status="decided") == []


def test_progress_counts_done_of_the_measures_not_rejected(store: SqliteStore) -> None:
    _measure(store, "Offen", "discussed")
    _measure(store, "Fertig", "discussed", "decided", "in_progress", "done")
    _measure(store, "Abgelehnt", "rejected", reason="nein")
    _measure(store, "Entwurf")
    found = progress(public_plan(store, ["320"]), ["320", "530"])
    assert found == {
        "320": Progress(done=1, total=2, rejected=1),
        "530": Progress(done=0, total=0, rejected=0),
    }
    assert found["320"].share == 0.5 and found["530"].share == 0.0


def test_public_notes_are_shifted_and_show_released_texts_only(store: SqliteStore) -> None:
    # More than the sparse limit, so single online notes are shown.
    _pins(store, 30)
    secret, released = _pins(store, 2, text="Am Kiosk steht Herr Müller")
    store.release_text(released, actor=MODERATOR)
    shown = public_notes(store.pins_frame(["320"]), [secret, released])
    assert sorted(shown["id"]) == [secret, released]
    texts = dict(zip(shown["id"], shown["text"], strict=True))
    assert texts == {secret: "", released: "Am Kiosk steht Herr Müller"}
    exact = {p.id: (p.lon, p.lat) for p in store.pins_in_quarter("320")}
    for pin_id, place in zip(shown["id"], shown.geometry, strict=True):
        assert (place.x, place.y) != exact[pin_id]  # snapped to the privacy grid
        assert Point(exact[pin_id]).distance(place) < 0.0005


def test_public_notes_of_a_sparse_quarter_leave_single_places_out(store: SqliteStore) -> None:
    (alone,) = _pins(store, 1)
    assert public_notes(store.pins_frame(["320"]), [alone]).empty


def test_an_area_measure_is_public_like_a_point(store: SqliteStore) -> None:
    made = store.create_measure(
        MeasureDraft("Fläche", "greenery", "320", box(7.55, 51.51, 7.56, 51.52)),
        actor=PLANNER,
    )
    store.move_measure(made.id, "discussed", actor=STEERING)
    (row,) = public_plan(store, ["320"])
    assert row.measure.place.geom_type == "Polygon" and row.notes == 0 and row.supports == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", None),
        ("-3", None),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits are digits, but not ASCII
        ("1" * 19, None),
        ("", None),
        (None, None),
        ("12abc", None),
    ],
)
def test_measure_numbers_from_the_address(raw: str | None, expected: int | None) -> None:
    assert measure_number(raw) == expected


def test_addresses() -> None:
    assert measure_path(5) == "massnahme?nr=5"
    assert (
        measure_address("http://192.168.1.20:8501/", 5) == "http://192.168.1.20:8501/massnahme?nr=5"
    )
    assert plan_address("https://sq.example") == "https://sq.example/plan"
    assert plan_address("https://sq.example/", "710") == "https://sq.example/plan?quartier=710"


def test_every_public_status_is_a_known_status() -> None:
    from rules.measures import STATUSES

    assert set(PUBLIC_STATUSES) == set(STATUSES) - {"proposed"}
