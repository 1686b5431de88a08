"""Photos with a note: how many, how large, what becomes of them, and the box a
moderator blurs.

A photo is pre-moderated like a note's text: pending until a moderator releases it
(or hides it); only released photos are public. What a photo holds besides its
pixels (the camera's EXIF with GPS, XMP, comments) never reaches the store:
formats.photos makes every upload a plain JPEG first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from rules.errors import N_, ValidationError

MAX_PHOTOS_PER_NOTE: Final = 3
MAX_UPLOAD_MB: Final = 15  # per file, as uploaded
MAX_UPLOAD_BYTES: Final = MAX_UPLOAD_MB * 1024 * 1024
MAX_LONG_SIDE_PX: Final = 1600  # what is kept and shown

PHOTO_PENDING: Final = "pending"
PHOTO_RELEASED: Final = "released"
PHOTO_HIDDEN: Final = "hidden"
PHOTO_STATUSES: Final = (PHOTO_PENDING, PHOTO_RELEASED, PHOTO_HIDDEN)
# The one rule of who sees a photo: everyone, only once a moderator released it.
PUBLIC_PHOTO_STATUSES: Final = frozenset({PHOTO_RELEASED})

PHOTO_WRONG_TYPE: Final = N_("This file is not a photo in JPEG, PNG or HEIC format.")
PHOTO_TOO_LARGE: Final = N_("This photo is {size_mb} MB large; at most {limit_mb} MB are allowed.")
PHOTO_UNREADABLE: Final = N_("This photo cannot be read; the file may be damaged.")
PHOTO_EMPTY: Final = N_("This file is empty.")
TOO_MANY_PHOTOS: Final = N_("At most {limit} photos per note, please ({count} were chosen).")


@dataclass(frozen=True, slots=True)
class PhotoImage:
    """A photo made safe to keep (formats.photos): a JPEG without metadata, and its
    size in pixels."""

    jpeg: bytes
    width_px: int
    height_px: int


@dataclass(frozen=True, slots=True)
class BlurBox:
    """A rectangle of a photo, in image pixels from its top left corner; right and
    bottom are exclusive, as in Pillow's boxes."""

    left_px: int
    top_px: int
    right_px: int
    bottom_px: int

    def within(self, width_px: int, height_px: int) -> BlurBox:
        """The box cut to an image of this size; ValidationError if nothing is left
        or the box is given the wrong way round."""
        if self.right_px <= self.left_px or self.bottom_px <= self.top_px:
            raise ValidationError(
                N_(
                    "The area to blur must have its right edge right of its left edge and its "
                    "bottom below its top."
                )
            )
        cut = BlurBox(
            max(0, self.left_px),
            max(0, self.top_px),
            min(width_px, self.right_px),
            min(height_px, self.bottom_px),
        )
        if cut.right_px <= cut.left_px or cut.bottom_px <= cut.top_px:
            raise ValidationError(
                N_("The area to blur lies outside the photo ({width} × {height} pixels)."),
                width=width_px,
                height=height_px,
            )
        return cut


def check_photo_count(count: int, *, already: int = 0) -> None:
    """ValidationError if a note would hold more than MAX_PHOTOS_PER_NOTE photos."""
    if already + count > MAX_PHOTOS_PER_NOTE:
        raise ValidationError(TOO_MANY_PHOTOS, limit=MAX_PHOTOS_PER_NOTE, count=already + count)
