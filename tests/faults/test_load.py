"""50 concurrent writers x 200 pins, on SQLite and on PostGIS: exactly 10,000 pins,
none twice (every tenth save is double-clicked), no error for anyone."""

from __future__ import annotations

from collections import Counter

import pytest

from devtools.load import QUARTER, missing, run_writers
from tests.conftest import StoreFactory
from tests.store.sql import rows

WRITERS = 50
PINS_EACH = 200


@pytest.mark.timeout(600)
def test_fifty_writers_store_exactly_ten_thousand_pins(stores: StoreFactory) -> None:
    url = stores.new_url()
    result = run_writers(url, writers=WRITERS, pins_each=PINS_EACH)
    assert result.errors == []
    assert len(result.confirmed) == WRITERS * PINS_EACH
    assert missing(url, result.confirmed) == []
    store = stores.open(url)
    assert store.count_pins(QUARTER) == WRITERS * PINS_EACH
    assert rows(store, "SELECT count(DISTINCT token), count(DISTINCT id) FROM pins") == [
        (WRITERS * PINS_EACH, WRITERS * PINS_EACH)
    ]
    # Every pin whole: each writer's pins are all there, with their participant.
    writers = Counter(
        participant.split("-")[0] for (participant,) in rows(store, "SELECT participant FROM pins")
    )
    assert len(writers) == WRITERS
    assert set(writers.values()) == {PINS_EACH}
