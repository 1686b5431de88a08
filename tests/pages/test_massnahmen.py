"""The plan of measures in AppTest: a planner makes a measure from a candidate place,
the steering circle decides it; each sees only the moves its role allows; every
candidate and measure shows a small map of where it lies; planners edit measures."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from datapack.loading import load_districts
from rules.pins import PinDraft
from rules.roles import Role
from store import SqliteStore
from tests.pages.apptest_helpers import map_key, open_page, texts

PAGE = "pages/stadt/massnahmen.py"


def _headings(at: AppTest) -> list[str]:
    """The candidates' headings, in order, as read (markdown escapes taken out)."""
    return [
        m.replace("\\", "")
        for m in texts(at.markdown)
        if m.startswith("**") and not m.startswith("**#")
    ]


def _maps(at: AppTest) -> list[str]:
    """The small maps (SVG) on the page, in order."""
    return [m for m in texts(at.markdown) if m.startswith('<div class="sq-place-map">')]


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
    assert len([h for h in _headings(at) if "„zu dunkel“, 4 Hinweise" in h]) == 1
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
    assert not [h for h in _headings(at) if "„zu dunkel“" in h]
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
    hot = [h for h in _headings(at) if "Hotspot (Gi*)" in h]
    assert hot, _headings(at)
    # The measure made from a hotspot takes its area as its place.
    index = next(i for i, h in enumerate(_headings(at)) if "Hotspot (Gi*)" in h)
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
    assert [h for h in _headings(at) if "„zu dunkel“" in h]
    pin = store.pin(pin_ids[0])
    assert pin is not None
    from shapely.geometry import Point

    store.create_measure(
        MeasureDraft("Laterne", "lighting", "320", Point(pin.lon, pin.lat), pin_ids=tuple(pin_ids)),
        actor=Actor("pia", Role.PLANNER),
    )
    at = open_page(PAGE, role=Role.PLANNER)
    assert not [h for h in _headings(at) if "„zu dunkel“" in h]


def test_only_who_may_reject_is_asked_for_a_reason(db_path: Path) -> None:
    store = SqliteStore(db_path)
    measure_id = _proposed(store)
    planner = open_page(PAGE, role=Role.PLANNER)
    assert planner.button(key=f"move_{measure_id}_discussed")  # a planner may move it on
    assert not [i for i in planner.text_input if i.key == f"reason_{measure_id}"]
    steering = open_page(PAGE, role=Role.STEERING, name="stella")
    (field,) = [i for i in steering.text_input if i.key == f"reason_{measure_id}"]
    assert field.label == "Begründung (nötig zum Verwerfen)"


def test_each_candidate_and_measure_shows_where_it_lies(db_path: Path) -> None:
    """A small map per entry: the candidate's four notes as four dots, the measure's two
    linked notes as two, each named in German for screen readers."""
    from shapely.geometry import Point

    from rules.measures import MeasureDraft
    from rules.roles import Actor

    store = SqliteStore(db_path)
    pin_ids = _corner(store)
    first = store.pin(pin_ids[0])
    assert first is not None
    store.add_pins([PinDraft("320", 7.55, 51.52, "traffic", "day", 2, "", "elsewhere")])
    store.create_measure(
        MeasureDraft("Laterne", "lighting", "320", Point(7.55, 51.52), pin_ids=(pin_ids[0], 5)),
        actor=Actor("pia", Role.PLANNER),
    )
    at = open_page(PAGE, role=Role.PLANNER)
    assert len(_headings(at)) == 1
    candidate_map, measure_map = _maps(at)
    assert candidate_map.count('class="note"') == 4 and candidate_map.count('class="place"') == 1
    assert measure_map.count('class="note"') == 2 and measure_map.count('class="place"') == 1
    assert 'aria-label="Kleine Karte von Brackel' in candidate_map
    assert "4 Hinweise als Punkte und den Ort als Ring" in candidate_map
    assert "2 Hinweise als Punkte" in measure_map
    assert any("blaue Punkte sind die Hinweise" in c for c in texts(at.caption))


def _edit_button(at: AppTest, measure_id: int) -> object:
    (save,) = [
        b
        for b in at.button
        if b.key
        and b.key.startswith(f"FormSubmitter:edit_{measure_id}-")
        and b.label == "Änderungen speichern"
    ]
    return save


def test_a_planner_edits_a_measure_and_its_history_says_what_changed(db_path: Path) -> None:
    store = SqliteStore(db_path)
    measure_id = _proposed(store)
    at = open_page(PAGE, role=Role.PLANNER)
    assert not [i for i in at.text_input if i.key == f"edit_{measure_id}_title"]  # closed
    at.button(key=f"edit_open_{measure_id}").click().run()
    at.text_input(key=f"edit_{measure_id}_title").input("Laterne am Hellweg")
    at.text_area(key=f"edit_{measure_id}_description").input("Zwei Masten, LED.")
    at.radio(key=f"edit_{measure_id}_priority").set_value(1)
    at.number_input(key=f"edit_{measure_id}_cost").set_value(4500.0)
    _edit_button(at, measure_id).click().run()  # type: ignore[attr-defined]
    assert not at.exception, at.exception
    measure = store.measure(measure_id)
    assert measure is not None
    assert (measure.title, measure.description, measure.priority, measure.cost_eur) == (
        "Laterne am Hellweg",
        "Zwei Masten, LED.",
        1,
        4500.0,
    )
    assert measure.status == "proposed"  # an edit moves no status
    notice = (
        "Maßnahme Nr. 1 gespeichert; geändert: Titel, Beschreibung, Priorität, Kostenschätzung."
    )
    assert notice in texts(at.success)
    assert not [i for i in at.text_input if i.key == f"edit_{measure_id}_title"]  # closed again
    (line,) = [c for c in texts(at.caption) if c.startswith("bearbeitet von pia am ")]
    assert "Titel: „Laterne“ → „Laterne am Hellweg“" in line.replace("\\", "")
    assert "Priorität: mittel → hoch" in line and "Kostenschätzung: – → 4.500 €" in line
    assert [h.change for h in store.measure_history(measure_id)] == ["created", "edited"]
    shown = texts(at.markdown) + texts(at.caption)
    assert any("Kosten: 4.500 €" in s for s in shown)
    assert any("Zwei Masten, LED\\." in s for s in shown)


def test_who_may_not_edit_gets_no_edit_button(db_path: Path) -> None:
    from rules.roles import Actor

    store = SqliteStore(db_path)
    measure_id = _proposed(store)
    for role, name in [(Role.STEERING, "stella"), (Role.ADMIN, "ada"), (Role.MODERATOR, "mo")]:
        at = open_page(PAGE, role=role, name=name)
        assert not [b for b in at.button if b.key and b.key.startswith("edit_")], role
    # Not even a session that still shows the form to someone demoted meanwhile can save.
    at = open_page(PAGE, role=Role.PLANNER, name="paula")
    at.button(key=f"edit_open_{measure_id}").click().run()
    store.set_role("paula", Role.STEERING, actor=Actor("root-admin", Role.ADMIN))
    at.text_input(key=f"edit_{measure_id}_title").input("Anders")
    _edit_button(at, measure_id).click().run()  # type: ignore[attr-defined]
    assert store.measure(measure_id).title == "Laterne"  # type: ignore[union-attr]
    assert [h.change for h in store.measure_history(measure_id)] == ["created"]


def test_a_done_measure_can_only_have_its_texts_corrected(db_path: Path) -> None:
    from rules.roles import Actor

    store = SqliteStore(db_path)
    measure_id = _proposed(store)
    planner, steering = Actor("pia", Role.PLANNER), Actor("stella", Role.STEERING)
    from tests.factories import hire_staff

    hire_staff(store, (planner, steering))
    for target, actor in [
        ("discussed", planner),
        ("decided", steering),
        ("in_progress", planner),
        ("done", planner),
    ]:
        store.move_measure(measure_id, target, actor=actor)
    at = open_page(PAGE, role=Role.PLANNER)
    at.button(key=f"edit_open_{measure_id}").click().run()
    assert any("Nur Titel und Beschreibung" in i for i in texts(at.info))
    assert not at.text_input(key=f"edit_{measure_id}_title").disabled
    assert at.selectbox(key=f"edit_{measure_id}_type").disabled
    assert at.number_input(key=f"edit_{measure_id}_cost").disabled
    at.text_input(key=f"edit_{measure_id}_title").input("Laterne (erledigt)")
    _edit_button(at, measure_id).click().run()  # type: ignore[attr-defined]
    assert store.measure(measure_id).title == "Laterne (erledigt)"  # type: ignore[union-attr]


def test_a_planner_draws_a_new_place_for_an_open_measure(db_path: Path) -> None:
    store = SqliteStore(db_path)
    measure_id = _proposed(store)  # a point at 7.55, 51.52
    at = open_page(PAGE, role=Role.PLANNER)
    maps_before = {m.proto.id for m in at.get("component_instance")}  # the drawing map
    at.button(key=f"edit_open_{measure_id}").click().run()
    (edit_map,) = [m for m in at.get("component_instance") if m.proto.id not in maps_before]
    square = [[7.551, 51.518], [7.552, 51.518], [7.552, 51.519], [7.551, 51.519], [7.551, 51.518]]
    drawing = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]}}
    at.session_state[str(edit_map.proto.id).rsplit("-", 1)[1]] = {"last_active_drawing": drawing}
    at.run()
    assert "Der neue Ort wird mit den übrigen Änderungen gespeichert." in texts(at.caption)
    _edit_button(at, measure_id).click().run()  # type: ignore[attr-defined]
    assert not at.exception, at.exception
    measure = store.measure(measure_id)
    assert measure is not None and measure.place.geom_type == "Polygon"
    assert measure.place.bounds == (7.551, 51.518, 7.552, 51.519)
    assert any("geändert: Ort." in s for s in texts(at.success))
    (line,) = [c for c in texts(at.caption) if c.startswith("bearbeitet von pia am ")]
    assert line.endswith("Ort: Punkt → Fläche")
    # The list's small map shows the new area.
    assert '<path class="place"' in _maps(at)[0]
