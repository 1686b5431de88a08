"""The released photos of notes, shown wherever the notes are.

Only released photos are shown here, always through the app's own address
/foto/<id>.jpg (ui/web_app.py), which answers for released photos alone; moderators
see waiting photos in their queue (ui/moderation_photos.py), never through it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import streamlit as st

from formats.photos import HEIC_READABLE
from rules.errors import StoreError
from store import Store
from ui.i18n import error_text, t

# What the upload field offers to choose (the content is checked on the server).
PHOTO_TYPES: list[str] = ["jpg", "jpeg", "png", *(["heic", "heif"] if HEIC_READABLE else [])]
THUMB_HEIGHT_PX = 96


def photo_address(photo_id: int) -> str:
    """Where a browser fetches a released photo."""
    return f"/foto/{int(photo_id)}.jpg"


def _thumbs(photo_ids: Sequence[int], alt: str) -> str:
    return "".join(
        f'<img src="{photo_address(i)}" alt="{escape(alt)}" loading="lazy"'
        f' height="{THUMB_HEIGHT_PX}" style="height:{THUMB_HEIGHT_PX}px;width:auto;'
        f'max-width:100%;border-radius:4px;object-fit:cover">'
        for i in photo_ids
    )


def photo_strip(photo_ids: Sequence[int], *, note_number: int) -> None:
    """One note's released photos in a row (nothing if it has none)."""
    if not photo_ids:
        return
    alt = t("Photo with note {number}", number=note_number)
    st.html(f'<div style="display:flex;flex-wrap:wrap;gap:8px">{_thumbs(photo_ids, alt)}</div>')


def released_photo_ids(store: Store, pin_ids: Sequence[int]) -> Mapping[int, list[int]]:
    """The released photos' ids by note; none (with a warning) if the store fails."""
    try:
        return store.released_photo_ids(pin_ids)
    except StoreError as exc:
        st.warning(error_text(exc))
        return {}


def released_photos(store: Store, pin_ids: Sequence[int]) -> None:
    """The released photos of these notes, small, each with its note's number."""
    by_note = released_photo_ids(store, pin_ids)
    if not by_note:
        return
    figures: list[str] = []
    for pin_id in sorted(by_note):
        caption = escape(t("Note {number}", number=pin_id))
        alt = t("Photo with note {number}", number=pin_id)
        figures.extend(
            '<figure style="margin:0">'
            f"{_thumbs([photo_id], alt)}"
            f'<figcaption style="font-size:0.875rem">{caption}</figcaption></figure>'
            for photo_id in by_note[pin_id]
        )
    st.html(f'<div style="display:flex;flex-wrap:wrap;gap:12px">{"".join(figures)}</div>')
