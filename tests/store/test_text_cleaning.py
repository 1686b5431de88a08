"""One cleaning rule for every text a person types and the store keeps (rules.text):
no bidi override, no NUL or other control character, on both backends."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import Point

from rules.errors import ValidationError
from rules.measures import MeasureDraft
from rules.roles import Actor, Role
from store import Store
from tests.conftest import StoreFactory
from tests.factories import make_draft
from tests.store.test_layers import lamps, meta  # noqa: F401 - lamps is a fixture

PLANNER = Actor("pia", Role.PLANNER)
STEERING = Actor("stella", Role.STEERING)
MODERATOR = Actor("mona", Role.MODERATOR)
FACILITATOR = Actor("fritz", Role.FACILITATOR)
# A right-to-left override makes "Laterne\u202etxt.exe" read "Laterneexe.txt".
SPOOFED = "\u202eLaterne\u202c am\x00 Weg\u2066 \x07neu\u2069"
CLEAN = "Laterne am Weg neu"


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


def test_a_lab_title_and_place_are_cleaned(store: Store) -> None:
    made = store.open_session(
        quarter_id="brackel",
        title=SPOOFED,
        held_on=date(2025, 3, 12),
        place="Bürger\u202ehaus\x00\n am Markt",
        format="lab_table",
        actor=FACILITATOR,
    )
    kept = store.session(made.id)
    assert kept is not None
    assert (kept.title, kept.place) == (CLEAN, "Bürgerhaus am Markt")


def test_a_measure_title_responsible_and_reason_are_cleaned(store: Store) -> None:
    made = store.create_measure(
        MeasureDraft(SPOOFED, "lighting", "brackel", Point(7.55, 51.52), responsible=SPOOFED),
        actor=PLANNER,
    )
    store.move_measure(made.id, "rejected", actor=STEERING, reason="zu\x00 teuer\u202e")
    kept = store.measure(made.id)
    assert kept is not None
    assert (kept.title, kept.responsible, kept.status_reason) == (CLEAN, CLEAN, "zu teuer")


def test_layer_texts_are_cleaned_and_limited(store: Store, lamps) -> None:  # noqa: F811
    texts = {
        "name_de": SPOOFED,
        "name_en": SPOOFED,
        "source": SPOOFED,
        "licence": SPOOFED,
        "attribution": SPOOFED,
    }
    store.add_layer(meta(**texts), lamps, actor=PLANNER)
    kept = next(m for m in store.list_layers() if m.id == "lamps-brackel")
    assert {name: getattr(kept, name) for name in texts} == dict.fromkeys(texts, CLEAN)
    with pytest.raises(ValidationError, match="at most 500"):
        store.add_layer(meta("long", attribution="x" * 501), lamps, actor=PLANNER)
    assert [m.id for m in store.list_layers() if m.id == "long"] == []


def test_a_note_and_a_hiding_reason_are_cleaned(store: Store) -> None:
    pin = store.add_pin(make_draft("t1", text=SPOOFED))
    store.hide_pin(pin.id, actor=MODERATOR, reason=SPOOFED)
    kept = store.pin(pin.id)
    assert kept is not None and kept.text == CLEAN
