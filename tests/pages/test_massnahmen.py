"""The plan of measures in AppTest: a planner makes a measure from a candidate place,
the steering circle decides it; each sees only the moves its role allows."""

from __future__ import annotations

from pathlib import Path

from datapack.loading import load_districts
from rules.pins import PinDraft
from rules.roles import Role
from store import SqliteStore
from tests.pages.apptest_helpers import map_key, open_page, texts

PAGE = "pages/stadt/massnahmen.py"


def _corner(store: SqliteStore) -> list[int]:
    """Four "too dark" notes at one corner of Brackel."""
    point = load_districts().geometry("320").representative_point()
    drafts = [
        PinDraft("320", point.x + i * 1e-4, point.y, "dark", "night", 2, "", f"c{i}")
        for i in range(4)
    ]
    store.add_pins(drafts)
    return [p.id for p in store.pins_in_quarter("320")]


def test_a_planner_makes_a_measure_the_steering_circle_decides(db_path: Path) -> None:
    store = SqliteStore(db_path)
    pin_ids = _corner(store)
    at = open_page(PAGE, role=Role.PLANNER)
    assert len([e for e in at.expander if "„zu dunkel“, 4 Hinweise" in e.label]) == 1
    # What the layers say there: the data pack's stops and accidents are always at hand.
    facts = [c for c in texts(at.caption) if "Haltestelle" in c]
    assert facts and "erfasste Unfälle im Umkreis von 100 m" in facts[0]
    at.text_input(key="candidate_0_title").input("Laterne ergänzen")
    at.selectbox(key="candidate_0_type").set_value("lighting")
    (submit,) = [b for b in at.button if b.key and "candidate_0" in b.key]
    submit.click().run()
    assert not at.exception
    assert "Maßnahme Nr. 1 angelegt; sie ist jetzt vorgeschlagen." in texts(at.success)
    # Another rerun (a map reporting its view) keeps the confirmation; the candidate is
    # gone now that a measure answers its notes, so no second measure can follow.
    at.run()
    assert "Maßnahme Nr. 1 angelegt; sie ist jetzt vorgeschlagen." in texts(at.success)
    assert not [e for e in at.expander if "„zu dunkel“" in e.label]
    assert not [b for b in at.button if b.key and "candidate_" in b.key]
    (measure,) = store.measures()
    assert measure.pin_ids == tuple(pin_ids) and measure.status == "proposed"
    assert [m.id for m in store.measures_for_pin(pin_ids[0])] == [measure.id]
    # A planner may put it on the agenda, but not decide it; the button says the action.
    moves = {b.key: b.label for b in at.button if b.key and b.key.startswith("move_")}
    assert moves == {"move_1_discussed": "Auf die Tagesordnung setzen"}
    at.button(key="move_1_discussed").click().run()
    assert store.measure(1).status == "discussed"  # type: ignore[union-attr]

    steering = open_page(PAGE, role=Role.STEERING, name="stella")
    moves = {b.key: b.label for b in steering.button if b.key and b.key.startswith("move_")}
    assert moves == {"move_1_decided": "Beschließen", "move_1_rejected": "Verwerfen"}
    assert not [b for b in steering.button if b.key and "candidate_" in b.key]  # no creating
    steering.button(key="move_1_decided").click().run()
    assert store.measure(1).status == "decided"  # type: ignore[union-attr]
    assert [h.to_status for h in store.measure_history(1)] == ["proposed", "discussed", "decided"]
    history = [c for c in texts(steering.caption) if "· stella · beschlossen" in c]
    assert len(history) == 1


def test_a_rejection_without_a_reason_is_explained(db_path: Path) -> None:
    store = SqliteStore(db_path)
    _corner(store)
    planner = open_page(PAGE, role=Role.PLANNER)
    planner.text_input(key="candidate_0_title").input("Grünschnitt")
    next(b for b in planner.button if b.key and "candidate_0" in b.key).click().run()
    steering = open_page(PAGE, role=Role.STEERING, name="stella")
    steering.button(key="move_1_rejected").click().run()
    assert any("warum die Maßnahme verworfen wird" in e for e in texts(steering.error))
    assert store.measure(1).status == "proposed"  # type: ignore[union-attr]
    steering.text_input(key="reason_1").input("zu teuer")
    steering.button(key="move_1_rejected").click().run()
    assert store.measure(1).status_reason == "zu teuer"  # type: ignore[union-attr]


def test_the_page_offers_the_measures_as_geojson_and_csv(db_path: Path) -> None:
    """The files themselves are tested in tests/services/test_measures.py."""
    from shapely.geometry import box

    from rules.measures import MeasureDraft
    from rules.roles import Actor

    store = SqliteStore(db_path)
    store.create_measure(
        MeasureDraft("Sichtachse frei", "greenery", "320", box(7.55, 51.51, 7.56, 51.52)),
        actor=Actor("pia", Role.PLANNER),
    )
    at = open_page(PAGE, role=Role.PLANNER)
    labels = {getattr(b, "label", "") for b in at.get("download_button")}
    assert {"Maßnahmen als GeoJSON", "Maßnahmen als CSV (zip)"} <= labels


def test_significant_hotspots_are_candidate_areas(demo_db: Path) -> None:
    at = open_page(PAGE, role=Role.PLANNER)
    hot = [e.label for e in at.expander if "Hotspot (Gi*)" in e.label]
    assert hot, [e.label for e in at.expander]
    # The measure made from a hotspot takes its area as its place.
    index = next(i for i, e in enumerate(at.expander) if "Hotspot (Gi*)" in e.label)
    at.text_input(key=f"candidate_{index}_title").input("Platz umgestalten")
    next(b for b in at.button if b.key and f"candidate_{index}" in b.key).click().run()
    (measure,) = SqliteStore(demo_db).measures()
    assert measure.place.geom_type in ("Polygon", "MultiPolygon")
    assert len(measure.pin_ids) >= 3  # a hotspot rests on three notes at least


def test_a_measure_from_scratch_takes_the_area_drawn_and_the_notes_inside(db_path: Path) -> None:
    store = SqliteStore(db_path)
    pin_ids = _corner(store)
    inside = store.pin(pin_ids[0])
    assert inside is not None
    at = open_page(PAGE, role=Role.PLANNER)
    at.selectbox(key="scratch_quarter").set_value("320").run()
    square = [
        [inside.lon - 0.001, inside.lat - 0.001],
        [inside.lon + 0.0035, inside.lat - 0.001],
        [inside.lon + 0.0035, inside.lat + 0.001],
        [inside.lon - 0.001, inside.lat + 0.001],
        [inside.lon - 0.001, inside.lat - 0.001],
    ]
    drawing = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]}}
    at.session_state[map_key(at)] = {"last_active_drawing": drawing}
    at.run()
    assert at.multiselect(key="scratch_pins_320").value == pin_ids  # all four lie inside
    at.text_input(key="scratch_title").input("Durchgang neu gestalten")
    at.selectbox(key="scratch_type").set_value("design")
    next(b for b in at.button if b.key and "scratch" in b.key).click().run()
    assert not at.exception
    (measure,) = store.measures()
    assert measure.place.geom_type == "Polygon" and measure.pin_ids == tuple(pin_ids)
    assert measure.measure_type == "design"


def test_what_was_typed_is_shown_as_text_in_the_list(db_path: Path) -> None:
    import re

    from shapely.geometry import Point

    from rules.measures import MeasureDraft
    from rules.roles import Actor

    hostile = "![x](http://host/pixel.png) [Mehr](https://host/)"
    store = SqliteStore(db_path)
    made = store.create_measure(
        MeasureDraft("Laterne", "lighting", "320", Point(7.55, 51.52), responsible=hostile),
        actor=Actor("pia", Role.PLANNER),
    )
    store.move_measure(made.id, "rejected", actor=Actor("stella", Role.STEERING), reason=hostile)
    at = open_page(PAGE, role=Role.STEERING, name="stella")
    shown = texts(at.markdown) + texts(at.caption)
    assert any(s.replace("\\", "").count(hostile) == 2 for s in shown)  # body and reason
    assert [s for s in shown if re.search(r"(?<!\\)\]\(", s)] == []


def _proposed(store: SqliteStore) -> int:
    from shapely.geometry import Point

    from rules.measures import MeasureDraft
    from rules.roles import Actor

    made = store.create_measure(
        MeasureDraft("Laterne", "lighting", "320", Point(7.55, 51.52)),
        actor=Actor("pia", Role.PLANNER),
    )
    return made.id


def test_the_history_shows_berlin_time(db_path: Path) -> None:
    """A status change stored at 04:35 UTC in winter happened at 05:35 in Dortmund."""
    import sqlite3

    from rules.roles import Actor

    store = SqliteStore(db_path)
    measure_id = _proposed(store)
    store.move_measure(measure_id, "discussed", actor=Actor("pia", Role.PLANNER))
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE measure_history SET at = ? WHERE to_status = 'discussed'",
            ("2026-01-15T04:35:00.000+00:00",),
        )
    at = open_page(PAGE, role=Role.STEERING, name="stella")
    history = [c for c in texts(at.caption) if "· pia · im Lenkungskreis" in c]
    assert len(history) == 1 and history[0].startswith("15.01.2026 05:35 ·"), history


def test_a_candidate_is_gone_once_a_measure_answers_its_notes(db_path: Path) -> None:
    from rules.measures import MeasureDraft
    from rules.roles import Actor

    store = SqliteStore(db_path)
    pin_ids = _corner(store)
    at = open_page(PAGE, role=Role.PLANNER)
    assert [e for e in at.expander if "„zu dunkel“" in e.label]
    pin = store.pin(pin_ids[0])
    assert pin is not None
    from shapely.geometry import Point

    store.create_measure(
        MeasureDraft("Laterne", "lighting", "320", Point(pin.lon, pin.lat), pin_ids=tuple(pin_ids)),
        actor=Actor("pia", Role.PLANNER),
    )
    at = open_page(PAGE, role=Role.PLANNER)
    assert not [e for e in at.expander if "„zu dunkel“" in e.label]


def test_only_who_may_reject_is_asked_for_a_reason(db_path: Path) -> None:
    store = SqliteStore(db_path)
    measure_id = _proposed(store)
    planner = open_page(PAGE, role=Role.PLANNER)
    assert planner.button(key=f"move_{measure_id}_discussed")  # a planner may move it on
    assert not [i for i in planner.text_input if i.key == f"reason_{measure_id}"]
    steering = open_page(PAGE, role=Role.STEERING, name="stella")
    (field,) = [i for i in steering.text_input if i.key == f"reason_{measure_id}"]
    assert field.label == "Begründung (nötig zum Verwerfen)"
