"""“What became of my note?” in AppTest: from the link, in plain German."""

from __future__ import annotations

import re
from pathlib import Path

from shapely.geometry import Point

from rules.measures import MeasureDraft
from rules.pins import PinDraft
from rules.roles import Actor, Role
from store import SqliteStore
from tests.pages.apptest_helpers import map_key, new_app, texts

PLANNER = Actor("pia", Role.PLANNER)
STEERING = Actor("stella", Role.STEERING)


def _open(pin_id: int):
    at = new_app()
    at.query_params["hinweis"] = str(pin_id)
    at.switch_page("pages/mitmachen/mein_hinweis.py").run()
    assert not at.exception, at.exception
    return at


def test_a_note_with_a_decided_measure(db_path: Path) -> None:
    store = SqliteStore(db_path)
    pin = store.add_pin(PinDraft("320", 7.55, 51.52, "dark", "night", 2, "", "mine"))
    measure = store.create_measure(
        MeasureDraft(
            "Neue Laterne am Weg",
            "lighting",
            "320",
            Point(7.55, 51.52),
            responsible="Tiefbauamt",
            pin_ids=(pin.id,),
        ),
        actor=PLANNER,
    )
    store.move_measure(measure.id, "discussed", actor=STEERING)
    store.move_measure(measure.id, "decided", actor=STEERING)
    at = _open(pin.id)
    assert "Was ist aus meinem Hinweis geworden?" in texts(at.title)
    assert at.number_input(key="fate_number").value == pin.id
    shown = " ".join(texts(at.markdown))
    assert "Neue Laterne am Weg" in shown and "Beleuchtung" in shown
    assert "Der Lenkungskreis hat die Maßnahme beschlossen. Sie soll umgesetzt werden." in shown
    assert any("Zuständig: Tiefbauamt" in c for c in texts(at.caption))
    # The card leads to the measure's public page.
    links = [(link.value, link.proto.query_string) for link in at.page_link]
    assert (f"Zur Maßnahme {measure.id}", f"nr={measure.id}") in links


def test_a_proposed_measure_has_no_link_to_a_public_page(db_path: Path) -> None:
    store = SqliteStore(db_path)
    pin = store.add_pin(PinDraft("320", 7.55, 51.52, "dark", "night", 2, "", "mine"))
    store.create_measure(
        MeasureDraft("Entwurf", "lighting", "320", Point(7.55, 51.52), pin_ids=(pin.id,)),
        actor=PLANNER,
    )
    at = _open(pin.id)
    assert "Entwurf" in " ".join(texts(at.markdown))
    assert not [link for link in at.page_link if link.proto.query_string.startswith("nr=")]


def test_a_note_without_measures_and_a_hidden_one(db_path: Path) -> None:
    store = SqliteStore(db_path)
    pin = store.add_pin(PinDraft("320", 7.55, 51.52, "dark", "night", 2, "", "a"))
    at = _open(pin.id)
    assert any("noch keine Maßnahme" in i for i in texts(at.info))
    store.hide_pin(pin.id, actor=Actor("mo", Role.MODERATOR), reason="Test")
    at = _open(pin.id)
    assert texts(at.info) == [
        f"Die Moderation hat Hinweis {pin.id} von der Karte genommen, zum Beispiel weil er "
        "eine Person nannte oder nicht um Sicherheit ging. Er wird nicht mehr gezeigt."
    ]
    assert not any("Test" in m for m in texts(at.markdown) + texts(at.info))  # no reason
    at = _open(999)
    assert texts(at.info) == ["Einen Hinweis mit dieser Nummer gibt es nicht."]


def test_a_merged_note_leads_to_the_note_it_lives_on_in(db_path: Path) -> None:
    store = SqliteStore(db_path)
    kept = store.add_pin(PinDraft("320", 7.55, 51.52, "dark", "night", 2, "", "a"))
    mine = store.add_pin(PinDraft("320", 7.5501, 51.5201, "dark", "night", 2, "", "b"))
    store.create_measure(
        MeasureDraft("Neue Laterne", "lighting", "320", Point(7.55, 51.52), pin_ids=(kept.id,)),
        actor=PLANNER,
    )
    store.merge_pins(kept.id, mine.id, actor=Actor("mo", Role.MODERATOR), reason="doppelt")
    at = _open(mine.id)
    assert any(f"wie Hinweis {kept.id}" in i and "zusammengeführt" in i for i in texts(at.info)), (
        texts(at.info)
    )
    shown = " ".join(texts(at.markdown))
    assert f"**Hinweis {kept.id}**" in shown and "Neue Laterne" in shown


def test_the_map_opens_on_the_quarter_of_the_note(db_path: Path) -> None:
    store = SqliteStore(db_path)
    brackel = store.add_pin(PinDraft("320", 7.55, 51.52, "dark", "night", 2, "", "a"))
    at = _open(brackel.id)
    assert at.selectbox(key="fate_quarter").value == "320"
    # Another number typed in: the map follows to that note's quarter.
    other = store.add_pin(PinDraft("710", 7.30, 51.49, "dark", "night", 2, "", "b"))
    at.number_input(key="fate_number").set_value(other.id).run()
    assert at.selectbox(key="fate_quarter").value == "710"


def test_a_note_tapped_on_the_map_is_shown(db_path: Path) -> None:
    store = SqliteStore(db_path)
    # Enough notes that the public map shows single places (it hides them while sparse).
    store.add_pins(
        [
            PinDraft(
                "710",
                7.30 + (i % 6) * 0.002,
                51.49 + (i // 6) * 0.001,
                "dark",
                "night",
                2,
                "",
                f"m{i}",
            )
            for i in range(36)
        ]
    )
    at = new_app()
    at.switch_page("pages/mitmachen/mein_hinweis.py").run()
    assert at.number_input(key="fate_number").value is None
    # Tap the second note's marker (the public map shows places a little shifted).
    from geo.privacy import public_view

    shown = public_view(store.pins_frame(["710"]), own_session=None)
    second = shown.loc[shown["id"] == 2].geometry.iloc[0]
    at.session_state[map_key(at)] = {"last_object_clicked": {"lat": second.y, "lng": second.x}}
    at.run()
    assert not at.exception
    assert at.number_input(key="fate_number").value == 2
    assert any("**Hinweis 2**" in m for m in texts(at.markdown))


HOSTILE = "![x](http://host/pixel.png) [Mehr](https://host/) **fett** :material/home: $x$"
# Markdown that would become an image or a link: "](" not escaped by a backslash.
LIVE_LINK = re.compile(r"(?<!\\)\]\(")


def test_what_staff_typed_is_shown_as_text_not_as_markdown(db_path: Path) -> None:
    store = SqliteStore(db_path)
    pin = store.add_pin(PinDraft("320", 7.55, 51.52, "dark", "night", 2, "", "mine"))
    measure = store.create_measure(
        MeasureDraft(
            f"Laterne {HOSTILE}",
            "lighting",
            "320",
            Point(7.55, 51.52),
            responsible=f"Amt {HOSTILE}",
            pin_ids=(pin.id,),
        ),
        actor=PLANNER,
    )
    store.move_measure(measure.id, "rejected", actor=STEERING, reason=f"Grund {HOSTILE}")
    at = _open(pin.id)
    shown = texts(at.markdown) + texts(at.caption)
    # Each text is there in full, with markdown's escapes taken out again...
    for typed in (f"Grund {HOSTILE}", f"Amt {HOSTILE}", f"Laterne {HOSTILE}"):
        assert any(typed in s.replace("\\", "") for s in shown), typed
    # ...and nothing of it is a live link or image.
    assert [s for s in shown if LIVE_LINK.search(s)] == []
