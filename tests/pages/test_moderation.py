"""The moderation page with a long queue: one page of texts at a time, narrowed by quarter
and lab, released one by one or several at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from geo.crs import lonlat_to_metric, metric_to_lonlat
from rules.roles import Actor, Role
from store import SqliteStore
from tests.factories import BRACKEL_LAT, BRACKEL_LON, make_draft
from tests.pages.apptest_helpers import open_lab, open_page, texts

PAGE = "pages/stadt/moderation.py"
MONA = Actor("mona", Role.MODERATOR)


@pytest.fixture
def queue(db_path: Path) -> SqliteStore:
    """45 texts waiting: 30 from a lab in Brackel, 15 from Hörde without a lab."""
    store = SqliteStore(db_path)
    lab = open_lab(store)
    for i in range(30):
        draft = make_draft(f"b{i}", quarter_id="320", text=f"Brackel Nr. {i}", session_id=lab.id)
        store.add_pin(draft)
    for i in range(15):
        store.add_pin(make_draft(f"h{i}", quarter_id="530", text=f"Hörde Nr. {i}"))
    return store


def shown_texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text if t.value.endswith(tuple("0123456789"))]


def page_input(at: AppTest) -> Any:
    (found,) = [n for n in at.number_input if n.label.startswith("Seite")]
    return found


def test_a_long_queue_shows_one_page_at_a_time(queue: SqliteStore) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    assert "Texte, die auf Freigabe warten (45)" in texts(at.subheader)
    assert shown_texts(at) == [f"Brackel Nr. {i}" for i in range(20)]
    assert page_input(at).label == "Seite (von 3)"
    page_input(at).set_value(3).run()
    assert shown_texts(at) == [f"Hörde Nr. {i}" for i in range(10, 15)]


def test_the_queue_narrows_to_one_quarter_or_one_lab(queue: SqliteStore) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    at.selectbox(key="moderation_quarter").select("530").run()
    assert "Texte, die auf Freigabe warten (15)" in texts(at.subheader)
    assert shown_texts(at) == [f"Hörde Nr. {i}" for i in range(15)]
    assert not [n for n in at.number_input if n.label.startswith("Seite")]  # one page only
    at.selectbox(key="moderation_quarter").select(None).run()
    (lab,) = queue.pending_labs(actor=MONA)
    at.selectbox(key="moderation_lab").select(lab).run()
    assert "Texte, die auf Freigabe warten (30)" in texts(at.subheader)


def test_one_text_or_the_selected_ones_are_released(queue: SqliteStore) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    at.button(key="release_selected").click().run()
    assert "Bitte wählen Sie zuerst Texte aus (das Kästchen unter jedem Text)." in texts(at.info)
    first = queue.pending_texts(actor=MONA, limit=3)
    at.button(key=f"release_{first[0].id}").click().run()
    assert "Texte, die auf Freigabe warten (44)" in texts(at.subheader)
    for pin in first[1:]:
        at.checkbox(key=f"release_selected_{pin.id}").check()
    at.button(key="release_selected").click().run()
    assert not at.exception, at.exception
    assert "Texte, die auf Freigabe warten (42)" in texts(at.subheader)
    assert queue.count_pending_texts(actor=MONA) == 42
    assert {p.id for p in first}.isdisjoint(p.id for p in queue.pending_texts(actor=MONA))
    assert shown_texts(at)[0] == "Brackel Nr. 3"


def captions(at: AppTest) -> list[str]:
    return texts(at.caption)


def test_each_note_names_its_quarter_and_place_not_the_district_number(
    queue: SqliteStore,
) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    quarters = [c for c in captions(at) if c.count(" · ") == 1]
    assert len(quarters) == 20
    assert all(c.startswith("Brackel · ") for c in quarters), quarters
    assert not [c for c in captions(at) if "320" in c]
    heads = [m.split("  \n") for m in texts(at.markdown) if m.startswith("**#")]
    assert len(heads) == 20
    # The place in words below what and when: "Etwa 120 m nördlich von …" or "Bei …".
    assert all(place.startswith(("Etwa ", "Bei ")) for _, place in heads), heads
    page_input(at).set_value(3).run()
    assert all(c.startswith("Phoenix-See (Hörde) · ") for c in captions(at) if " · " in c)
    assert not [c for c in captions(at) if "530" in c]


def test_a_note_shows_on_a_small_map_only_when_asked(queue: SqliteStore) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    assert at.get("component_instance") == []  # twenty notes, no map drawn
    (first, *_) = queue.pending_texts(actor=MONA, limit=1)
    toggle = at.toggle(key=f"text_map_{first.id}")
    assert toggle.label == "Auf der Karte zeigen"
    toggle.set_value(True).run()
    assert not at.exception, at.exception
    assert len(at.get("component_instance")) == 1


@pytest.fixture
def notes(db_path: Path) -> dict[str, int]:
    """Notes in Brackel: one to keep, a copy 30 m away, one 400 m away, one 30 m away
    about litter instead of darkness; their numbers by name."""
    store = SqliteStore(db_path)
    x, y = lonlat_to_metric(BRACKEL_LON, BRACKEL_LAT)
    places = {
        "keep": (0.0, 0.0, "dark"),
        "near": (30.0, 0.0, "dark"),
        "far": (0.0, 400.0, "dark"),
        "litter": (0.0, 30.0, "litter"),
    }
    numbers = {}
    for name, (east, north, category) in places.items():
        lon, lat = metric_to_lonlat(x + east, y + north)
        draft = make_draft(
            name, quarter_id="320", lon=lon, lat=lat, category=category, text=f"Text {name}"
        )
        numbers[name] = store.add_pin(draft).id
    return numbers


def choose_pair(at: AppTest, keep: int, duplicate: int) -> AppTest:
    at.number_input(key="merge_keep").set_value(keep).run()
    at.number_input(key="merge_duplicate").set_value(duplicate).run()
    assert not at.exception, at.exception
    return at


def merged(db_path: Path, number: int) -> int | None:
    return SqliteStore(db_path).merged_into(number)


def test_a_close_copy_of_the_same_kind_shows_both_then_merges_at_once(
    notes: dict[str, int], db_path: Path
) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    assert at.get("component_instance") == []
    choose_pair(at, notes["keep"], notes["near"])
    assert len(at.get("component_instance")) == 1  # both on one map
    assert "**Abstand der beiden Hinweise: 30 m**" in texts(at.markdown)
    assert f"**Bleibt: Hinweis {notes['keep']}**" in texts(at.markdown)
    assert f"**Geht darin auf: Hinweis {notes['near']}**" in texts(at.markdown)
    assert {"Text keep", "Text near"} <= set(texts(at.text))
    assert not at.warning
    assert merged(db_path, notes["near"]) is None  # nothing happened yet
    reason = at.text_input(key="merge_reason")
    assert reason.value == "Derselbe Ort, dasselbe Anliegen"  # the usual reason, given
    reason.input("").run()
    at.button(key="merge_go").click().run()
    assert "Bitte geben Sie einen Grund an." in texts(at.error)
    assert merged(db_path, notes["near"]) is None
    at.text_input(key="merge_reason").input("doppelt").run()
    at.button(key="merge_go").click().run()
    assert not at.exception, at.exception
    assert merged(db_path, notes["near"]) == notes["keep"]
    assert "Texte, die auf Freigabe warten (3)" in texts(at.subheader)  # it left the queue
    (success,) = texts(at.success)
    assert success.startswith(f"Hinweis {notes['near']} gehört jetzt zu Hinweis {notes['keep']}.")
    assert at.number_input(key="merge_keep").value is None  # the form is empty again


@pytest.mark.parametrize(
    ("other", "warning"),
    [
        ("far", "Die beiden Hinweise liegen 400 m auseinander, mehr als 150 m."),
        (
            "litter",
            "Die Hinweise nennen verschiedene Gründe: „zu dunkel“ und „Vermüllung / Vandalismus“.",
        ),
    ],
)
def test_far_apart_or_another_concern_warns_and_merges_only_when_confirmed(
    notes: dict[str, int], db_path: Path, other: str, warning: str
) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    choose_pair(at, notes["keep"], notes[other])
    (shown,) = texts(at.warning)
    assert shown.startswith(warning), shown
    at.button(key="merge_go").click().run()
    assert merged(db_path, notes[other]) is None  # the first click only asks
    assert at.button(key="merge_anyway").label == "Trotzdem zusammenführen"
    at.button(key="merge_cancel").click().run()
    assert not [b for b in at.button if b.key == "merge_anyway"]
    assert merged(db_path, notes[other]) is None
    at.button(key="merge_go").click().run()
    at.button(key="merge_anyway").click().run()
    assert not at.exception, at.exception
    assert merged(db_path, notes[other]) == notes["keep"]
    assert texts(at.success)


def test_the_confirmation_is_for_one_pair_only(notes: dict[str, int], db_path: Path) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    choose_pair(at, notes["keep"], notes["far"])
    at.button(key="merge_go").click().run()
    assert [b for b in at.button if b.key == "merge_anyway"]
    at.number_input(key="merge_duplicate").set_value(notes["litter"]).run()
    assert not [b for b in at.button if b.key == "merge_anyway"]  # asked again


def test_a_pair_that_cannot_be_merged_says_why_and_offers_no_button(
    notes: dict[str, int],
) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    choose_pair(at, notes["keep"], notes["keep"])
    assert "Ein Hinweis kann nicht mit sich selbst zusammengeführt werden." in texts(at.error)
    assert not [b for b in at.button if b.key in ("merge_go", "merge_anyway")]
    choose_pair(at, notes["keep"], 999)
    assert "Es gibt keinen Hinweis mit der Nummer 999." in texts(at.info)


def test_a_note_on_its_map_offers_the_notes_close_by_for_merging(
    notes: dict[str, int], db_path: Path
) -> None:
    at = open_page(PAGE, role=Role.MODERATOR, name="mona")
    at.toggle(key=f"text_map_{notes['near']}").set_value(True).run()
    assert "**Andere Hinweise im Umkreis von 150 m**" in texts(at.markdown)
    close_by = [m for m in texts(at.markdown) if m.startswith("Nr. ")]
    assert close_by == [
        f"Nr. {notes['keep']}: zu dunkel, 30 m entfernt",
        f"Nr. {notes['litter']}: Vermüllung / Vandalismus, 42 m entfernt",
    ]  # not the one 400 m away
    at.button(key=f"text_map_{notes['near']}_pair_{notes['keep']}").click().run()
    assert not at.exception, at.exception
    assert at.number_input(key="merge_keep").value == notes["keep"]  # the older one stays
    assert at.number_input(key="merge_duplicate").value == notes["near"]
    assert "**Abstand der beiden Hinweise: 30 m**" in texts(at.markdown)
    assert merged(db_path, notes["near"]) is None  # chosen, not merged
