"""AppTest of the data page: every layer listed with its source; removal needs a yes."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from store import SqliteStore
from tests.pages.apptest_helpers import open_page, texts


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
    import json

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
    at.file_uploader(key="data_file").set_value(("plaetze.geojson", data, "application/json"))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    notes = texts(at.info)
    assert any("Ungültige Geometrien wurden repariert (Zeilen 2)" in n for n in notes), notes
    assert any("Höhen (Z)" in n for n in notes), notes
