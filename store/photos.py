"""Photos of notes (schema 0010): stored in the database, so every app process sees
them; pre-moderated, public only once released.

Only clean JPEGs come here (rules.photos.PhotoImage, made by formats.photos). Anyone
may read a released photo of a note still on the map; moderators see the waiting
ones, release, hide or blur them, each step audited ("pin.photo_…": a release or a
hiding changes pins_version, so the maps' popups are drawn anew). Retention deletes
photos with the texts (store.moderation.purge_texts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from rules.errors import N_, ValidationError
from rules.photos import (
    PHOTO_HIDDEN,
    PHOTO_PENDING,
    PHOTO_RELEASED,
    PhotoImage,
    check_photo_count,
)
from rules.roles import Action, Actor
from store.accounts import write_audit
from store.base import StoreBase
from store.db import Connection
from store.moderation import _reason
from store.pins import VISIBLE
from store.timestamps import from_stored, now_stored

_FIELDS: Final = "ph.id, ph.pin_id, ph.width, ph.height, ph.status, ph.created_at"
_FROM_VISIBLE: Final = f" FROM pin_photos ph JOIN pins p ON p.id = ph.pin_id WHERE {VISIBLE}"
_IDS_PER_QUERY: Final = 500  # more notes than this: all photos read, then picked


@dataclass(frozen=True, slots=True)
class PinPhoto:
    """One stored photo of a note (without its bytes: photo_image, released_photo)."""

    id: int
    pin_id: int
    width_px: int
    height_px: int
    status: str
    created_at: datetime


def _row_to_photo(row: Sequence[Any]) -> PinPhoto:
    return PinPhoto(
        id=int(row[0]),
        pin_id=int(row[1]),
        width_px=int(row[2]),
        height_px=int(row[3]),
        status=str(row[4]),
        created_at=from_stored(row[5]),
    )


def _photo_row(conn: Connection, photo_id: int) -> tuple[Any, ...]:
    row = conn.execute(
        f"SELECT {_FIELDS} FROM pin_photos ph WHERE ph.id = ?", (photo_id,)
    ).fetchone()
    if row is None:
        raise ValidationError(N_("There is no photo #{photo_id}."), photo_id=photo_id)
    return tuple(row)


class PhotoStore(StoreBase):
    # --- the note's author ----------------------------------------------------

    def add_photos(
        self, pin_id: int, photos: Sequence[PhotoImage], *, participant: str
    ) -> list[int]:
        """Keep the photos of a note just saved, waiting for a moderator; their ids.

        Only whoever made the note adds photos to it (`participant` as stored with the
        note: staff transcribing a paper map pass ""), at most
        rules.photos.MAX_PHOTOS_PER_NOTE in all; the note must be on the map."""
        if not photos:
            return []
        with self.db.write(lock=f"pin_photos:{pin_id}") as conn:
            found = conn.execute(
                f"SELECT p.participant FROM pins p WHERE p.id = ? AND {VISIBLE}", (pin_id,)
            ).fetchone()
            if found is None:
                raise ValidationError(N_("This note is no longer on the map."))
            if str(found[0] or "") != participant:
                raise ValidationError(N_("Photos can only be added to your own note."))
            (already,) = conn.execute(
                "SELECT count(*) FROM pin_photos WHERE pin_id = ?", (pin_id,)
            ).fetchone()
            check_photo_count(len(photos), already=int(already))
            created_at = now_stored()
            ids = []
            for photo in photos:
                row = conn.execute(
                    "INSERT INTO pin_photos (pin_id, image, width, height, status, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    (
                        pin_id,
                        photo.jpeg,
                        photo.width_px,
                        photo.height_px,
                        PHOTO_PENDING,
                        created_at,
                    ),
                ).fetchone()
                ids.append(int(row[0]))
        return ids

    def count_photos(self, pin_id: int) -> int:
        """How many photos a note has, whatever their status (a number only: a saving
        repeated after a double click adds its photos once)."""
        with self.db.read() as conn:
            (count,) = conn.execute(
                "SELECT count(*) FROM pin_photos WHERE pin_id = ?", (pin_id,)
            ).fetchone()
        return int(count)

    # --- anyone -------------------------------------------------------------

    def released_photo(self, photo_id: int) -> bytes | None:
        """The JPEG of a released photo whose note is on the map; None otherwise (also
        for a photo waiting, hidden or gone: the public cannot tell which)."""
        with self.db.read() as conn:
            row = conn.execute(
                f"SELECT ph.image{_FROM_VISIBLE} AND ph.id = ? AND ph.status = ?",
                (photo_id, PHOTO_RELEASED),
            ).fetchone()
        return None if row is None else bytes(row[0])

    def released_photos_of(self, pin_ids: Iterable[int]) -> dict[int, list[PinPhoto]]:
        """The released photos of these notes (those still on the map), oldest first,
        by note; notes without any are left out."""
        return self._photos_of(pin_ids, (PHOTO_RELEASED,))

    def released_photo_ids(self, pin_ids: Iterable[int]) -> dict[int, list[int]]:
        """released_photos_of as photo ids alone (what a map's popup needs)."""
        return {
            pin_id: [photo.id for photo in photos]
            for pin_id, photos in self.released_photos_of(pin_ids).items()
        }

    def photos_of(
        self, pin_ids: Iterable[int], *, actor: Actor, statuses: Sequence[str]
    ) -> dict[int, list[PinPhoto]]:
        """The photos of these notes in any of `statuses`; moderators only (others
        read released_photos_of)."""
        self._require(actor, Action.MODERATE)
        return self._photos_of(pin_ids, tuple(statuses))

    def _photos_of(
        self, pin_ids: Iterable[int], statuses: tuple[str, ...]
    ) -> dict[int, list[PinPhoto]]:
        found: dict[int, list[PinPhoto]] = {}
        wanted = {int(i) for i in pin_ids}
        if not statuses or not wanted:
            return found
        status_marks = ", ".join("?" * len(statuses))
        sql = f"SELECT {_FIELDS}{_FROM_VISIBLE} AND ph.status IN ({status_marks})"
        with self.db.read() as conn:
            if len(wanted) > _IDS_PER_QUERY:
                # Photos are few beside notes: all of them, then only the wanted notes'.
                rows = conn.execute(f"{sql} ORDER BY ph.id", statuses).fetchall()
            else:
                id_marks = ", ".join("?" * len(wanted))
                rows = conn.execute(
                    f"{sql} AND ph.pin_id IN ({id_marks}) ORDER BY ph.id",
                    (*statuses, *sorted(wanted)),
                ).fetchall()
        for row in rows:
            photo = _row_to_photo(row)
            if photo.pin_id in wanted:
                found.setdefault(photo.pin_id, []).append(photo)
        return found

    # --- moderators -----------------------------------------------------------

    def count_pending_photos(self, *, actor: Actor) -> int:
        self._require(actor, Action.MODERATE)
        with self.db.read() as conn:
            (count,) = conn.execute(
                f"SELECT count(*){_FROM_VISIBLE} AND ph.status = ?", (PHOTO_PENDING,)
            ).fetchone()
        return int(count)

    def pending_photos(
        self, *, actor: Actor, limit: int | None = None, offset: int = 0
    ) -> list[PinPhoto]:
        """Photos waiting for release (of notes on the map), oldest first; one page of
        them with `limit`."""
        self._require(actor, Action.MODERATE)
        page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT {_FIELDS}{_FROM_VISIBLE} AND ph.status = ? ORDER BY ph.id{page}",
                (PHOTO_PENDING,),
            ).fetchall()
        return [_row_to_photo(row) for row in rows]

    def photo_image(self, photo_id: int, *, actor: Actor) -> bytes:
        """A photo's JPEG whatever its status, for a moderator's eyes only."""
        self._require(actor, Action.MODERATE)
        with self.db.read() as conn:
            row = conn.execute("SELECT image FROM pin_photos WHERE id = ?", (photo_id,)).fetchone()
        if row is None:
            raise ValidationError(N_("There is no photo #{photo_id}."), photo_id=photo_id)
        return bytes(row[0])

    def release_photo(self, photo_id: int, *, actor: Actor) -> None:
        self._require(actor, Action.MODERATE)
        with self.db.write() as conn:
            _photo_row(conn, photo_id)
            conn.execute(
                "UPDATE pin_photos SET status = ?, moderated_by = ?, moderated_at = ? WHERE id = ?",
                (PHOTO_RELEASED, actor.name, now_stored(), photo_id),
            )
            write_audit(conn, actor=actor.name, action="pin.photo_release", target=str(photo_id))

    def hide_photo(self, photo_id: int, *, actor: Actor, reason: str) -> None:
        """Keep a photo from the public (waiting or released already), with a reason."""
        self._require(actor, Action.MODERATE)
        why = _reason(reason)
        with self.db.write() as conn:
            _photo_row(conn, photo_id)
            conn.execute(
                "UPDATE pin_photos SET status = ?, moderated_by = ?, moderated_at = ? WHERE id = ?",
                (PHOTO_HIDDEN, actor.name, now_stored(), photo_id),
            )
            write_audit(
                conn, actor=actor.name, action="pin.photo_hide", target=str(photo_id), reason=why
            )

    def replace_photo(
        self, photo_id: int, photo: PhotoImage, *, actor: Actor, detail: str = ""
    ) -> None:
        """Put an edited version (formats.photos.blur_region) in place of a photo still
        waiting for release; the original is gone. `detail` says what was done."""
        self._require(actor, Action.MODERATE)
        with self.db.write() as conn:
            row = _photo_row(conn, photo_id)
            if row[4] != PHOTO_PENDING:
                raise ValidationError(N_("Only a photo waiting for release can be changed."))
            conn.execute(
                "UPDATE pin_photos SET image = ?, width = ?, height = ? WHERE id = ?",
                (photo.jpeg, photo.width_px, photo.height_px, photo_id),
            )
            write_audit(
                conn,
                actor=actor.name,
                action="pin.photo_blur",
                target=str(photo_id),
                detail=detail,
            )
