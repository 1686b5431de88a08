"""AppTest of the shared map page: what a participant meets, without a browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from datapack.loading import load_districts
from geo.pins import EDGE_TOLERANCE_M
from rules.roles import Role
from store import SqliteStore
from tests.factories import make_draft
from tests.pages.apptest_helpers import (
    as_shown,
    click_map,
    fill_form,
    join_lab,
    new_app,
    open_lab,
    open_page,
    open_quarter,
    submit,
    texts,
)
from ui.state import PENDING

BRACKEL = "320"


@pytest.fixture(scope="module")
def brackel_point() -> tuple[float, float]:
    point = load_districts().geometry(BRACKEL).representative_point()
    return point.x, point.y


@pytest.fixture(scope="module")
def hoerde_point() -> tuple[float, float]:
    point = load_districts().geometry("530").representative_point()
    return point.x, point.y


def test_first_screen_names_the_three_lab_quarters(db_path: Path) -> None:
    at = new_app()
    assert not at.exception
    labels = [b.label for b in at.button if b.key and b.key.startswith("quarter_")]
    assert labels == ["Bövinghausen", "Brackel", "Phoenix-See"]
    assert "Wo fühlen Sie sich unsicher?" in texts(at.title)
    # Every one of the 62 statistical districts can be found through the search.
    assert len(at.selectbox(key="quarter_search").options) == 62


def test_any_district_can_be_chosen_through_the_search(db_path: Path) -> None:
    at = new_app()
    at.selectbox(key="quarter_search").set_value("010").run()
    assert not at.exception
    assert texts(at.title) == [load_districts().name("010")]


def test_phoenix_see_is_named_with_its_district(db_path: Path) -> None:
    at = open_quarter(new_app(), "phoenix-see")
    assert texts(at.title) == ["Phoenix-See (Hörde)"]


def test_a_click_inside_the_quarter_and_the_form_store_a_pin(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    at = join_lab(new_app(), open_lab(pin_store).join_code)
    click_map(at, *brackel_point)
    fill_form(at, category="harassment", time_band="evening", severity=3, text="  Dunkle Ecke  ")
    submit(at)
    assert not at.exception
    assert any(s.startswith("Danke! Ihr Hinweis ist auf der Karte.") for s in texts(at.success))
    (pin,) = pin_store.pins_in_quarter(BRACKEL)
    assert (pin.category, pin.time_band, pin.severity, pin.text) == (
        "harassment",
        "evening",
        3,
        "Dunkle Ecke",
    )
    assert (pin.lon, pin.lat) == pytest.approx(brackel_point)
    # The form is gone after saving; the map counts the new pin.
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:")]
    assert "Bisher 1 Hinweis in Brackel." in texts(at.caption)
    # Where to follow what becomes of it: the note's number and its link.
    assert any(
        f"Ihr Hinweis hat die Nummer {pin.id}." in c and f"/mein-hinweis?hinweis={pin.id}" in c
        for c in texts(at.caption)
    )


def test_a_second_submit_of_a_saved_note_confirms_it_and_offers_nothing(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    """A double click whose first run lost its session state (the place still marked):
    the same note is confirmed again, not offered as a similar note close by."""
    at = join_lab(new_app(), open_lab(pin_store).join_code)
    click_map(at, *brackel_point)
    place = at.session_state[PENDING]
    fill_form(at, category="dark", time_band="night", severity=2, text="")
    submit(at)
    at.session_state[PENDING] = place  # as if the first run's state had not been kept
    at.run()
    fill_form(at, category="dark", time_band="night", severity=2, text="")
    submit(at)
    assert not at.exception
    (pin,) = pin_store.pins_in_quarter(BRACKEL)
    assert any(s.startswith("Danke! Ihr Hinweis") for s in texts(at.success))
    assert not any("Ganz in der Nähe" in i for i in texts(at.info))
    assert any(f"Ihr Hinweis hat die Nummer {pin.id}." in c for c in texts(at.caption))


def test_a_click_outside_the_quarter_is_explained_and_stores_nothing(
    pin_store: SqliteStore, hoerde_point: tuple[float, float]
) -> None:
    at = join_lab(new_app(), open_lab(pin_store).join_code)
    click_map(at, *hoerde_point)
    assert not at.exception
    assert any("außerhalb von Brackel" in w for w in texts(at.warning))
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:")]
    assert pin_store.count_pins() == 0


def test_missing_category_is_named_and_nothing_is_stored(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    at = join_lab(new_app(), open_lab(pin_store).join_code)
    click_map(at, *brackel_point)
    fill_form(at, category=None, time_band=None)
    submit(at)
    assert texts(at.error) == ["Bitte noch auswählen: Kategorie, wann es sich unsicher anfühlt."]
    assert pin_store.count_pins() == 0


def test_text_over_the_limit_is_refused_with_the_limit_and_kept(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    long_text = "x" * 5000
    at = join_lab(new_app(), open_lab(pin_store).join_code)
    click_map(at, *brackel_point)
    fill_form(at, text=long_text)
    submit(at)
    assert any("höchstens 500 Zeichen" in e and "5000" in e for e in texts(at.error))
    assert pin_store.count_pins() == 0
    # Nothing typed is lost: the text is still in the form to be shortened.
    assert [ta.value for ta in at.text_area] == [long_text]


def test_a_failed_save_is_kept_and_stored_once_on_retry(
    db_path: Path, pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    at = join_lab(new_app(), open_lab(pin_store).join_code)
    click_map(at, *brackel_point)
    fill_form(at, text="Unterführung")
    # A real fault: the database file is replaced by a directory while saving.
    moved = db_path.with_suffix(".moved")
    db_path.rename(moved)
    db_path.mkdir()
    submit(at)
    assert not at.exception
    assert any("nicht gespeichert" in e for e in texts(at.error))
    assert any("1 Hinweis(e) noch nicht gespeichert" in w for w in texts(at.warning))
    db_path.rmdir()
    moved.rename(db_path)
    at.button(key="retry_unsaved").click().run()
    assert not at.exception
    assert not texts(at.warning)
    # Retrying again must not store twice: the token is the same.
    assert [p.text for p in pin_store.pins_in_quarter(BRACKEL)] == ["Unterführung"]


def test_markup_in_the_text_is_stored_as_typed(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    payload = "<script>alert('x')</script> <img src=x onerror=alert(1)> \"`"
    at = join_lab(new_app(), open_lab(pin_store).join_code)
    click_map(at, *brackel_point)
    fill_form(at, text=payload)
    submit(at)
    (pin,) = pin_store.pins_in_quarter(BRACKEL)
    assert pin.text == payload


def without_the_map(at: AppTest) -> AppTest:
    """Choose the tab "Ohne Karte" (only the chosen tab's content runs)."""
    at.session_state["place_tab"] = "Ohne Karte"
    return at.run()


def test_a_place_without_the_map_from_a_landmark(
    pin_store: SqliteStore,
) -> None:
    at = without_the_map(join_lab(new_app(), open_lab(pin_store).join_code))
    landmarks = at.selectbox(key="landmark_choice")
    names = list(landmarks.options)  # shown labels; the values are their positions
    assert any("(Haltestelle)" in n for n in names)
    assert any("(Schule)" in n for n in names)
    choice = next(i for i, n in enumerate(names) if "Brackel" in n and "Haltestelle" in n)
    landmarks.set_value(choice)
    at.number_input(key="landmark_distance").set_value(50)
    at.selectbox(key="landmark_direction").set_value("N")
    at.button(key="landmark_use").click().run()
    errors = texts(at.error)
    if errors:  # the stop may lie at the edge; then the message must say so
        assert "außerhalb von Brackel" in errors[0]
        return
    fill_form(at)
    submit(at)
    assert pin_store.count_pins(BRACKEL) == 1


def test_typed_coordinates_outside_dortmund_are_refused(pin_store: SqliteStore) -> None:
    at = without_the_map(join_lab(new_app(), open_lab(pin_store).join_code))
    at.text_input(key="typed_coords").input("52.52, 13.40")
    at.button(key="coords_use").click().run()
    assert texts(at.error) == ["Diese Koordinaten liegen nicht in oder bei Dortmund."]
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:")]


def test_typed_coordinates_inside_open_the_form(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    lon, lat = brackel_point
    at = without_the_map(join_lab(new_app(), open_lab(pin_store).join_code))
    at.text_input(key="typed_coords").input(f"{lat:.6f}; {lon:.6f}")
    at.button(key="coords_use").click().run()
    fill_form(at, category="traffic", time_band="day")
    submit(at)
    (pin,) = pin_store.pins_in_quarter(BRACKEL)
    assert (pin.lon, pin.lat) == pytest.approx((lon, lat), abs=1e-6)


def test_english_can_be_switched_on(db_path: Path) -> None:
    at = new_app()
    at.sidebar.radio[0].set_value("en").run()
    assert "Where do you feel unsafe?" in texts(at.title)
    open_quarter(at, "brackel")
    assert any("enter the code of your lab" in i for i in texts(at.info))


def test_a_missing_data_pack_gives_one_clear_message(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SQ_DATA_DIR", str(tmp_path / "empty"))
    st.cache_resource.clear()
    at = new_app()
    assert not at.exception
    (error,) = map(as_shown, texts(at.error))
    assert "Die Bezirksdaten fehlen" in error
    assert "python -m datapack fetch" in error


def test_edge_tolerance_is_small() -> None:
    # A guard on the rule the outside-click test relies on.
    assert 0 < EDGE_TOLERANCE_M <= 25


def test_the_list_tells_each_note_in_words_and_takes_me_too(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    lab = open_lab(pin_store)
    lon, lat = brackel_point
    for number in range(12):
        pin_store.add_pin(
            make_draft(f"t{number}", quarter_id=BRACKEL, lon=lon, lat=lat, session_id=lab.id)
        )
    at = join_lab(new_app(), lab.join_code)
    at.toggle(key="pin_list_shown").set_value(True).run()
    shown = texts(at.markdown)
    notes = [m for m in shown if m.startswith("**Hinweis ")]
    assert len(notes) == 10  # a page at a time, newest first
    assert notes[0].startswith("**Hinweis 12**: zu dunkel, nachts")
    places = [w for w in texts(at.markdown) if w.startswith(("Etwa ", "Bei "))]
    assert len(places) == 10
    assert all(" von " in place or place.startswith("Bei ") for place in places), places[0]
    at.button(key="support_12").click().run()
    assert not at.exception, places[0]
    supported = pin_store.pin(12)
    assert supported is not None and supported.supports == 1
    more = next(b for b in at.button if b.label == "2 weitere zeigen")
    more.click().run()
    assert len([m for m in texts(at.markdown) if m.startswith("**Hinweis ")]) == 12


def test_a_reload_comes_back_to_the_lab_with_this_browsers_note_numbers(
    db_path: Path, brackel_point: tuple[float, float]
) -> None:
    store = SqliteStore(db_path)
    session = open_lab(store)
    at = new_app()
    at.session_state["participant_id"] = "this-browser"  # the participation cookie's number
    at.switch_page("pages/mitmachen/karte.py").run()
    join_lab(at, session.join_code)
    # The code and the quarter stay in the address: what a reload opens again.
    assert (at.query_params["code"], at.query_params["quartier"]) == (session.join_code, BRACKEL)
    lon, lat = brackel_point
    placed = {"quarter_id": BRACKEL, "lon": lon, "lat": lat, "session_id": session.id}
    mine = store.add_pin(make_draft("m1", participant="this-browser", **placed))
    store.add_pin(make_draft("o1", participant="someone-else", **placed))

    reloaded = new_app()  # a new session of the same browser, with the address kept
    reloaded.session_state["participant_id"] = "this-browser"
    reloaded.query_params["code"] = session.join_code
    reloaded.switch_page("pages/mitmachen/karte.py").run()
    assert not reloaded.exception, reloaded.exception
    assert "Sie nehmen teil an: Quartierslabor Brackel" in texts(reloaded.caption)
    assert any(f"Nummer {mine.id}." in c for c in texts(reloaded.caption)), texts(reloaded.caption)

    # Choosing another quarter leaves the lab: its code leaves the address.
    (back,) = [b for b in reloaded.button if b.label == "Anderes Quartier wählen"]
    back.click().run()
    assert "code" not in reloaded.query_params and "quartier" not in reloaded.query_params


def _menu_style(at: Any) -> str:
    return " ".join(str(element.proto.body) for element in at.get("html"))


def test_residents_see_of_the_staff_pages_only_log_in(db_path: Path) -> None:
    at = new_app()
    at.switch_page("pages/mitmachen/karte.py").run()
    hidden = _menu_style(at)
    for path in ("sitzungen", "moderation", "planer", "vergleich", "massnahmen", "verwaltung"):
        assert f'a[href$="/{path}"]' in hidden
    assert 'a[href$="/anmelden"]' not in hidden
    staff = open_page("pages/mitmachen/karte.py", role=Role.PLANNER, name="pia")
    assert 'a[href$="/planer"]' not in _menu_style(staff)
