"""Layers in the SQLite store: all or nothing, same columns and types back."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from rules.errors import StoreUnavailableError
from rules.layer_meta import LayerMeta
from rules.roles import Actor, PermissionDeniedError, Role
from store import SqliteStore, Store
from store.layers import LayerExistsError
from store.migrate import head
from tests.conftest import StoreFactory
from tests.factories import make_draft
from tests.store.sql import change, rows


def meta(layer_id: str = "lamps-brackel", **changes: object) -> LayerMeta:
    values: dict[str, object] = {
        "id": layer_id,
        "name_de": "Laternen Brackel",
        "name_en": "Lamps Brackel",
        "layer_type": "lamps",
        "kind": "points",
        "source": "Tiefbauamt",
        "licence": "dl-de/by-2.0",
        "attribution": "Stadt Dortmund",
        "data_date": "2024-06",
        "demo": False,
    }
    values.update(changes)
    return LayerMeta(**values)  # type: ignore[arg-type]


PLANNER = Actor("pia", Role.PLANNER)


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


@pytest.fixture
def lamps() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "lamp_id": ["a", "b", "c"],
            "height_m": [4.5, float("nan"), 8.0],
            "power_w": pd.array([18, None, 54], dtype="Int64"),
            "status": ["ok", "defect", "unknown"],
            "working": [True, False, True],
            "checked_at": pd.to_datetime(
                pd.Series(["2024-01-01T10:00Z", None, "2024-03-05T08:30Z"]), utc=True
            ),
            "note": ["<script>x</script>", None, "Straße „Am Hellweg“"],
        },
        geometry=[Point(7.55, 51.52), Point(7.551, 51.521), Point(7.552, 51.522)],
        crs="EPSG:4326",
    )


def test_a_layer_comes_back_with_the_same_values_and_types(store, lamps) -> None:
    stored = store.add_layer(meta(), lamps, actor=PLANNER)
    assert stored.feature_count == 3
    back = store.layer_frame("lamps-brackel")
    assert list(back.columns) == list(lamps.columns)
    assert dict(back.dtypes.astype(str)) == dict(lamps.dtypes.astype(str))
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(lamps.drop(columns="geometry"))
    )
    assert back.geometry.geom_equals(lamps.geometry).all()
    assert back.crs == "EPSG:4326"


def test_layers_are_listed_with_their_metadata(store, lamps) -> None:
    store.add_layer(meta(), lamps, actor=PLANNER)
    store.add_layer(meta("demo-lamps", name_de="Aaa Demo", demo=True), lamps, actor=PLANNER)
    listed = store.list_layers()
    assert [m.id for m in listed] == ["demo-lamps", "lamps-brackel"]  # by German name
    assert listed[1] == meta(feature_count=3)
    assert listed[0].demo is True


def test_a_second_layer_with_the_same_id_is_refused_and_changes_nothing(store, lamps) -> None:
    store.add_layer(meta(), lamps, actor=PLANNER)
    with pytest.raises(LayerExistsError, match="exists already"):
        store.add_layer(meta(), lamps.iloc[:1], actor=PLANNER)
    assert store.list_layers()[0].feature_count == 3
    assert len(store.layer_frame("lamps-brackel")) == 3


_FAIL_THIRD = {
    "sqlite": [
        "CREATE TRIGGER fail_third BEFORE INSERT ON layer_features WHEN NEW.fid = 2"
        " BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
    ],
    "postgis": [
        "CREATE FUNCTION fail_third() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF NEW.fid = 2 THEN RAISE EXCEPTION 'disk says no'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER fail_third BEFORE INSERT ON layer_features"
        " FOR EACH ROW EXECUTE FUNCTION fail_third()",
    ],
}


def test_a_write_failing_midway_leaves_no_half_layer(store, stores, lamps) -> None:
    # A real fault inside the transaction: the third feature's insert is aborted.
    for statement in _FAIL_THIRD[stores.backend]:
        change(store, statement)
    with pytest.raises(StoreUnavailableError, match="disk says no"):
        store.add_layer(meta(), lamps, actor=PLANNER)
    assert store.list_layers() == []
    assert rows(store, "SELECT count(*) FROM layer_features") == [(0,)]


def test_removing_a_layer_removes_its_features(store, lamps) -> None:
    store.add_layer(meta(), lamps, actor=PLANNER)
    store.remove_layer("lamps-brackel", actor=PLANNER)
    assert store.list_layers() == []
    with pytest.raises(KeyError):
        store.layer_frame("lamps-brackel")
    store.add_layer(meta(), lamps.iloc[:2], actor=PLANNER)  # the id is free again
    assert len(store.layer_frame("lamps-brackel")) == 2


def test_lines_and_an_empty_layer_round_trip(store) -> None:
    paths = gpd.GeoDataFrame(
        {"name": ["Weg"]}, geometry=[LineString([(7.5, 51.5), (7.51, 51.51)])], crs="EPSG:4326"
    )
    store.add_layer(meta("paths", kind="lines"), paths, actor=PLANNER)
    assert store.layer_frame("paths").geometry.iloc[0].equals(paths.geometry.iloc[0])
    empty = paths.iloc[:0]
    store.add_layer(meta("nothing"), empty, actor=PLANNER)
    assert store.layer_frame("nothing").empty


def test_a_layer_in_another_crs_is_stored_in_wgs84(store, lamps) -> None:
    store.add_layer(meta(), lamps.to_crs("EPSG:25832"), actor=PLANNER)
    back = store.layer_frame("lamps-brackel")
    assert back.crs == "EPSG:4326"
    assert back.geometry.x.tolist() == pytest.approx(lamps.geometry.x.tolist(), abs=1e-9)


# The first schema as the app wrote it before Alembic, with PRAGMA user_version = 1.
SCHEMA_1 = """
CREATE TABLE pins (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token       TEXT NOT NULL UNIQUE,
    quarter_id  TEXT NOT NULL,
    lon         REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat         REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    category    TEXT NOT NULL,
    time_band   TEXT NOT NULL,
    severity    INTEGER CHECK (severity BETWEEN 1 AND 3),
    text        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX pins_by_quarter ON pins (quarter_id, id);
"""


def test_an_old_database_is_upgraded_and_keeps_its_pins(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_1)
    conn.execute(
        "INSERT INTO pins (token, quarter_id, lon, lat, category, time_band, text, created_at)"
        " VALUES ('t', '320', 7.55, 51.52, 'dark', 'night', '', '2026-01-01T00:00:00+00:00')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = SqliteStore(path)
    assert store.schema_revision() == head()
    assert store.count_pins() == 1
    assert store.list_layers() == []


@pytest.mark.parametrize(
    "role", [Role.PARTICIPANT, Role.FACILITATOR, Role.MODERATOR, Role.STEERING]
)
def test_only_planners_and_admins_add_or_remove_layers(store, lamps, role) -> None:
    someone = Actor("x", role)
    with pytest.raises(PermissionDeniedError):
        store.add_layer(meta(), lamps, actor=someone)
    store.add_layer(meta(), lamps, actor=PLANNER)
    with pytest.raises(PermissionDeniedError):
        store.remove_layer("lamps-brackel", actor=someone)
    assert [m.id for m in store.list_layers()] == ["lamps-brackel"]


def test_pins_and_layers_have_their_own_versions(store, lamps) -> None:
    """Caches of layers survive a new note, caches of pins survive a new layer."""
    pins, layers, both = store.pins_version(), store.layers_version(), store.data_version()
    pin = store.add_pin(make_draft("v1", text="Dunkler Weg"))
    assert store.pins_version() != pins
    assert store.layers_version() == layers
    pins = store.pins_version()
    store.add_layer(meta(), lamps, actor=PLANNER)
    assert store.layers_version() != layers
    assert store.pins_version() == pins
    layers = store.layers_version()
    store.release_text(pin.id, actor=Actor("mona", Role.MODERATOR))  # moderation: audited
    assert store.pins_version() != pins
    store.remove_layer("lamps-brackel", actor=PLANNER)
    assert store.layers_version() != layers
    assert store.data_version() != both
