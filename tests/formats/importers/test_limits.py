"""Limits every importer shares: size, empty files, file types and hostile zips."""

from __future__ import annotations

import pytest

from formats.importers import ImportFileError, read_layer
from formats.importers.archive import unpacked_limit_bytes
from rules.layer_meta import IMPORTER_TYPES
from tests.formats.importers.helpers import (
    BRACKEL,
    MB,
    csv_bytes,
    feature,
    fixture_bytes,
    geojson,
    mark_encrypted,
    point,
    understate_sizes,
    zip_bomb,
    zip_bytes,
)

GOOD_CSV = csv_bytes([["lat", "lon"], [BRACKEL[1], BRACKEL[0]]], sep=",")


@pytest.mark.parametrize("layer_type", IMPORTER_TYPES)
def test_a_file_over_the_size_limit_is_refused_before_parsing(layer_type, city):
    data = b"{ this is not even JSON " + b" " * 2000
    with pytest.raises(ImportFileError, match=r"at most .* MB can be imported") as info:
        read_layer(data, filename="big.geojson", layer_type=layer_type, city=city, max_bytes=1000)
    assert info.value.params["size_bytes"] == len(data)
    assert info.value.params["limit_bytes"] == 1000


def test_a_file_of_exactly_the_limit_is_read(city):
    data = fixture_bytes("places.geojson")
    preview = read_layer(
        data, filename="places.geojson", layer_type="vector", city=city, max_bytes=len(data)
    )
    assert len(preview.frame) == 4


@pytest.mark.parametrize("layer_type", IMPORTER_TYPES)
@pytest.mark.parametrize("data", [b"", b"  \r\n\t "], ids=["zero-bytes", "whitespace"])
def test_an_empty_file_is_refused(layer_type, data, city):
    with pytest.raises(ImportFileError, match=r"^The file empty\.csv is empty\.$"):
        read_layer(data, filename="empty.csv", layer_type=layer_type, city=city)


@pytest.mark.parametrize(
    ("filename", "data"),
    [("plan.xlsx", b"PK-less spreadsheet bytes"), ("notes", b"just some words")],
)
def test_an_unknown_file_type_is_refused_with_the_types_it_takes(filename, data, city):
    with pytest.raises(ImportFileError, match="is not supported") as info:
        read_layer(data, filename=filename, layer_type="vector", city=city)
    assert ".geojson" in info.value.params["formats"]


@pytest.mark.parametrize("suffix", [".shp", ".dbf", ".shx"])
def test_a_lone_shapefile_part_asks_for_a_zip(suffix, city):
    with pytest.raises(ImportFileError, match=r"upload them together as one zip"):
        read_layer(b"\x00\x00\x27\x0a", filename=f"lampen{suffix}", layer_type="lamps", city=city)


# --- zips ----------------------------------------------------------------------------


@pytest.mark.parametrize("layer_type", IMPORTER_TYPES)
def test_a_zip_bomb_is_refused_from_its_declared_size(layer_type, city, tmp_path):
    data = zip_bomb(tmp_path / "bomb.zip", member="stops.txt", unpacked_mb=12)
    assert len(data) < 20_000  # 12 MB of zeros deflate to a few kilobytes
    with pytest.raises(ImportFileError, match=r"would unpack to 12\.0 MB, far more than") as info:
        read_layer(data, filename="bomb.zip", layer_type=layer_type, city=city, max_bytes=MB)
    assert info.value.params["limit_mb"] == 10.0


def test_a_zip_bomb_is_refused_at_the_default_limit_of_200_mb(city, tmp_path):
    data = zip_bomb(tmp_path / "bomb.zip", member="unfaelle.csv", unpacked_mb=201)
    assert len(data) < 1 * MB
    assert unpacked_limit_bytes(50 * MB) == 200 * MB
    with pytest.raises(ImportFileError, match=r"would unpack to 201\.0 MB") as info:
        read_layer(data, filename="bomb.zip", layer_type="accidents", city=city)
    assert info.value.params["limit_mb"] == 200.0


def test_a_zip_that_understates_its_sizes_is_refused_when_read(city, tmp_path):
    honest = zip_bomb(tmp_path / "liar.zip", member="places.csv", unpacked_mb=3, head=GOOD_CSV)
    liar = understate_sizes(honest, declared=len(GOOD_CSV))
    with pytest.raises(ImportFileError, match="is not a readable zip file"):
        read_layer(liar, filename="liar.zip", layer_type="vector", city=city, max_bytes=MB)


@pytest.mark.parametrize(
    "member", ["../escape.csv", "/etc/escape.csv", "C:/escape.csv", "data/../../escape.csv"]
)
def test_a_zip_member_with_an_unsafe_name_is_refused(member, city, tmp_path):
    data = zip_bytes({member: GOOD_CSV})
    with pytest.raises(ImportFileError, match="contains an unsafe file name") as info:
        read_layer(data, filename="evil.zip", layer_type="vector", city=city)
    assert info.value.params["member"] == member
    assert not (tmp_path.parent / "escape.csv").exists()


def test_a_broken_zip_is_refused(city):
    data = zip_bytes({"places.csv": GOOD_CSV})[:-30]
    with pytest.raises(ImportFileError, match=r"evil\.zip is not a readable zip file"):
        read_layer(data, filename="evil.zip", layer_type="vector", city=city)


def test_an_encrypted_zip_is_refused(city):
    data = mark_encrypted(zip_bytes({"places.csv": GOOD_CSV}))
    with pytest.raises(ImportFileError, match="is password-protected"):
        read_layer(data, filename="secret.zip", layer_type="vector", city=city)


def test_a_zip_with_too_many_members_is_refused(city):
    data = zip_bytes({f"part{i}.txt": b"" for i in range(1001)}, level=1)
    with pytest.raises(ImportFileError, match=r"holds 1001 files; at most 1000"):
        read_layer(data, filename="many.zip", layer_type="vector", city=city)


def test_a_zip_inside_a_zip_is_refused(city):
    inner = zip_bytes({"places.csv": GOOD_CSV})
    with pytest.raises(ImportFileError, match="holds another zip"):
        read_layer(
            zip_bytes({"inner.zip": inner, "readme.csv": inner}),
            filename="outer.zip",
            layer_type="vector",
            city=city,
        )


def test_a_zip_without_anything_to_import_names_what_it_holds(city):
    data = zip_bytes({"readme.txt": b"hello", "photo.jpg": b"\xff\xd8"})
    with pytest.raises(ImportFileError, match=r"holds no .* It contains: readme\.txt") as info:
        read_layer(data, filename="misc.zip", layer_type="lamps", city=city)
    assert info.value.params["found"] == ("readme.txt", "photo.jpg")
    assert "shapefile (.shp)" in info.value.params["expected"]


def test_a_zip_with_several_files_asks_for_one(city):
    data = zip_bytes({"a.csv": GOOD_CSV, "b.geojson": geojson([feature(point(*BRACKEL))])})
    with pytest.raises(ImportFileError, match="holds several files to import") as info:
        read_layer(data, filename="two.zip", layer_type="vector", city=city)
    assert info.value.params["found"] == ("b.geojson", "a.csv")


@pytest.mark.parametrize("layer_type", ["vector", "lamps"])
def test_a_zip_with_one_file_is_read_like_that_file(layer_type, city):
    data = zip_bytes({"__MACOSX/._places.csv": b"junk", "export/places.csv": GOOD_CSV})
    preview = read_layer(data, filename="export.zip", layer_type=layer_type, city=city)
    assert len(preview.frame) == 1
