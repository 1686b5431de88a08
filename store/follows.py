"""Residents who follow their note by e-mail (schema 0010): the address apart from the
note, confirmed by a link, and every mail sent remembered; and a note taken back by the
device that saved it, within minutes (rules.follows).

An address lives in `follows` only: until it is confirmed (CONFIRM_WITHIN), until its
person unsubscribes, until every measure linked to the note is done or rejected (after
that mail), or until retention deletes the note's text (`forget_follows_before`).
`follow_mails` holds one row per (address, measure, status) mailed: a mail is claimed
there before it is sent, so two app processes never send it twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rules.errors import N_, ValidationError
from rules.follows import (
    CONFIRM_WITHIN,
    FINAL_STATUSES,
    GONE,
    MAX_FOLLOWERS_PER_PIN,
    NoteFacts,
    WithdrawRefusedError,
    check_withdraw,
    clean_email,
    withdraw_deadline,
)
from store.accounts import write_audit
from store.base import StoreBase
from store.db import Connection
from store.timestamps import from_stored, now_stored, to_stored

# Who the audit log names for a note withdrawn by its author: no account (a colon no
# user name can hold), and not the participation number either.
RESIDENT = "resident:author"
_FINAL = ", ".join(f"'{status}'" for status in sorted(FINAL_STATUSES))


@dataclass(frozen=True, slots=True)
class Follow:
    """One address following one note."""

    id: int
    pin_id: int
    email: str
    token: str
    created_at: datetime
    confirmed_at: datetime | None


@dataclass(frozen=True, slots=True)
class DueMail:
    """A mail owed to a confirmed follower: a linked measure reached a new status."""

    follow_id: int
    pin_id: int
    email: str
    token: str
    measure_id: int
    measure_title: str
    status: str
    status_reason: str
    last: bool  # every measure linked to the note is done or rejected: the last mail


_FOLLOW_COLUMNS = "id, pin_id, email, token, created_at, confirmed_at"


def _follow(row: Sequence[Any]) -> Follow:
    follow_id, pin_id, email, token, created_at, confirmed_at = row
    return Follow(
        id=int(follow_id),
        pin_id=int(pin_id),
        email=str(email),
        token=str(token),
        created_at=from_stored(created_at),
        confirmed_at=from_stored(confirmed_at) if confirmed_at else None,
    )


def _note_facts(conn: Connection, pin_id: int) -> NoteFacts | None:
    row = conn.execute(
        "SELECT p.participant, p.created_at,"
        " EXISTS (SELECT 1 FROM measure_pins mp WHERE mp.pin_id = p.id),"
        " p.hidden_reason IS NOT NULL OR p.merged_into IS NOT NULL"
        " OR EXISTS (SELECT 1 FROM pins o WHERE o.merged_into = p.id)"
        " FROM pins p WHERE p.id = ?",
        (pin_id,),
    ).fetchone()
    if row is None:
        return None
    owner, created_at, in_a_measure, moderated = row
    return NoteFacts(
        owner=str(owner),
        created_at=from_stored(created_at),
        in_a_measure=bool(in_a_measure),
        moderated=bool(moderated),
    )


def _delete_follows(conn: Connection, where: str, params: Sequence[Any]) -> int:
    """Delete the follows matching `where` (on `follows`) with the mails sent to them."""
    conn.execute(
        f"DELETE FROM follow_mails WHERE follow_id IN (SELECT id FROM follows WHERE {where})",
        params,
    )
    return int(conn.execute(f"DELETE FROM follows WHERE {where}", params).rowcount)


def _forget_unconfirmed(conn: Connection, now: datetime) -> None:
    """Addresses nobody confirmed within CONFIRM_WITHIN go (the mail promises it)."""
    _delete_follows(
        conn, "confirmed_at IS NULL AND created_at < ?", (to_stored(now - CONFIRM_WITHIN),)
    )


def forget_follows_before(conn: Connection, cutoff: str) -> int:
    """Inside retention's transaction: delete every address following a note made
    before `cutoff` (stored time), with its mails; how many addresses went."""
    return _delete_follows(conn, "pin_id IN (SELECT id FROM pins WHERE created_at < ?)", (cutoff,))


class FollowStore(StoreBase):
    # --- taking a note back ---------------------------------------------------

    def withdraw_pin(self, pin_id: int, participant: str, *, now: datetime | None = None) -> None:
        """Delete a note at its author's wish: the device that saved it (`participant`),
        within rules.follows.WITHDRAW_WINDOW, while no measure and no moderation has
        taken it up. The note and everything on it (supports, reports, photos,
        followers and their mails) go in one transaction; the audit log keeps that it
        happened, without text or participation number. Refusals say why in plain
        words (WithdrawRefusedError)."""
        moment = now or datetime.now(UTC)
        with self.db.write(lock=f"pin:{pin_id}") as conn:
            facts = _note_facts(conn, pin_id)
            if facts is None:
                raise WithdrawRefusedError(GONE)
            check_withdraw(facts, participant, moment)
            (quarter_id,) = conn.execute(
                "SELECT quarter_id FROM pins WHERE id = ?", (pin_id,)
            ).fetchone()
            _delete_follows(conn, "pin_id = ?", (pin_id,))
            for table in ("pin_photos", "supports", "flags"):
                conn.execute(f"DELETE FROM {table} WHERE pin_id = ?", (pin_id,))
            conn.execute("DELETE FROM pins WHERE id = ?", (pin_id,))
            write_audit(
                conn,
                actor=RESIDENT,
                action="pin.withdraw",
                target=str(pin_id),
                detail=f"quarter {quarter_id}",
            )

    def is_author(self, pin_id: int, participant: str) -> bool:
        """Whether the device with this participation number saved the note."""
        if not participant:
            return False  # staff transcriptions have no participant
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT 1 FROM pins WHERE id = ? AND participant = ?", (pin_id, participant)
            ).fetchone()
        return row is not None

    def withdrawable_until(self, pin_id: int, participant: str) -> datetime | None:
        """Until when `participant` may withdraw the note (None: not theirs, gone, or
        taken up already). The time itself is not checked: compare with now."""
        with self.db.read() as conn:
            facts = _note_facts(conn, pin_id)
        if facts is None:
            return None
        try:
            check_withdraw(facts, participant, facts.created_at)
        except WithdrawRefusedError:
            return None
        return withdraw_deadline(facts.created_at)

    # --- following a note ----------------------------------------------------

    def add_follow(
        self, pin_id: int, email: str, participant: str, *, now: datetime | None = None
    ) -> Follow:
        """Ask for mails about a note, as the device that saved it; returns the (not yet
        confirmed) follow, whose token the confirmation link carries. The same address
        for the same note again returns the follow stored first."""
        address = clean_email(email)
        moment = now or datetime.now(UTC)
        with self.db.write(lock=f"follows:{pin_id}") as conn:
            _forget_unconfirmed(conn, moment)
            facts = _note_facts(conn, pin_id)
            if facts is None:
                raise ValidationError(GONE)
            if not participant or facts.owner != participant:
                raise ValidationError(
                    N_("Only the device that saved a note can ask for mails about it.")
                )
            found = conn.execute(
                f"SELECT {_FOLLOW_COLUMNS} FROM follows WHERE pin_id = ? ORDER BY id",
                (pin_id,),
            ).fetchall()
            same = [row for row in found if str(row[2]).casefold() == address.casefold()]
            if same:
                return _follow(same[0])
            if len(found) >= MAX_FOLLOWERS_PER_PIN:
                raise ValidationError(
                    N_("At most {limit} addresses can follow one note."),
                    limit=MAX_FOLLOWERS_PER_PIN,
                )
            row = conn.execute(
                "INSERT INTO follows (pin_id, email, token, created_at) VALUES (?, ?, ?, ?)"
                f" RETURNING {_FOLLOW_COLUMNS}",
                (pin_id, address, secrets.token_urlsafe(24), to_stored(moment)),
            ).fetchone()
        return _follow(row)

    def confirm_follow(self, token: str, *, now: datetime | None = None) -> Follow | None:
        """Confirm an address by its link's token (again: no change); None for a token
        unknown, or of an address not confirmed in time (then deleted)."""
        moment = now or datetime.now(UTC)
        with self.db.write() as conn:
            _forget_unconfirmed(conn, moment)
            conn.execute(
                "UPDATE follows SET confirmed_at = ? WHERE token = ? AND confirmed_at IS NULL",
                (to_stored(moment), token),
            )
            row = conn.execute(
                f"SELECT {_FOLLOW_COLUMNS} FROM follows WHERE token = ?", (token,)
            ).fetchone()
        return None if row is None else _follow(row)

    def unfollow(self, token: str) -> int | None:
        """Delete the address of this token (one click in every mail), with its mails;
        the note's number, or None if there was none (any more)."""
        with self.db.write() as conn:
            row = conn.execute("SELECT pin_id FROM follows WHERE token = ?", (token,)).fetchone()
            if row is None:
                return None
            _delete_follows(conn, "token = ?", (token,))
        return int(row[0])

    def follows_of(self, pin_id: int) -> list[Follow]:
        """The addresses following a note, confirmed or not, oldest first."""
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT {_FOLLOW_COLUMNS} FROM follows WHERE pin_id = ? ORDER BY id", (pin_id,)
            ).fetchall()
        return [_follow(row) for row in rows]

    # --- mails -------------------------------------------------------------

    def due_follow_mails(self, measure_id: int) -> list[DueMail]:
        """The mails owed for the measure's present status: to every confirmed follower
        of a linked note who has not had it, when the status was reached no earlier
        than the address was confirmed (in the same millisecond: rather one mail too
        many than one missed)."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT f.id, f.pin_id, f.email, f.token, m.id, m.title, m.status,"
                " coalesce(m.status_reason, ''),"
                " NOT EXISTS (SELECT 1 FROM measure_pins o JOIN measures om"
                f"  ON om.id = o.measure_id WHERE o.pin_id = f.pin_id"
                f"  AND om.status NOT IN ({_FINAL}))"
                " FROM measures m"
                " JOIN measure_pins mp ON mp.measure_id = m.id"
                " JOIN follows f ON f.pin_id = mp.pin_id"
                " WHERE m.id = ? AND f.confirmed_at IS NOT NULL"
                " AND NOT EXISTS (SELECT 1 FROM follow_mails s WHERE s.follow_id = f.id"
                "  AND s.measure_id = m.id AND s.status = m.status)"
                " AND (SELECT max(h.at) FROM measure_history h"
                "  WHERE h.measure_id = m.id AND h.to_status = m.status) >= f.confirmed_at"
                " ORDER BY f.id",
                (measure_id,),
            ).fetchall()
        return [
            DueMail(
                follow_id=int(r[0]),
                pin_id=int(r[1]),
                email=str(r[2]),
                token=str(r[3]),
                measure_id=int(r[4]),
                measure_title=str(r[5]),
                status=str(r[6]),
                status_reason=str(r[7]),
                last=bool(r[8]),
            )
            for r in rows
        ]

    def claim_follow_mail(self, mail: DueMail) -> bool:
        """Note the mail as sent, before sending it: False if it was claimed already
        (by another process), or its address is gone meanwhile."""
        with self.db.write() as conn:
            row = conn.execute(
                "INSERT INTO follow_mails (follow_id, measure_id, status, sent_at)"
                " SELECT id, ?, ?, ? FROM follows WHERE id = ?"
                " ON CONFLICT DO NOTHING RETURNING follow_id",
                (mail.measure_id, mail.status, now_stored(), mail.follow_id),
            ).fetchone()
        return row is not None

    def unclaim_follow_mail(self, mail: DueMail) -> None:
        """The mail could not be sent: owed again (to the next call for the measure)."""
        with self.db.write() as conn:
            conn.execute(
                "DELETE FROM follow_mails WHERE follow_id = ? AND measure_id = ? AND status = ?",
                (mail.follow_id, mail.measure_id, mail.status),
            )

    def end_finished_follows(self, measure_id: int) -> int:
        """Delete the addresses following the measure's notes whose every linked
        measure is done or rejected (called after their last mail); how many went."""
        with self.db.write() as conn:
            return _delete_follows(
                conn,
                "pin_id IN (SELECT pin_id FROM measure_pins WHERE measure_id = ?)"
                " AND NOT EXISTS (SELECT 1 FROM measure_pins o JOIN measures om"
                "  ON om.id = o.measure_id WHERE o.pin_id = follows.pin_id"
                f"  AND om.status NOT IN ({_FINAL}))",
                (measure_id,),
            )
