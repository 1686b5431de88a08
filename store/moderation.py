"""Moderation: release, edit, hide, merge, flags, retention; all audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from rules.errors import N_, ValidationError
from rules.limits import REASON_TOO_LONG, TEXT_TOO_LONG, check_length
from rules.pins import TEXT_NONE, TEXT_PENDING, TEXT_RELEASED, Pin
from rules.roles import Action, Actor
from rules.text import clean_text
from rules.vocab import TEXT_MAX_CHARS
from store.accounts import write_audit
from store.base import StoreBase
from store.db import Connection
from store.follows import forget_follows_before
from store.pins import PIN_SELECT, VISIBLE, row_to_pin
from store.timestamps import from_stored, now_stored, to_stored

MAX_REASON_CHARS = 300


@dataclass(frozen=True, slots=True)
class Flag:
    id: int
    pin_id: int
    reason: str
    created_at: datetime
    status: str


def _reason(reason: str, *, required: bool = True) -> str:
    cleaned = clean_text(reason)
    if required and not cleaned:
        raise ValidationError(N_("Please give a reason."))
    check_length(cleaned, MAX_REASON_CHARS, REASON_TOO_LONG)
    return cleaned


def _existing_pin(conn: Connection, pin_id: int) -> None:
    if conn.execute("SELECT 1 FROM pins WHERE id = ?", (pin_id,)).fetchone() is None:
        raise ValidationError(N_("There is no note #{pin_id}."), pin_id=pin_id)


def _visible_pin(conn: Connection, pin_id: int) -> None:
    if conn.execute(f"SELECT 1 FROM pins p WHERE p.id = ? AND {VISIBLE}", (pin_id,)).fetchone():
        return
    raise ValidationError(N_("This note is no longer on the map."))


def _pending_where(
    quarter_id: str | None, session_id: int | None
) -> tuple[str, tuple[object, ...]]:
    where = f"p.text_status = ? AND {VISIBLE}"
    params: list[Any] = [TEXT_PENDING]
    if quarter_id is not None:
        where, params = f"{where} AND p.quarter_id = ?", [*params, quarter_id]
    if session_id is not None:
        where, params = f"{where} AND p.session_id = ?", [*params, session_id]
    return where, tuple(params)


def _release(conn: Connection, pin_id: int, actor: Actor) -> None:
    conn.execute(
        "UPDATE pins SET text_status = ? WHERE id = ? AND text <> ''", (TEXT_RELEASED, pin_id)
    )
    write_audit(conn, actor=actor.name, action="text.release", target=str(pin_id))


class ModerationStore(StoreBase):
    # --- anyone -------------------------------------------------------------

    def flag_pin(self, pin_id: int, reason: str, *, participant: str = "") -> int:
        """Anyone may flag a pin; the flag goes to the moderators' queue (no auto-hiding).

        A participant reports a pin once: a second report returns the first one's id.
        """
        text = _reason(reason)
        with self.db.write() as conn:
            _visible_pin(conn, pin_id)
            row = conn.execute(
                "INSERT INTO flags (pin_id, reason, created_at, participant) VALUES (?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING id",
                (pin_id, text, now_stored(), participant),
            ).fetchone()
            if row is None:
                row = conn.execute(
                    "SELECT id FROM flags WHERE pin_id = ? AND participant = ?",
                    (pin_id, participant),
                ).fetchone()
        return int(row[0])

    # --- moderators ----------------------------------------------------------

    def pending_texts(
        self,
        *,
        actor: Actor,
        quarter_id: str | None = None,
        session_id: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Pin]:
        """Pins whose text waits for release, oldest first; optionally of one quarter or
        one lab, and one page of them (`limit` from `offset`)."""
        self._require(actor, Action.MODERATE)
        where, params = _pending_where(quarter_id, session_id)
        page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        with self.db.read() as conn:
            rows = conn.execute(f"{PIN_SELECT} WHERE {where} ORDER BY p.id{page}", params)
            return [row_to_pin(row) for row in rows.fetchall()]

    def count_pending_texts(
        self, *, actor: Actor, quarter_id: str | None = None, session_id: int | None = None
    ) -> int:
        """How many texts wait for release (with the same filters as pending_texts)."""
        self._require(actor, Action.MODERATE)
        where, params = _pending_where(quarter_id, session_id)
        with self.db.read() as conn:
            (count,) = conn.execute(f"SELECT count(*) FROM pins p WHERE {where}", params).fetchone()
        return int(count)

    def pending_quarters(self, *, actor: Actor) -> list[str]:
        """The quarters that have texts waiting for release."""
        return [str(q) for q in self._pending_distinct("p.quarter_id", actor, None)]

    def pending_labs(self, *, actor: Actor, quarter_id: str | None = None) -> list[int]:
        """The lab sessions (ids) that have texts waiting for release."""
        return [int(s) for s in self._pending_distinct("p.session_id", actor, quarter_id) if s]

    def _pending_distinct(self, column: str, actor: Actor, quarter_id: str | None) -> list[Any]:
        self._require(actor, Action.MODERATE)
        where, params = _pending_where(quarter_id, None)
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT DISTINCT {column} FROM pins p WHERE {where} ORDER BY 1", params
            ).fetchall()
        return [row[0] for row in rows]

    def open_flags(self, *, actor: Actor) -> list[Flag]:
        self._require(actor, Action.MODERATE)
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT id, pin_id, reason, created_at, status FROM flags"
                " WHERE status = 'open' ORDER BY id"
            ).fetchall()
        return [
            Flag(
                id=r[0],
                pin_id=r[1],
                reason=r[2],
                created_at=from_stored(r[3]),
                status=r[4],
            )
            for r in rows
        ]

    def release_text(self, pin_id: int, *, actor: Actor) -> None:
        self._require(actor, Action.MODERATE)
        with self.db.write() as conn:
            _existing_pin(conn, pin_id)
            _release(conn, pin_id, actor)

    def release_texts(self, pin_ids: list[int], *, actor: Actor) -> int:
        """Release several texts in one transaction (each audited); how many were
        waiting. Ids no longer waiting (released by someone else) are left alone."""
        self._require(actor, Action.MODERATE)
        released = 0
        with self.db.write() as conn:
            for pin_id in dict.fromkeys(pin_ids):
                row = conn.execute(
                    "SELECT 1 FROM pins WHERE id = ? AND text_status = ?", (pin_id, TEXT_PENDING)
                ).fetchone()
                if row is not None:
                    _release(conn, pin_id, actor)
                    released += 1
        return released

    def edit_text(self, pin_id: int, text: str, *, actor: Actor, reason: str) -> None:
        """Replace a text (e.g. to remove personal data) and release the edited text."""
        self._require(actor, Action.MODERATE)
        why = _reason(reason)
        new_text = clean_text(text)
        check_length(new_text, TEXT_MAX_CHARS, TEXT_TOO_LONG)
        with self.db.write() as conn:
            _existing_pin(conn, pin_id)
            conn.execute(
                "UPDATE pins SET text = ?, text_status = ? WHERE id = ?",
                (new_text, TEXT_RELEASED if new_text else TEXT_NONE, pin_id),
            )
            write_audit(conn, actor=actor.name, action="text.edit", target=str(pin_id), reason=why)

    def hide_pin(self, pin_id: int, *, actor: Actor, reason: str) -> None:
        self._require(actor, Action.MODERATE)
        why = _reason(reason)
        with self.db.write() as conn:
            _existing_pin(conn, pin_id)
            conn.execute("UPDATE pins SET hidden_reason = ? WHERE id = ?", (why, pin_id))
            write_audit(conn, actor=actor.name, action="pin.hide", target=str(pin_id), reason=why)

    def merge_pins(self, keep_id: int, duplicate_id: int, *, actor: Actor, reason: str) -> int:
        """Fold a duplicate into another pin: its supports, and its author as one more
        support, carry over; the duplicate leaves the map. Returns the new support count."""
        self._require(actor, Action.MODERATE)
        why = _reason(reason)
        if keep_id == duplicate_id:
            raise ValidationError(N_("A note cannot be merged with itself."))
        with self.db.write(lock="pins:merge") as conn:  # two merges take turns
            _visible_pin(conn, keep_id)
            _visible_pin(conn, duplicate_id)
            quarters = conn.execute(
                "SELECT count(DISTINCT quarter_id) FROM pins WHERE id IN (?, ?)",
                (keep_id, duplicate_id),
            ).fetchone()[0]
            if quarters != 1:
                raise ValidationError(N_("Only notes of the same quarter can be merged."))
            conn.execute(
                "INSERT INTO supports (pin_id, participant, created_at)"
                " SELECT ?, participant, created_at FROM supports WHERE pin_id = ?"
                " ON CONFLICT DO NOTHING",
                (keep_id, duplicate_id),
            )
            conn.execute(
                "INSERT INTO supports (pin_id, participant, created_at)"
                " SELECT ?, CASE WHEN participant = ''"
                " THEN 'pin:' || CAST(id AS TEXT) ELSE participant END, ?"
                " FROM pins WHERE id = ? ON CONFLICT DO NOTHING",
                (keep_id, now_stored(), duplicate_id),
            )
            conn.execute("DELETE FROM supports WHERE pin_id = ?", (duplicate_id,))
            conn.execute("UPDATE pins SET merged_into = ? WHERE id = ?", (keep_id, duplicate_id))
            write_audit(
                conn,
                actor=actor.name,
                action="pin.merge",
                target=str(duplicate_id),
                detail=f"into {keep_id}",
                reason=why,
            )
            (count,) = conn.execute(
                "SELECT count(*) FROM supports WHERE pin_id = ?", (keep_id,)
            ).fetchone()
        return int(count)

    def hide_reported(self, flag_id: int, *, actor: Actor, reason: str) -> None:
        """Hide a reported pin and close its report in one transaction."""
        self._require(actor, Action.MODERATE)
        why = _reason(reason)
        with self.db.write() as conn:
            found = conn.execute("SELECT pin_id FROM flags WHERE id = ?", (flag_id,)).fetchone()
            if found is None:
                raise ValidationError(N_("There is no report #{flag_id}."), flag_id=flag_id)
            conn.execute("UPDATE pins SET hidden_reason = ? WHERE id = ?", (why, found[0]))
            conn.execute(
                "UPDATE flags SET status = 'done', resolved_by = ?, resolved_at = ? WHERE id = ?",
                (actor.name, now_stored(), flag_id),
            )
            write_audit(
                conn,
                actor=actor.name,
                action="pin.hide",
                target=str(found[0]),
                detail=f"report {flag_id}",
                reason=why,
            )

    def resolve_flag(self, flag_id: int, *, actor: Actor, note: str = "") -> None:
        self._require(actor, Action.MODERATE)
        with self.db.write() as conn:
            changed = conn.execute(
                "UPDATE flags SET status = 'done', resolved_by = ?, resolved_at = ? WHERE id = ?",
                (actor.name, now_stored(), flag_id),
            ).rowcount
            if not changed:
                raise ValidationError(N_("There is no report #{flag_id}."), flag_id=flag_id)
            write_audit(
                conn,
                actor=actor.name,
                action="flag.resolve",
                target=str(flag_id),
                reason=_reason(note, required=False),
            )

    # --- retention ----------------------------------------------------------

    def purge_texts(self, *, before: datetime, actor: Actor) -> int:
        """Delete the free text (and the photos) of pins created before `before`, the
        comments on measures written before it, and what linked one tab's notes,
        supports and reports to each other (the tab's random id);
        category, place, time, support counts and everything else stay. Returns how many texts
        went."""
        self._require(actor, Action.PURGE_TEXTS)
        cutoff = to_stored(before)
        with self.db.write() as conn:
            cursor = conn.execute(
                "UPDATE pins SET text = '', text_status = ? WHERE created_at < ? AND text <> ''",
                (TEXT_NONE, cutoff),
            )
            conn.execute(
                "UPDATE pins SET participant = '' WHERE created_at < ? AND participant <> ''",
                (cutoff,),
            )
            _unlink_participants(conn, "supports", cutoff)
            _unlink_participants(conn, "flags", cutoff)
            # Residents' comments on measures are texts too; their supports lose the tab.
            comments = conn.execute(
                "DELETE FROM measure_comments WHERE created_at < ?", (cutoff,)
            ).rowcount
            _unlink_participants(conn, "measure_supports", cutoff)
            forget_follows_before(conn, cutoff)  # the addresses following those notes
            # Photos go with the texts: of the same pins, and of any pin no longer there.
            photos = conn.execute(
                "DELETE FROM pin_photos WHERE pin_id IN (SELECT id FROM pins WHERE created_at < ?)"
                " OR pin_id NOT IN (SELECT id FROM pins)",
                (cutoff,),
            ).rowcount
            write_audit(
                conn,
                actor=actor.name,
                action="retention.purge_texts",
                target=f"before {cutoff}",
                detail=f"{cursor.rowcount} texts, {photos} photos, {comments} comments",
            )
        return int(cursor.rowcount)


_UNLINKED = "gone:"


# Per table: the row's owner (a pin or a measure) and the moment that dates the row.
_LINKS: Final = {
    "supports": ("pin_id", "(SELECT p.created_at FROM pins p WHERE p.id = t.pin_id)"),
    "flags": ("pin_id", "(SELECT p.created_at FROM pins p WHERE p.id = t.pin_id)"),
    "measure_supports": ("measure_id", "t.created_at"),
}


def _unlink_participants(conn: Connection, table: str, cutoff: str) -> None:
    """Replace the tab ids of `table`'s rows dated before `cutoff` (a note's supports
    and reports by the note's time, a measure's supports by their own) by a value of
    their own per owner: "once per note" (or measure) still holds, but nothing links
    one tab's rows on different notes any more. The key is random and dropped."""
    owner, made = _LINKS[table]
    key = secrets.token_bytes(32)
    rows = conn.execute(
        f"SELECT t.{owner}, t.participant FROM {table} t"
        f" WHERE {made} < ? AND t.participant <> '' AND t.participant NOT LIKE ?",
        (cutoff, f"{_UNLINKED}%"),
    ).fetchall()
    for owner_id, participant in rows:
        digest = hashlib.blake2b(f"{owner_id}:{participant}".encode(), key=key).hexdigest()
        conn.execute(
            f"UPDATE {table} SET participant = ? WHERE {owner} = ? AND participant = ?",
            (f"{_UNLINKED}{digest[:24]}", owner_id, participant),
        )
