"""The moderators' queue of photos: each waiting photo shown here (from the store, never
through the public address), released, hidden, or with an area blurred first."""

from __future__ import annotations

from functools import partial
from math import ceil

import streamlit as st

from formats.photos import blur_region, scaled_copy
from geo.districts import DistrictPack
from rules.errors import SQError
from rules.local_time import local
from rules.photos import BlurBox
from rules.pins import Pin
from rules.roles import Actor
from services.note_photos import blur_photo
from store import Store
from store.photos import PinPhoto
from ui import labels
from ui.i18n import error_text, t
from ui.moderation_action import act, release_or_hide
from ui.moderation_places import quarter_names

PHOTO_PAGE_SIZE = 10
# Shown this large at most (smaller on a phone): the box is given in the photo's own pixels.
SHOWN_LONG_SIDE_PX = 480


def photo_queue(store: Store, actor: Actor, pack: DistrictPack) -> None:
    """Photos waiting for release, a page at a time, oldest first."""
    total = store.count_pending_photos(actor=actor)
    st.subheader(t("Photos waiting for release ({count})", count=total))
    if total == 0:
        st.caption(t("No photo is waiting."))
        return
    pages = max(1, ceil(total / PHOTO_PAGE_SIZE))
    page = 1
    if pages > 1:
        page = int(
            st.number_input(
                t("Page of photos (of {pages})", pages=pages),
                min_value=1,
                max_value=pages,
                step=1,
                key="photo_page",
            )
        )
    photos = store.pending_photos(
        actor=actor, limit=PHOTO_PAGE_SIZE, offset=(page - 1) * PHOTO_PAGE_SIZE
    )
    names = quarter_names(pack)
    for photo in photos:
        pin = store.pin(photo.pin_id)
        _photo_item(store, actor, photo, pin, names)


def _photo_item(
    store: Store, actor: Actor, photo: PinPhoto, pin: Pin | None, names: dict[str, str]
) -> None:
    with st.container(border=True):
        if pin is not None:
            quarter = names.get(pin.quarter_id, pin.quarter_id)
            st.markdown(
                t(
                    "**Photo {photo} of note No. {number}** · {category}",
                    photo=photo.id,
                    number=pin.id,
                    category=labels.category(pin.category),
                )
            )
            st.caption(f"{quarter} · {local(photo.created_at):%d.%m.%Y %H:%M}")
        try:
            image = store.photo_image(photo.id, actor=actor)
        except SQError as exc:
            st.error(error_text(exc))
            return
        st.image(
            scaled_copy(image, long_side_px=SHOWN_LONG_SIDE_PX),
            width="content",
            alt=t("Photo {photo} waiting for release", photo=photo.id),
        )
        st.caption(
            t(
                "{width} × {height} pixels, without location or camera data",
                width=photo.width_px,
                height=photo.height_px,
            )
        )
        release_or_hide(
            "photo_",
            photo.id,
            release=(t("Release photo"), partial(store.release_photo, photo.id, actor=actor)),
            hide=(
                t("Hide photo"),
                t("Hide this photo"),
                partial(store.hide_photo, photo.id, actor=actor),
            ),
        )
        # A toggle, not an expander: the preview is worked out only when asked for.
        if st.toggle(t("Blur an area (a face, a number plate)"), key=f"photo_blur_{photo.id}"):
            _blur_form(store, actor, photo, image)


def _default_box(photo: PinPhoto) -> BlurBox:
    """The middle quarter of the photo, to move from."""
    width, height = photo.width_px, photo.height_px
    return BlurBox(width // 4, height // 4, 3 * width // 4, 3 * height // 4)


def _blur_form(store: Store, actor: Actor, photo: PinPhoto, image: bytes) -> None:
    st.caption(
        t(
            "The area in pixels from the photo's top left corner ({width} × {height}). "
            "The blurred photo replaces the original; release it afterwards.",
            width=photo.width_px,
            height=photo.height_px,
        )
    )
    start = _default_box(photo)
    columns = st.columns(4)
    sides = (
        ("l", t("Left"), start.left_px, photo.width_px),
        ("t", t("Top"), start.top_px, photo.height_px),
        ("r", t("Right"), start.right_px, photo.width_px),
        ("b", t("Bottom"), start.bottom_px, photo.height_px),
    )
    left, top, right, bottom = (
        column.number_input(
            label, min_value=0, max_value=limit, value=value, step=10, key=f"blur_{side}_{photo.id}"
        )
        for column, (side, label, value, limit) in zip(columns, sides, strict=True)
    )
    box = BlurBox(int(left), int(top), int(right), int(bottom))
    try:
        preview = blur_region(image, box)
    except SQError as exc:
        st.error(error_text(exc))
        return
    st.image(
        scaled_copy(preview.jpeg, long_side_px=SHOWN_LONG_SIDE_PX),
        width="content",
        caption=t("Preview"),
        alt=t("Preview of photo {photo} with the area blurred", photo=photo.id),
    )
    if st.button(t("Save the blurred photo"), key=f"blur_save_{photo.id}"):
        act(partial(blur_photo, store, photo.id, box, actor=actor))
