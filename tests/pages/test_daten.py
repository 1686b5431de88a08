"""AppTest of the data page: every layer listed with its source; removal needs a yes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from config.settings import data_pack_dir
from store import SqliteStore
from tests.pages.apptest_helpers import as_shown, open_page, texts


def data_page() -> AppTest:
    return open_page("pages/stadt/daten.py")


def test_every_layer_is_listed_with_source_licence_and_kind(demo_db: Path) -> None:
    at = data_page()
    table = at.dataframe[0].value
    names = table.iloc[:, 0].tolist()
    assert any("Unfallatlas" in n for n in names)
    assert any("Haltestellen" in n for n in names)
    assert any("laternen" in n.lower() for n in names)
    kinds = dict(zip(names, table.iloc[:, 3], strict=True))
    assert kinds[next(n for n in names if "laternen" in n.lower())] == "Demo"
    assert kinds[next(n for n in names if "Unfallatlas" in n)] == "echte Daten"
    assert "50 MB" in " ".join(texts(at.caption))


def test_removing_needs_a_yes_and_then_removes(demo_db: Path) -> None:
    at = data_page()
    at.selectbox(key="remove_layer").set_value("demo-lamps")
    at.button(key="remove_submit").click().run()
    assert "Bitte bestätigen Sie zuerst." in texts(at.error)
    assert "demo-lamps" in {m.id for m in SqliteStore(demo_db).list_layers()}
    at.selectbox(key="remove_layer").set_value("demo-lamps")
    at.checkbox(key="remove_sure").check()
    at.button(key="remove_submit").click().run()
    assert "demo-lamps" not in {m.id for m in SqliteStore(demo_db).list_layers()}


def test_the_preview_says_what_the_import_changed(db_path: Path) -> None:
    """A bow-tie polygon (repaired) with heights (left out): both said before saving."""

    bow_tie = [[7.550, 51.520, 90.0], [7.552, 51.522, 91.0], [7.552, 51.520, 92.0]]
    bow_tie += [[7.550, 51.522, 93.0], [7.550, 51.520, 90.0]]
    square = [[7.56, 51.52, 90.0], [7.561, 51.52, 90.0], [7.561, 51.521, 90.0]]
    square += [[7.56, 51.521, 90.0], [7.56, 51.52, 90.0]]
    features = [
        {
            "type": "Feature",
            "properties": {"name": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for name, ring in (("Platz", square), ("Schleife", bow_tie))
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    at = data_page()
    at.selectbox(key="data_type").set_value("vector")
    at.file_uploader(key="data_file_0").set_value(("plaetze.geojson", data, "application/json"))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    notes = texts(at.info)
    assert any("Ungültige Geometrien wurden repariert (Zeilen 2)" in n for n in notes), notes
    assert any("Höhen (Z)" in n for n in notes), notes


def _fill_sources(at: AppTest) -> None:
    for label, value in (
        ("Quelle (wer hat die Daten veröffentlicht, wo)", "Schulamt, Test"),
        ("Lizenz", "ODbL"),
        ("Namensnennung, die auf der Karte erscheint", "© OpenStreetMap contributors"),
    ):
        next(w for w in at.text_input if w.label == label).input(value)


def _import_button(at: AppTest) -> Any:
    (button,) = [b for b in at.button if (b.key or "").startswith("FormSubmitter:data_meta_")]
    return button


def _upload_schools_copy(at: AppTest, filename: str) -> None:
    """The pack's own schools file, uploaded as a planner would (as plain vector data)."""
    data = (data_pack_dir() / "schulen_kitas_osm.geojson").read_bytes()
    at.selectbox(key="data_type").set_value("vector")
    at.file_uploader(key="data_file_0").set_value((filename, data, "application/geo+json"))
    at.run()
    assert not at.exception, at.exception


def test_a_copy_of_a_real_layer_is_named_and_stored_only_after_a_yes(demo_db: Path) -> None:
    at = data_page()
    before = {m.id for m in SqliteStore(demo_db).list_layers()}
    _upload_schools_copy(at, "schulen-kopie.geojson")
    warnings = [as_shown(w) for w in texts(at.warning)]
    assert any(
        "wahrscheinlich eine Kopie" in w and "Schulen und Kitas (OSM)" in w for w in warnings
    )

    _fill_sources(at)
    _import_button(at).click().run()
    assert any("Nichts wurde gespeichert" in e for e in texts(at.error)), texts(at.error)
    assert {m.id for m in SqliteStore(demo_db).list_layers()} == before

    at.checkbox(key="data_copy_ok_0").check()
    _import_button(at).click().run()
    assert not at.exception, at.exception
    added = {m.id for m in SqliteStore(demo_db).list_layers()} - before
    assert added == {"schulen-kopie"}


def test_a_new_file_needs_no_yes_and_the_form_is_empty_after_the_import(demo_db: Path) -> None:
    at = data_page()
    at.selectbox(key="data_type").set_value("vector")
    at.file_uploader(key="data_file_0").set_value(
        ("plaetze.geojson", _squares(), "application/json")
    )
    at.run()
    assert not any("Kopie" in w for w in texts(at.warning))
    assert "data_copy_ok_0" not in {c.key for c in at.checkbox}  # nothing to confirm
    _fill_sources(at)
    _import_button(at).click().run()
    assert not at.exception, at.exception
    assert any("als plaetze importiert" in s for s in texts(at.success)), texts(at.success)
    assert "plaetze" in {m.id for m in SqliteStore(demo_db).list_layers()}
    # The uploader is a new, empty one; no preview and no filled form stay behind.
    assert [u.key for u in at.get("file_uploader")] == ["data_file_1"]
    assert not at.file_uploader(key="data_file_1").value
    assert not [b for b in at.button if (b.key or "").startswith("FormSubmitter:data_meta_")]
    assert not [w for w in at.text_input if w.label == "Lizenz"]


def test_a_layer_may_not_take_a_real_layers_name(demo_db: Path) -> None:
    at = data_page()
    at.selectbox(key="data_type").set_value("vector")
    at.file_uploader(key="data_file_0").set_value(
        ("plaetze.geojson", _squares(), "application/json")
    )
    at.run()
    next(w for w in at.text_input if w.label == "Name (Deutsch)").input("haltestellen  (vrr)")
    _fill_sources(at)
    _import_button(at).click().run()
    assert any(
        "Haltestellen (VRR)" in as_shown(e) and "anderen Namen" in e for e in texts(at.error)
    )
    assert "haltestellen-vrr" not in {m.id for m in SqliteStore(demo_db).list_layers()}


def _squares() -> bytes:
    features = [
        {
            "type": "Feature",
            "properties": {"name": name},
            "geometry": {"type": "Point", "coordinates": [lon, 51.52]},
        }
        for name, lon in (("Platz", 7.56), ("Markt", 7.57))
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()
