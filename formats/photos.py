"""Photos residents add to a note, made safe to keep and to show.

Whatever comes in (a phone's JPEG with GPS in its EXIF, a PNG, an iPhone's HEIC), what
goes out is a new JPEG of the pixels only: turned the way the camera said it was held
(the orientation is applied first, then dropped), at most MAX_LONG_SIDE_PX on its long
side, in sRGB, and without any metadata (no EXIF, GPS, maker notes, XMP, ICC profile or
comment). The type is told from the file's first bytes, never from its name.

>>> prepare_photo(b"")
Traceback (most recent call last):
...
rules.errors.ValidationError: This file is empty.
"""

from __future__ import annotations

import importlib.util
import io
import struct
from typing import Final

from PIL import Image, ImageCms, ImageFilter, ImageOps

from rules.errors import ValidationError
from rules.photos import (
    MAX_LONG_SIDE_PX,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
    PHOTO_EMPTY,
    PHOTO_TOO_LARGE,
    PHOTO_UNREADABLE,
    PHOTO_WRONG_TYPE,
    BlurBox,
    PhotoImage,
)

# HEIC (iPhones) through pillow-heif, a dependency; JPEG and PNG also without it.
HEIC_READABLE: Final = importlib.util.find_spec("pillow_heif") is not None
if HEIC_READABLE:
    from pillow_heif import register_heif_opener

    register_heif_opener()

JPEG_QUALITY: Final = 85
# A phone's largest photos have about 50 million pixels; more is refused before decoding
# (a small file can claim a huge image).
MAX_PIXELS: Final = 64_000_000
# HEIF brands of still images (ISO/IEC 23008-12) at bytes 8-12 of the "ftyp" box.
_HEIF_BRANDS: Final = frozenset({b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1"})
# What a damaged file or a garbled EXIF block raises while it is decoded and turned.
_BROKEN: Final = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    struct.error,
    Image.DecompressionBombError,
)
# Pillow's format names per type found in the first bytes.
_PILLOW_FORMATS: Final = {"jpeg": ("JPEG",), "png": ("PNG",), "heic": ("HEIF",)}


def sniff_type(data: bytes) -> str | None:
    """The type the file's first bytes say: "jpeg", "png", "heic", or None for any other.

    >>> sniff_type(b"\\x89PNG\\r\\n\\x1a\\n....")
    'png'
    >>> sniff_type(b"GIF89a") is None
    True
    """
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heic"
    return None


def prepare_photo(data: bytes) -> PhotoImage:
    """An upload as a clean JPEG (see the module's docstring); ValidationError if it is
    empty, too large, no JPEG, PNG or HEIC (by content), or cannot be decoded."""
    if not data:
        raise ValidationError(PHOTO_EMPTY)
    if len(data) > MAX_UPLOAD_BYTES:
        size_mb = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(PHOTO_TOO_LARGE, size_mb=size_mb, limit_mb=MAX_UPLOAD_MB)
    kind = sniff_type(data)
    if kind is None or (kind == "heic" and not HEIC_READABLE):
        raise ValidationError(PHOTO_WRONG_TYPE)
    try:
        with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[kind]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(PHOTO_UNREADABLE)
            # A JPEG decodes straight at a half, quarter or eighth of its size when
            # that is still at least the size kept: much less memory and time.
            image.draft("RGB", _kept_size(image.width, image.height))
            upright = ImageOps.exif_transpose(image)
            pixels = _srgb(upright)
    except ValidationError:
        raise
    except _BROKEN as exc:
        raise ValidationError(PHOTO_UNREADABLE) from exc
    pixels.thumbnail((MAX_LONG_SIDE_PX, MAX_LONG_SIDE_PX), Image.Resampling.LANCZOS)
    return _clean_jpeg(pixels)


def _kept_size(width_px: int, height_px: int) -> tuple[int, int]:
    """The size a photo is kept at (its long side at most MAX_LONG_SIDE_PX)."""
    scale = min(1.0, MAX_LONG_SIDE_PX / max(width_px, height_px, 1))
    return max(1, round(width_px * scale)), max(1, round(height_px * scale))


def blur_region(jpeg: bytes, box: BlurBox) -> PhotoImage:
    """The photo with the area in `box` (image pixels, cut to the photo) blurred beyond
    recognition (a face, a number plate), as a clean JPEG; ValidationError if the box
    lies outside the photo."""
    try:
        with Image.open(io.BytesIO(jpeg), formats=("JPEG",)) as image:
            pixels = image.convert("RGB")
    except _BROKEN as exc:
        raise ValidationError(PHOTO_UNREADABLE) from exc
    cut = box.within(pixels.width, pixels.height)
    area = (cut.left_px, cut.top_px, cut.right_px, cut.bottom_px)
    region = pixels.crop(area)
    # Strong enough that no feature survives: a quarter of the area's shorter side,
    # first coarsened so the blur cannot be undone from smooth gradients.
    shorter_px = min(region.width, region.height)
    coarse = region.resize(
        (max(1, region.width // 12), max(1, region.height // 12)), Image.Resampling.BILINEAR
    ).resize(region.size, Image.Resampling.BILINEAR)
    blurred = coarse.filter(ImageFilter.GaussianBlur(radius=max(6.0, shorter_px / 4)))
    pixels.paste(blurred, area[:2])
    return _clean_jpeg(pixels)


def scaled_copy(jpeg: bytes, *, long_side_px: int) -> bytes:
    """A stored photo made smaller for the screen (at most `long_side_px` on its long
    side; a smaller one as it is)."""
    with Image.open(io.BytesIO(jpeg), formats=("JPEG",)) as image:
        if max(image.size) <= long_side_px:
            return jpeg
        pixels = image.convert("RGB")
    pixels.thumbnail((long_side_px, long_side_px), Image.Resampling.LANCZOS)
    return _clean_jpeg(pixels).jpeg


def _srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB: a photo's own colour profile (an iPhone's Display P3) is
    applied, transparency laid on white."""
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba).convert("RGB")
    if profile and image.mode in ("RGB", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # a broken profile: the pixels as they are
        if converted is not None:
            return converted
    return image.convert("RGB")


def _clean_jpeg(image: Image.Image) -> PhotoImage:
    """A new image of the pixels alone (nothing of the original's `info` travels with
    it), as a JPEG."""
    fresh = Image.frombytes("RGB", image.size, image.convert("RGB").tobytes())
    out = io.BytesIO()
    fresh.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return PhotoImage(jpeg=out.getvalue(), width_px=fresh.width, height_px=fresh.height)
