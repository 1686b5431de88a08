"""Photos with a note: uploads made safe before anything is kept, and a moderator's
blurring of an area (formats.photos does the image work, the store keeps the result)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from formats.photos import blur_region, prepare_photo
from rules.errors import ValidationError
from rules.photos import BlurBox, PhotoImage, check_photo_count
from rules.roles import Actor
from store import Store


@dataclass(frozen=True, slots=True)
class Upload:
    """One file as a person chose it: its name (shown back to them only) and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class PreparedUploads:
    """The uploads made clean JPEGs, and the ones refused with the reason, by name."""

    photos: tuple[PhotoImage, ...]
    refused: tuple[tuple[str, ValidationError], ...]


def prepare_uploads(uploads: Sequence[Upload]) -> PreparedUploads:
    """Every upload through formats.prepare_photo; ValidationError (before any is
    decoded) if there are more than a note may hold.

    >>> prepare_uploads([])
    PreparedUploads(photos=(), refused=())
    """
    check_photo_count(len(uploads))
    photos: list[PhotoImage] = []
    refused: list[tuple[str, ValidationError]] = []
    for upload in uploads:
        try:
            photos.append(prepare_photo(upload.data))
        except ValidationError as exc:
            refused.append((upload.name, exc))
    return PreparedUploads(photos=tuple(photos), refused=tuple(refused))


def blur_photo(store: Store, photo_id: int, box: BlurBox, *, actor: Actor) -> PhotoImage:
    """Blur `box` of a photo waiting for release, in the store (the original is gone);
    the new photo."""
    blurred = blur_region(store.photo_image(photo_id, actor=actor), box)
    detail = f"blurred {box.left_px},{box.top_px}-{box.right_px},{box.bottom_px}"
    store.replace_photo(photo_id, blurred, actor=actor, detail=detail)
    return blurred
