"""Photos with a note, as people meet them: a participant adds photos in the note form,
a moderator looks at them, blurs an area and releases them, and only then does the
list of notes show them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from datapack.loading import load_districts
from rules.roles import Actor, Role
from store import SqliteStore
from tests.factories import hire_staff, make_draft
from tests.pages.apptest_helpers import (
    click_map,
    fill_form,
    join_lab,
    new_app,
    open_lab,
    open_page,
    submit,
    texts,
)
from tests.photo_samples import METADATA_MARKERS, clean_photo, phone_jpeg
from tests.store.sql import rows

BRACKEL = "320"
MODERATION = "pages/stadt/moderation.py"
MONA = Actor("mona", Role.MODERATOR)


@pytest.fixture(scope="module")
def brackel_point() -> tuple[float, float]:
    point = load_districts().geometry(BRACKEL).representative_point()
    return point.x, point.y


def _form_with_photos(
    store: SqliteStore, point: tuple[float, float], files: list[tuple[str, bytes, str]]
) -> AppTest:
    at = join_lab(new_app(), open_lab(store).join_code)
    click_map(at, *point)
    fill_form(at, category="dark", time_band="night")
    (uploader,) = at.file_uploader
    assert uploader.label == "Fotos (freiwillig, höchstens 3)"
    uploader.set_value(files)
    return submit(at)


def test_a_note_is_saved_with_its_photos_waiting_and_without_their_gps(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    files = [
        ("IMG_0001.JPG", phone_jpeg(), "image/jpeg"),
        ("b.jpg", phone_jpeg(90, 60), "image/jpeg"),
    ]
    at = _form_with_photos(pin_store, brackel_point, files)
    assert not at.exception
    assert texts(at.success) == [
        "Danke! Ihr Hinweis ist auf der Karte. Seine Fotos (und sein Text) werden gezeigt, "
        "sobald die Moderation sie angesehen hat."
    ]
    (pin,) = pin_store.pins_in_quarter(BRACKEL)
    assert pin_store.count_photos(pin.id) == 2
    stored = rows(pin_store, "SELECT image, width, height, status FROM pin_photos ORDER BY id")
    # Turned as the phone was held (orientation 6: 90° clockwise), then kept waiting.
    assert [row[1:] for row in stored] == [(200, 400, "pending"), (60, 90, "pending")]
    for image, *_ in stored:
        for marker in METADATA_MARKERS:
            assert marker not in bytes(image), marker
    # Not public until a moderator released them.
    assert pin_store.released_photo_ids([pin.id]) == {}


def test_a_file_that_is_no_photo_is_explained_and_nothing_is_saved(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    gif = io.BytesIO()
    Image.new("RGB", (20, 20)).save(gif, format="GIF")
    at = _form_with_photos(pin_store, brackel_point, [("urlaub.jpg", gif.getvalue(), "image/jpeg")])
    assert not at.exception
    assert texts(at.error) == [
        "Foto „urlaub\\.jpg“: Diese Datei ist kein Foto im Format JPEG, PNG oder HEIC."
    ]
    assert pin_store.pins_in_quarter(BRACKEL) == []
    # The form is still there, to remove the file and save again.
    assert [b for b in at.button if b.key and b.key.startswith("FormSubmitter:pin_form_")]


def test_more_than_three_photos_are_refused_before_anything_is_saved(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    files = [(f"{i}.png", _png(), "image/png") for i in range(4)]
    at = _form_with_photos(pin_store, brackel_point, files)
    assert texts(at.error) == ["Bitte höchstens 3 Fotos je Hinweis (gewählt: 4)."]
    assert pin_store.pins_in_quarter(BRACKEL) == []


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 10)).save(out, format="PNG")
    return out.getvalue()


def _waiting_photo(store: SqliteStore) -> tuple[int, int]:
    pin_id = store.add_pin(make_draft("w1", quarter_id=BRACKEL, participant="tab-a")).id
    (photo_id,) = store.add_photos(pin_id, [clean_photo(400, 300)], participant="tab-a")
    return pin_id, photo_id


def test_a_moderator_sees_a_waiting_photo_and_releases_it(pin_store: SqliteStore) -> None:
    pin_id, photo_id = _waiting_photo(pin_store)
    at = open_page(MODERATION, role=Role.MODERATOR, name="mona")
    assert "Fotos, die auf Freigabe warten (1)" in texts(at.subheader)
    assert any(f"Foto {photo_id} zu Hinweis Nr. {pin_id}" in m for m in texts(at.markdown))
    (image,) = at.get("image")
    assert image.proto.imgs[0].alt == f"Foto {photo_id}, wartet auf Freigabe"
    at.button(key=f"photo_release_{photo_id}").click().run()
    assert not at.exception
    assert released_ids(pin_store, pin_id) == [photo_id]
    assert "Fotos, die auf Freigabe warten (0)" in texts(at.subheader)


def released_ids(store: SqliteStore, pin_id: int) -> list[int]:
    return store.released_photo_ids([pin_id]).get(pin_id, [])


def test_a_moderator_blurs_an_area_before_release(pin_store: SqliteStore) -> None:
    pin_id, photo_id = _waiting_photo(pin_store)
    original = pin_store.photo_image(photo_id, actor=MONA)
    at = open_page(MODERATION, role=Role.MODERATOR, name="mona")
    at.toggle(key=f"photo_blur_{photo_id}").set_value(True).run()
    # Starts at the middle quarter; a preview shows the result before saving.
    box = [at.number_input(key=f"blur_{side}_{photo_id}").value for side in "ltrb"]
    assert box == [100, 75, 300, 225]
    at.number_input(key=f"blur_l_{photo_id}").set_value(0).run()
    assert len(at.get("image")) == 2  # the photo and its preview
    at.button(key=f"blur_save_{photo_id}").click().run()
    assert not at.exception
    assert pin_store.photo_image(photo_id, actor=MONA) != original
    (audit,) = rows(
        pin_store, "SELECT actor, detail FROM audit_log WHERE action = 'pin.photo_blur'"
    )
    assert audit == ("mona", "blurred 0,75-300,225")
    assert released_ids(pin_store, pin_id) == []  # still waiting: released separately


def test_a_wrong_way_round_area_is_explained(pin_store: SqliteStore) -> None:
    _pin_id, photo_id = _waiting_photo(pin_store)
    at = open_page(MODERATION, role=Role.MODERATOR, name="mona")
    at.toggle(key=f"photo_blur_{photo_id}").set_value(True).run()
    at.number_input(key=f"blur_r_{photo_id}").set_value(50).run()
    assert any("rechte Rand" in e for e in texts(at.error)), texts(at.error)


def test_the_list_of_notes_shows_released_photos_only(
    pin_store: SqliteStore, brackel_point: tuple[float, float]
) -> None:
    lab = open_lab(pin_store)
    lon, lat = brackel_point
    shown_id = pin_store.add_pin(
        make_draft("a", quarter_id=BRACKEL, lon=lon, lat=lat, session_id=lab.id, participant="p")
    ).id
    waiting_id = pin_store.add_pin(
        make_draft("b", quarter_id=BRACKEL, lon=lon, lat=lat, session_id=lab.id, participant="p")
    ).id
    (released,) = pin_store.add_photos(shown_id, [clean_photo()], participant="p")
    (waiting,) = pin_store.add_photos(waiting_id, [clean_photo()], participant="p")
    pin_store.release_photo(released, actor=MONA)
    at = join_lab(new_app(), lab.join_code)
    at.toggle(key="pin_list_shown").set_value(True).run()
    html = " ".join(str(h.value) for h in at.html)
    assert f'src="/foto/{released}.jpg"' in html
    assert f'alt="Foto zu Hinweis {shown_id}"' in html
    assert f"/foto/{waiting}.jpg" not in html


def test_the_planners_table_counts_each_notes_released_photos(demo_db: Path) -> None:
    at = open_page("pages/stadt/planer.py")
    store = SqliteStore(demo_db)
    hire_staff(store, (MONA,))
    ((pin_id, participant),) = rows(
        store, "SELECT id, participant FROM pins ORDER BY created_at DESC, id DESC LIMIT 1"
    )
    first, _second = store.add_photos(
        pin_id, [clean_photo(), clean_photo()], participant=participant
    )
    store.release_photo(first, actor=MONA)
    at.run()
    (table,) = [d.value for d in at.dataframe if "Fotos" in d.value.columns]
    assert table["Fotos"].sum() == 1  # the waiting one is not counted
    assert table["Fotos"].iloc[0] == 1


def _photos_of(pin_ids: list[int]) -> None:
    from ui import resources
    from ui.note_photos import released_photos

    released_photos(resources.store(), pin_ids)


def test_a_measures_notes_show_their_released_photos_with_their_numbers(
    pin_store: SqliteStore,
) -> None:
    shown_id, photo_id = _waiting_photo(pin_store)
    pin_store.release_photo(photo_id, actor=MONA)
    other_id = pin_store.add_pin(make_draft("o", quarter_id=BRACKEL, participant="tab-a")).id
    pin_store.add_photos(other_id, [clean_photo()], participant="tab-a")  # waiting
    at = AppTest.from_function(_photos_of, args=([shown_id, other_id],)).run()
    assert not at.exception
    (shown,) = [str(h.value) for h in at.html]
    assert f'src="/foto/{photo_id}.jpg"' in shown and f"Hinweis {shown_id}" in shown
    assert shown.count("<img") == 1
