"""The district data pack: validation, boroughs, loading and fetching."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon, box

from datapack.fetch import fetch
from datapack.loading import load_districts, load_landmarks, load_manifest
from geo.districts import borough_for, validate_districts
from rules.errors import DataPackError
from rules.quarters import Quarter

PROJECT_DIR = Path(__file__).resolve().parents[2]
FETCH_COMMAND = "python -m datapack fetch"
DISTRICTS_FILE = "statistische_bezirke.geojson"

QUARTERS = (
    Quarter(slug="boevinghausen", label="Bövinghausen", district_id="710"),
    Quarter(slug="brackel", label="Brackel", district_id="320"),
    Quarter(slug="phoenix-see", label="Phoenix-See", district_id="530"),
)


def _mirror_dir() -> Path:
    configured = os.environ.get("SQ_DATA_MIRROR")
    if configured:
        return Path(configured)
    return (PROJECT_DIR / ".." / "shared" / "data" / "dortmund").resolve()


MIRROR = _mirror_dir()
needs_mirror = pytest.mark.skipif(
    not MIRROR.is_dir(),
    reason=f"real Dortmund data mirror not found at {MIRROR} (set SQ_DATA_MIRROR)",
)


@pytest.fixture(scope="module")
def real_pack_dir() -> Path:
    """The fetched pack in data/districts/cache, else the mirror folder read in place."""
    cache = PROJECT_DIR / "data" / "districts" / "cache"
    if (cache / DISTRICTS_FILE).is_file():
        return cache
    if not MIRROR.is_dir():
        pytest.skip(f"real Dortmund data mirror not found at {MIRROR} (set SQ_DATA_MIRROR)")
    return MIRROR


def _square(i: int) -> Polygon:
    """A small square per row, side by side near Dortmund."""
    return box(7.30 + 0.02 * i, 51.50, 7.31 + 0.02 * i, 51.51)


def _raw(ids: list[object], crs: str | None = "EPSG:4326") -> gpd.GeoDataFrame:
    """A raw district frame as the city exports it, plus a column to be dropped."""
    return gpd.GeoDataFrame(
        {
            "statistischer_bezirk_nr": ids,
            "statistischer_bezirk": [f" Bezirk {i} " for i in ids],
            "rowid": [f"row{n}" for n in range(len(ids))],
        },
        geometry=[_square(n) for n in range(len(ids))],
        crs=crs,
    )


# --- validate_districts --------------------------------------------------------


def test_validate_renames_trims_and_indexes():
    raw = _raw(["710", "320", "530", "120"])
    raw_columns = list(raw.columns)
    districts, repairs = validate_districts(raw, QUARTERS)
    assert list(districts.columns) == ["district_id", "name", "borough", "geometry"]
    assert districts["district_id"].tolist() == ["120", "320", "530", "710"]
    assert districts.index.tolist() == ["120", "320", "530", "710"]
    assert districts.loc["320", "name"] == "Bezirk 320"
    assert districts.loc["320", "borough"] == "Brackel"
    assert districts.crs == "EPSG:4326"
    assert repairs == []
    # The input is not changed.
    assert list(raw.columns) == raw_columns
    assert raw["statistischer_bezirk"].iloc[0] == " Bezirk 710 "


@pytest.mark.parametrize(
    ("raw_id", "expected"),
    [("10", "010"), (10, "010"), ("5", "005"), (" 60 ", "060"), ("910", "910")],
)
def test_validate_zero_pads_ids(raw_id, expected):
    districts, _ = validate_districts(_raw(["710", "320", "530", raw_id]), QUARTERS)
    assert expected in districts.index
    assert districts.loc[expected, "district_id"] == expected


def test_validate_repairs_a_bow_tie():
    bow_tie = Polygon([(7.40, 51.50), (7.41, 51.51), (7.41, 51.50), (7.40, 51.51)])
    assert not bow_tie.is_valid
    raw = _raw(["710", "320", "530", "050"])
    raw.loc[3, "geometry"] = bow_tie
    districts, repairs = validate_districts(raw, QUARTERS)
    repaired = districts.loc["050", "geometry"]
    assert repaired.is_valid
    assert repaired.geom_type in {"Polygon", "MultiPolygon"}
    assert repaired.area > 0
    assert districts.geometry.is_valid.all()
    assert any("repaired" in r and "050" in r for r in repairs), repairs
    # Valid districts are not reported.
    assert not any("710" in r for r in repairs)


def test_validate_reprojects_metric_input():
    raw = _raw(["710", "320", "530"])
    districts, repairs = validate_districts(raw.to_crs("EPSG:25832"), QUARTERS)
    assert districts.crs == "EPSG:4326"
    assert any("reprojected" in r and "EPSG:25832" in r for r in repairs), repairs
    for district_id, expected in zip(["710", "320", "530"], raw.geometry, strict=True):
        assert districts.loc[district_id, "geometry"].equals_exact(expected, tolerance=1e-7)


def test_validate_assumes_wgs84_without_crs():
    districts, repairs = validate_districts(_raw(["710", "320", "530"], crs=None), QUARTERS)
    assert districts.crs == "EPSG:4326"
    assert any("EPSG:4326" in r for r in repairs), repairs


@pytest.mark.parametrize("column", ["statistischer_bezirk_nr", "statistischer_bezirk"])
def test_validate_names_a_missing_column(column):
    raw = _raw(["710", "320", "530"]).drop(columns=[column])
    with pytest.raises(DataPackError) as exc_info:
        validate_districts(raw, QUARTERS)
    assert exc_info.value.params["columns"] == column
    assert exc_info.value.params["command"] == FETCH_COMMAND
    assert column in str(exc_info.value)
    assert FETCH_COMMAND in str(exc_info.value)


@pytest.mark.parametrize("absent", ["710", "320", "530"])
def test_validate_requires_every_lab_quarter(absent):
    ids: list[object] = [i for i in ["710", "320", "530", "120"] if i != absent]
    with pytest.raises(DataPackError) as exc_info:
        validate_districts(_raw(ids), QUARTERS)
    assert exc_info.value.params["ids"] == absent
    assert FETCH_COMMAND in str(exc_info.value)


@pytest.mark.parametrize(
    ("ids", "dupe"),
    [(["710", "320", "530", "320"], "320"), (["710", "320", "530", "10", "010"], "010")],
    ids=["same-text", "same-after-padding"],
)
def test_validate_refuses_duplicate_ids(ids, dupe):
    with pytest.raises(DataPackError) as exc_info:
        validate_districts(_raw(ids), QUARTERS)
    assert exc_info.value.params["ids"] == dupe
    assert FETCH_COMMAND in str(exc_info.value)


# --- borough_for ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("district_id", "borough"),
    [
        ("320", "Brackel"),
        ("710", "Lütgendortmund"),
        ("530", "Hörde"),
        ("000", "Innenstadt-West"),
        ("010", "Innenstadt-West"),
        ("030", "Innenstadt-West"),
        ("040", "Innenstadt-Nord"),
        ("050", "Innenstadt-Nord"),
        ("060", "Innenstadt-Nord"),
        ("070", "Innenstadt-Ost"),
        ("080", "Innenstadt-Ost"),
        ("090", "Innenstadt-Ost"),
        ("110", "Eving"),
        ("270", "Scharnhorst"),
        ("450", "Aplerbeck"),
        ("690", "Hombruch"),
        ("840", "Huckarde"),
        ("960", "Mengede"),
    ],
)
def test_borough_for(district_id, borough):
    assert borough_for(district_id) == borough


# --- load_districts on the real pack --------------------------------------------


def test_real_pack_has_all_62_valid_districts(real_pack_dir):
    pack = load_districts(real_pack_dir)
    districts = pack.districts
    assert len(districts) == 62
    assert districts.crs == "EPSG:4326"
    assert districts.geometry.is_valid.all()
    assert not districts.geometry.is_empty.any()
    assert districts["district_id"].is_unique
    assert districts["district_id"].str.fullmatch(r"\d{3}").all()
    assert (districts["borough"] != "").all()


@pytest.mark.parametrize(
    ("district_id", "name", "borough"),
    [
        ("710", "Bövinghausen", "Lütgendortmund"),
        ("320", "Brackel", "Brackel"),
        ("530", "Hörde", "Hörde"),
    ],
)
def test_real_pack_has_the_lab_quarters(real_pack_dir, district_id, name, borough):
    pack = load_districts(real_pack_dir)
    assert pack.name(district_id) == name
    assert pack.districts.loc[district_id, "borough"] == borough
    assert pack.geometry(district_id).is_valid
    assert {q.district_id for q in pack.quarters} == {"710", "320", "530"}


def test_load_from_an_empty_folder_says_how_to_fetch(tmp_path):
    with pytest.raises(DataPackError) as exc_info:
        load_districts(tmp_path)
    assert exc_info.value.params["detail"] == DISTRICTS_FILE
    assert FETCH_COMMAND in str(exc_info.value)


def test_load_from_a_truncated_file_is_a_datapack_error(tmp_path):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"statistischer_bezirk_nr": "320", "statistischer_bezirk": "Brackel"},
                "geometry": box(7.5, 51.5, 7.6, 51.6).__geo_interface__,
            }
        ],
    }
    text = json.dumps(collection)
    (tmp_path / DISTRICTS_FILE).write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(DataPackError) as exc_info:
        load_districts(tmp_path)
    assert DISTRICTS_FILE in exc_info.value.params["detail"]
    assert "broken" in str(exc_info.value)
    assert FETCH_COMMAND in str(exc_info.value)


# --- fetch -------------------------------------------------------------------------


@needs_mirror
def test_fetch_copies_the_mirror_and_stamps_hashes(tmp_path):
    manifest = load_manifest()
    dest = tmp_path / "pack"
    report = fetch(manifest, dest, mirror=MIRROR)
    assert len(report) == len(manifest.datasets)
    stamp = json.loads((dest / "pack.json").read_text(encoding="utf-8"))
    assert stamp["mirror"] == str(MIRROR)
    copied = [d.file for d in manifest.datasets if (MIRROR / d.file).is_file()]
    assert DISTRICTS_FILE in copied
    assert sorted(stamp["sha256"]) == sorted(copied)
    for name in copied:
        data = (dest / name).read_bytes()
        assert data == (MIRROR / name).read_bytes()
        assert stamp["sha256"][name] == hashlib.sha256(data).hexdigest()
    assert len(load_districts(dest, manifest).districts) == 62


def test_fetch_with_only_the_districts_reports_the_rest(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    _raw(["710", "320", "530"]).to_file(mirror / DISTRICTS_FILE, driver="GeoJSON")
    manifest = load_manifest()
    dest = tmp_path / "pack"
    report = fetch(manifest, dest, mirror=mirror)
    stamp = json.loads((dest / "pack.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256((mirror / DISTRICTS_FILE).read_bytes()).hexdigest()
    assert stamp["sha256"] == {DISTRICTS_FILE: digest}
    assert "districts: copied from mirror" in report
    assert sum("not in mirror" in line for line in report) == len(manifest.datasets) - 1


def test_fetch_from_an_empty_mirror_fails(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    dest = tmp_path / "pack"
    with pytest.raises(DataPackError) as exc_info:
        fetch(load_manifest(), dest, mirror=mirror)
    assert exc_info.value.params["command"] == FETCH_COMMAND
    assert "districts" in exc_info.value.params["detail"]
    assert FETCH_COMMAND in str(exc_info.value)
    assert not (dest / "pack.json").exists()


# --- load_landmarks ----------------------------------------------------------------


def test_real_landmarks_are_stops_and_schools(real_pack_dir):
    landmarks = load_landmarks(real_pack_dir)
    assert list(landmarks.columns) == ["name", "kind", "geometry"]
    assert landmarks.crs == "EPSG:4326"
    kinds = set(landmarks["kind"])
    assert {"stop", "school"} <= kinds
    assert kinds <= {"stop", "school", "kindergarten", "childcare"}
    assert (landmarks.geom_type == "Point").all()
    assert landmarks["name"].notna().all()
    stops = gpd.read_file(real_pack_dir / "haltestellen_vrr.geojson")
    assert (landmarks["kind"] == "stop").sum() == len(stops)


def _write_landmark_files(folder: Path, school_names: list[str | None]) -> None:
    """A stops file with two stations and a schools file with the given names."""
    gpd.GeoDataFrame(
        {
            "stop_id": ["de:05913:1", "de:05913:2"],
            "stop_name": ["Brackel Kirche", "Hörde Bf"],
            "lines": ["U43", "U41;440"],
        },
        geometry=[Point(7.55, 51.52), Point(7.49, 51.49)],
        crs="EPSG:4326",
    ).to_file(folder / "haltestellen_vrr.geojson", driver="GeoJSON")
    gpd.GeoDataFrame(
        {
            "id": [f"osm:way:{n}" for n in range(len(school_names))],
            "type": ["school"] * len(school_names),
            "name": school_names,
        },
        # Schools may be mapped as areas; landmarks are points.
        geometry=[
            box(7.55, 51.52 + n * 0.01, 7.551, 51.521 + n * 0.01) for n in range(len(school_names))
        ],
        crs="EPSG:4326",
    ).to_file(folder / "schulen_kitas_osm.geojson", driver="GeoJSON")


def test_landmarks_from_a_hand_built_pack(tmp_path):
    _write_landmark_files(tmp_path, ["Grundschule Brackel", None])
    landmarks = load_landmarks(tmp_path)
    assert list(landmarks.columns) == ["name", "kind", "geometry"]
    assert landmarks.crs == "EPSG:4326"
    assert sorted(zip(landmarks["name"], landmarks["kind"], strict=True)) == [
        ("Brackel Kirche", "stop"),
        ("Grundschule Brackel", "school"),
        ("Hörde Bahnhof", "stop"),
    ]
    assert (landmarks.geom_type == "Point").all()
    school = landmarks.loc[landmarks["kind"] == "school", "geometry"].iloc[0]
    assert box(7.55, 51.52, 7.551, 51.521).contains(school)


def test_landmarks_without_a_name_are_left_out(tmp_path):
    _write_landmark_files(tmp_path, ["Grundschule Brackel", "", "  "])
    landmarks = load_landmarks(tmp_path)
    assert landmarks.loc[landmarks["kind"] == "school", "name"].tolist() == ["Grundschule Brackel"]


def test_landmarks_of_an_empty_folder_are_empty(tmp_path):
    landmarks = load_landmarks(tmp_path)
    assert landmarks.empty
    assert list(landmarks.columns) == ["name", "kind", "geometry"]
    assert landmarks.crs == "EPSG:4326"
