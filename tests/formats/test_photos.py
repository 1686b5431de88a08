"""formats.photos: whatever a phone sends, a plain JPEG of the pixels comes out."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageStat

from formats.photos import HEIC_READABLE, blur_region, prepare_photo, scaled_copy, sniff_type
from rules.errors import ValidationError
from rules.photos import (
    MAX_LONG_SIDE_PX,
    MAX_UPLOAD_BYTES,
    PHOTO_EMPTY,
    PHOTO_TOO_LARGE,
    PHOTO_UNREADABLE,
    PHOTO_WRONG_TYPE,
    BlurBox,
)
from tests.photo_samples import METADATA_MARKERS, phone_jpeg, two_halves


def _open(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    image.load()
    return image


def test_the_sample_really_carries_gps_and_the_rest() -> None:
    sent = phone_jpeg()
    for marker in METADATA_MARKERS:
        assert marker in sent, marker
    assert _open(sent).getexif().get_ifd(0x8825)  # the GPS block


def test_nothing_but_the_pixels_leaves_a_phone_jpeg() -> None:
    kept = prepare_photo(phone_jpeg())
    for marker in METADATA_MARKERS:
        assert marker not in kept.jpeg, marker
    image = _open(kept.jpeg)
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert not image.getexif().get_ifd(0x8825)
    assert not {"exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp"} & set(image.info)
    applist = getattr(image, "applist", [])
    assert [marker for marker, _ in applist] == ["APP0"]  # the JFIF header alone


def test_the_photo_is_turned_as_the_camera_was_held_before_its_orientation_goes() -> None:
    kept = prepare_photo(phone_jpeg(400, 200, orientation=6))
    image = _open(kept.jpeg).convert("RGB")
    # 90° clockwise: the left half (red) is now on top.
    assert (kept.width_px, kept.height_px) == image.size == (200, 400)
    red, _green, blue = image.getpixel((100, 50))  # type: ignore[misc]
    assert red > 150 and blue < 100
    red, _green, blue = image.getpixel((100, 350))  # type: ignore[misc]
    assert blue > 150 and red < 100


@pytest.mark.parametrize(
    ("size", "kept"), [((4000, 3000), (1600, 1200)), ((900, 2400), (600, 1600))]
)
def test_the_long_side_is_at_most_1600_pixels(size: tuple[int, int], kept: tuple[int, int]) -> None:
    photo = prepare_photo(phone_jpeg(*size, orientation=1))
    assert (photo.width_px, photo.height_px) == kept == _open(photo.jpeg).size
    assert max(kept) == MAX_LONG_SIDE_PX


def test_a_small_photo_is_not_enlarged() -> None:
    photo = prepare_photo(phone_jpeg(320, 240, orientation=1))
    assert (photo.width_px, photo.height_px) == (320, 240)


def test_a_png_with_transparency_becomes_a_jpeg_on_white() -> None:
    image = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 20, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    photo = prepare_photo(out.getvalue())
    shown = _open(photo.jpeg).convert("RGB")
    assert shown.getpixel((35, 15)) >= (240, 240, 240)  # type: ignore[operator]
    assert shown.getpixel((5, 15))[2] > 200  # type: ignore[index]


def test_the_type_is_told_by_content_not_by_name() -> None:
    png = io.BytesIO()
    two_halves(20, 10).save(png, format="PNG")
    assert sniff_type(png.getvalue()) == "png"
    assert sniff_type(phone_jpeg()) == "jpeg"
    gif = io.BytesIO()
    two_halves(20, 10).save(gif, format="GIF")
    with pytest.raises(ValidationError) as caught:
        prepare_photo(gif.getvalue())
    assert caught.value.msgid == PHOTO_WRONG_TYPE
    with pytest.raises(ValidationError) as caught:
        prepare_photo(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert caught.value.msgid == PHOTO_WRONG_TYPE


@pytest.mark.parametrize(
    ("data", "msgid"),
    [
        (b"", PHOTO_EMPTY),
        (phone_jpeg()[:300], PHOTO_UNREADABLE),
        (b"\xff\xd8\xff" + b"\x00" * 500, PHOTO_UNREADABLE),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, PHOTO_UNREADABLE),
    ],
    ids=["empty", "cut-off", "jpeg-start-only", "png-start-only"],
)
def test_empty_and_broken_files_are_refused(data: bytes, msgid: str) -> None:
    with pytest.raises(ValidationError) as caught:
        prepare_photo(data)
    assert caught.value.msgid == msgid


def test_a_file_over_15_mb_is_refused_before_it_is_read() -> None:
    too_big = phone_jpeg() + b"\x00" * MAX_UPLOAD_BYTES
    with pytest.raises(ValidationError) as caught:
        prepare_photo(too_big)
    assert caught.value.msgid == PHOTO_TOO_LARGE
    assert caught.value.params["limit_mb"] == 15
    assert caught.value.params["size_mb"].startswith("15,")


def test_an_image_claiming_too_many_pixels_is_refused() -> None:
    # A valid PNG of 9,000 x 8,000 pixels (72 million): a small file, a huge image.
    out = io.BytesIO()
    Image.new("1", (9_000, 8_000)).save(out, format="PNG")
    with pytest.raises(ValidationError) as caught:
        prepare_photo(out.getvalue())
    assert caught.value.msgid == PHOTO_UNREADABLE


@pytest.mark.skipif(not HEIC_READABLE, reason="pillow-heif is not installed")
def test_an_iphone_heic_with_gps_comes_out_a_clean_jpeg() -> None:
    from PIL import ExifTags

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SQ-TestCam"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    out = io.BytesIO()
    two_halves(64, 32).save(out, format="HEIF", exif=exif.tobytes())
    assert sniff_type(out.getvalue()) == "heic"
    photo = prepare_photo(out.getvalue())
    assert b"Exif" not in photo.jpeg and b"SQ-TestCam" not in photo.jpeg
    assert _open(photo.jpeg).format == "JPEG" and (photo.width_px, photo.height_px) == (64, 32)


def _noisy_jpeg(width_px: int, height_px: int) -> bytes:
    image = Image.effect_noise((width_px, height_px), 80).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


def test_blurring_smooths_the_box_only_and_keeps_the_photo_clean() -> None:
    before = _open(_noisy_jpeg(300, 200)).convert("L")
    photo = blur_region(_noisy_jpeg(300, 200), BlurBox(50, 40, 170, 160))
    after = _open(photo.jpeg).convert("L")
    assert (photo.width_px, photo.height_px) == after.size == (300, 200)
    inside_before = ImageStat.Stat(before.crop((60, 50, 160, 150))).stddev[0]
    inside_after = ImageStat.Stat(after.crop((60, 50, 160, 150))).stddev[0]
    outside_after = ImageStat.Stat(after.crop((200, 0, 300, 200))).stddev[0]
    assert inside_after < inside_before / 8
    assert outside_after > inside_before / 2
    assert b"Exif" not in photo.jpeg


def test_a_box_reaching_out_of_the_photo_is_cut_to_it() -> None:
    photo = blur_region(_noisy_jpeg(100, 80), BlurBox(60, 40, 500, 500))
    assert (photo.width_px, photo.height_px) == (100, 80)


@pytest.mark.parametrize(
    "box",
    [BlurBox(200, 0, 300, 50), BlurBox(50, 50, 40, 60), BlurBox(10, 10, 10, 20)],
    ids=["outside", "right-of-left", "empty"],
)
def test_a_box_outside_or_the_wrong_way_round_is_refused(box: BlurBox) -> None:
    with pytest.raises(ValidationError):
        blur_region(_noisy_jpeg(100, 80), box)


def test_a_copy_for_the_screen_is_smaller_and_a_small_photo_stays_as_it_is() -> None:
    photo = prepare_photo(phone_jpeg(1600, 1200, orientation=1))
    shown = _open(scaled_copy(photo.jpeg, long_side_px=640))
    assert shown.size == (640, 480)
    small = prepare_photo(phone_jpeg(320, 240, orientation=1))
    assert scaled_copy(small.jpeg, long_side_px=640) == small.jpeg
