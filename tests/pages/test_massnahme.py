"""A measure's public page (/massnahme?nr=N) in AppTest: its facts, history and notes as
the public sees them; nothing of a proposed or unknown measure."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from store import SqliteStore
from tests.factories import make_draft
from tests.pages.apptest_helpers import APP, as_shown, texts

PLANNER = Actor("pia", Role.PLANNER)
STEERING = Actor("stella", Role.STEERING)
MODERATOR = Actor("mo", Role.MODERATOR)
PAGE = "pages/mitmachen/massnahme.py"
LON, LAT = 7.5512, 51.5187  # Brackel
NOT_PUBLIC = (
    "Unter dieser Nummer gibt es keine öffentliche Maßnahme. Eine Maßnahme wird hier "
    "gezeigt, sobald der Lenkungskreis sie auf seine Tagesordnung gesetzt hat."
)


def _open(nr: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if nr is not None:
        at.query_params["nr"] = nr
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    parts = [*texts(at.markdown), *texts(at.caption), *texts(at.info), *texts(at.title)]
    parts += texts(at.subheader)
    return as_shown(" ".join(parts))


def _pins(store: SqliteStore, texts_: list[str]) -> list[int]:
    """Notes in Brackel, 40 m apart, after 30 others (so the public map shows single
    places: the quarter is not sparse)."""
    drafts = [
        make_draft(f"bg{i}", quarter_id="320", lon=LON - 0.01 - i * 0.0006, lat=LAT)
        for i in range(30)
    ]
    drafts += [
        make_draft(f"n{i}", quarter_id="320", lon=LON + i * 0.0006, lat=LAT, text=text)
        for i, text in enumerate(texts_)
    ]
    store.add_pins(drafts)
    return [p.id for p in store.pins_in_quarter("320")][-len(texts_) :]


def _measure(store: SqliteStore, *moves: str, pins: tuple[int, ...] = (), reason: str = "") -> int:
    made = store.create_measure(
        MeasureDraft(
            "Laterne am Hellweg",
            "lighting",
            "320",
            Point(LON, LAT),
            working_group="infrastructure",
            responsible="Tiefbauamt",
            pin_ids=pins,
        ),
        actor=PLANNER,
    )
    for move in moves:
        actor = PLANNER if move in ("in_progress", "done") else STEERING
        store.move_measure(made.id, move, actor=actor, reason=reason if move == "rejected" else "")
    return made.id


@pytest.mark.parametrize("nr", [None, "999", "abc", "²", "-1", "1" * 30])
def test_an_unknown_number_gets_a_plain_message(db_path: Path, nr: str | None) -> None:
    at = _open(nr)
    assert texts(at.info) == [NOT_PUBLIC]
    assert [link.value for link in at.page_link] == ["Zurück zum Plan der Maßnahmen"]


def test_a_proposed_measure_shows_nothing_of_itself(db_path: Path) -> None:
    store = SqliteStore(db_path)
    measure = _measure(store)
    at = _open(str(measure))
    assert texts(at.info) == [NOT_PUBLIC]
    assert "Laterne" not in _shown(at) and "Tiefbauamt" not in _shown(at)


def test_a_discussed_measure_with_its_facts_history_and_public_notes(db_path: Path) -> None:
    store = SqliteStore(db_path)
    released, unreleased, hidden, merged = _pins(
        store,
        [
            "Hier ist es nachts stockdunkel",
            "Herr Meier von nebenan hat Angst",
            "Die Familie Schulz wohnt hier, Hausnummer 12",
            "Doppelt gemeldet, geheimer Zusatz",
        ],
    )
    store.release_text(released, actor=MODERATOR)
    store.release_text(hidden, actor=MODERATOR)  # released, then hidden after all
    store.hide_pin(hidden, actor=MODERATOR, reason="Namen genannt")
    store.merge_pins(released, merged, actor=MODERATOR, reason="doppelt")
    store.add_support(released, "x")
    measure = _measure(store, "discussed", "decided", pins=(released, unreleased, hidden, merged))
    at = _open(str(measure))
    shown = _shown(at)
    assert texts(at.title) == ["Laterne am Hellweg"]
    assert f"Maßnahme {measure}" in shown and "Beleuchtung" in shown
    assert "Arbeitsgruppe: sichere Infrastruktur" in shown and "Zuständig: Tiefbauamt" in shown
    assert "**beschlossen** seit" in shown
    # History: its public moves with dates, never who made them.
    (history,) = [m for m in texts(at.markdown) if m.startswith("- ")]
    lines = history.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("im Lenkungskreis beraten") and lines[1].endswith("beschlossen")
    assert "stella" not in shown and "pia" not in shown
    # Notes: two visible ones (the hidden and the merged one are not); only the released
    # text is shown, the merged note's support carried over.
    assert "Antwort auf 2 Hinweise (2 Unterstützungen)." in shown
    assert f"**Hinweis {released}**" in shown and f"**Hinweis {unreleased}**" in shown
    assert f"**Hinweis {hidden}**" not in shown and f"**Hinweis {merged}**" not in shown
    assert "Hier ist es nachts stockdunkel" in shown
    for secret in ("Herr Meier", "Familie Schulz", "geheimer Zusatz"):
        assert secret not in shown
    assert "Namen genannt" not in shown
    # The small map shows the notes' shifted places, never a hidden one.
    (small_map,) = [m for m in texts(at.markdown) if "sq-place-map" in m]
    assert small_map.count('class="note"') == 2
    links = [(link.value, link.proto.query_string) for link in at.page_link]
    assert ("Zurück zum Plan der Maßnahmen", "quartier=320") in links


def test_a_rejected_measure_shows_its_reason(db_path: Path) -> None:
    store = SqliteStore(db_path)
    measure = _measure(store, "discussed", "rejected", reason="Die Straße wird 2027 umgebaut")
    at = _open(str(measure))
    shown = _shown(at)
    assert "**verworfen** seit" in shown
    assert "Die Begründung: Die Straße wird 2027 umgebaut" in shown
    (history,) = [m for m in texts(at.markdown) if m.startswith("- ")]
    last = history.splitlines()[-1]
    assert last.endswith("verworfen – Die Begründung: Die Straße wird 2027 umgebaut")
    assert "Mit dieser Maßnahme ist kein Hinweis der Karte verknüpft." in shown


def test_a_note_of_a_sparse_quarter_is_counted_but_not_shown(db_path: Path) -> None:
    store = SqliteStore(db_path)
    store.add_pins([make_draft("alone", quarter_id="320", lon=LON, lat=LAT, text="")])
    (alone,) = [p.id for p in store.pins_in_quarter("320")]
    measure = _measure(store, "discussed", pins=(alone,))
    at = _open(str(measure))
    shown = _shown(at)
    assert "Antwort auf 1 Hinweis (0 Unterstützungen)." in shown
    assert f"**Hinweis {alone}**" not in shown
    assert "1 weiterer Hinweis wird nicht gezeigt" in shown
