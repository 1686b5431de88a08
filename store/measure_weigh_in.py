"""Residents weigh in on proposed measures: supports and pre-moderated comments, and
the comment phase planners open and close per quarter (schema 0010).

Supports and comments are taken only while the measure is open to discussion and its
quarter's comment phase is open (rules.measure_weigh_in). A comment waits for a
moderator; released and hidden comments name who did it and when, and the audit log
keeps every moderation and every change of a phase, like the notes' moderation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rules.errors import N_, ValidationError
from rules.limits import REASON_TOO_LONG, check_length
from rules.measure_weigh_in import (
    COMMENT_HIDDEN,
    COMMENT_PENDING,
    COMMENT_RELEASED,
    check_open,
    check_phase_keeper,
    check_rate,
    clean_comment,
)
from rules.roles import Action, Actor
from rules.text import clean_text
from store.accounts import write_audit
from store.base import StoreBase
from store.db import Connection
from store.timestamps import from_stored, now_stored

MAX_REASON_CHARS = 300  # as for the notes' moderation


@dataclass(frozen=True, slots=True)
class WeighIn:
    """What residents said about one measure: supports and released comments."""

    supports: int
    comments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PendingComment:
    """A comment waiting for a moderator, with the measure it is about."""

    id: int
    measure_id: int
    measure_title: str
    quarter_id: str
    text: str
    created_at: datetime


def _open_measure(conn: Connection, measure_id: int) -> None:
    """Refuse unless the measure exists, is open to discussion and its quarter's
    comment phase is open."""
    found = conn.execute(
        "SELECT m.status, COALESCE(c.is_open, 0) FROM measures m"
        " LEFT JOIN comment_phases c ON c.quarter_id = m.quarter_id WHERE m.id = ?",
        (measure_id,),
    ).fetchone()
    if found is None:
        raise ValidationError(N_("There is no measure #{id}."), id=measure_id)
    check_open(str(found[0]), phase_open=bool(found[1]))


def _reason(reason: str) -> str:
    cleaned = clean_text(reason)
    if not cleaned:
        raise ValidationError(N_("Please give a reason."))
    check_length(cleaned, MAX_REASON_CHARS, REASON_TOO_LONG)
    return cleaned


def _comment_status(conn: Connection, comment_id: int) -> str:
    found = conn.execute(
        "SELECT status FROM measure_comments WHERE id = ?", (comment_id,)
    ).fetchone()
    if found is None:
        raise ValidationError(N_("There is no comment #{id}."), id=comment_id)
    return str(found[0])


def _count_supports(conn: Connection, measure_id: int) -> int:
    (count,) = conn.execute(
        "SELECT count(*) FROM measure_supports WHERE measure_id = ?", (measure_id,)
    ).fetchone()
    return int(count)


class MeasureWeighInStore(StoreBase):
    # --- residents -----------------------------------------------------------

    def support_measure(self, measure_id: int, participant: str) -> int:
        """Record "finde ich gut" from a participant, once each; returns the count."""
        if not participant:
            raise ValueError("'participant' must be a non-empty participation number")
        with self.db.write() as conn:
            _open_measure(conn, measure_id)
            conn.execute(
                "INSERT INTO measure_supports (measure_id, participant, created_at)"
                " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (measure_id, participant, now_stored()),
            )
            return _count_supports(conn, measure_id)

    def supports_measure(self, measure_id: int, participant: str) -> bool:
        """Whether this participant supports the measure already."""
        with self.db.read() as conn:
            found = conn.execute(
                "SELECT 1 FROM measure_supports WHERE measure_id = ? AND participant = ?",
                (measure_id, participant),
            ).fetchone()
        return found is not None

    def add_measure_comment(self, measure_id: int, participant: str, text: str) -> int:
        """Store a comment (cleaned, checked) for moderation; returns its id. The same
        text from the same participant on the same measure again (a double click, a
        retry) returns the first one's id instead of a second comment."""
        if not participant:
            raise ValueError("'participant' must be a non-empty participation number")
        cleaned = clean_comment(text)
        # Two sends of one participant take turns, so the second finds the first.
        with self.db.write(lock=f"measure_comments:{participant}") as conn:
            _open_measure(conn, measure_id)
            same = conn.execute(
                "SELECT id FROM measure_comments"
                " WHERE measure_id = ? AND participant = ? AND text = ?",
                (measure_id, participant, cleaned),
            ).fetchone()
            if same is not None:
                return int(same[0])
            (recent,) = conn.execute(
                "SELECT count(*) FROM measure_comments WHERE participant = ? AND created_at > ?",
                (participant, now_stored(ago=timedelta(hours=1))),
            ).fetchone()
            check_rate(int(recent))
            (comment_id,) = conn.execute(
                "INSERT INTO measure_comments (measure_id, participant, text, status, created_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (measure_id, participant, cleaned, COMMENT_PENDING, now_stored()),
            ).fetchone()
        return int(comment_id)

    def weigh_in(self, measure_ids: Sequence[int]) -> dict[int, WeighIn]:
        """Supports and released comments of these measures (every id present), the
        comments oldest first."""
        ids = list(dict.fromkeys(int(i) for i in measure_ids))
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        with self.db.read() as conn:
            supports = conn.execute(
                "SELECT measure_id, count(*) FROM measure_supports"
                f" WHERE measure_id IN ({marks}) GROUP BY measure_id",
                ids,
            ).fetchall()
            comments = conn.execute(
                "SELECT measure_id, text FROM measure_comments"
                f" WHERE measure_id IN ({marks}) AND status = ? ORDER BY id",
                (*ids, COMMENT_RELEASED),
            ).fetchall()
        counts = {int(m): int(n) for m, n in supports}
        said: dict[int, list[str]] = {i: [] for i in ids}
        for measure_id, text in comments:
            said[int(measure_id)].append(str(text))
        return {i: WeighIn(counts.get(i, 0), tuple(said[i])) for i in ids}

    # --- comment phase (planners) -------------------------------------------

    def set_comment_phase(self, quarter_id: str, is_open: bool, *, actor: Actor) -> None:
        """Open or close a quarter's comment phase (planners); audited."""
        check_phase_keeper(actor.role)
        self._require(actor)
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO comment_phases (quarter_id, is_open, changed_by, changed_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (quarter_id) DO UPDATE SET"
                " is_open = excluded.is_open, changed_by = excluded.changed_by,"
                " changed_at = excluded.changed_at",
                (quarter_id, int(is_open), actor.name, now_stored()),
            )
            write_audit(
                conn,
                actor=actor.name,
                action="comment_phase.open" if is_open else "comment_phase.close",
                target=quarter_id,
            )

    def is_comment_phase_open(self, quarter_id: str) -> bool:
        """Whether residents may weigh in on the quarter's measures (closed until a
        planner opens it)."""
        return self.comment_phases().get(quarter_id, False)

    def comment_phases(self) -> dict[str, bool]:
        """Every quarter a planner has opened or closed the phase of -> open now."""
        with self.db.read() as conn:
            rows = conn.execute("SELECT quarter_id, is_open FROM comment_phases").fetchall()
        return {str(q): bool(o) for q, o in rows}

    # --- moderators ----------------------------------------------------------

    def pending_comments(self, *, actor: Actor) -> list[PendingComment]:
        """Comments waiting for release, oldest first, with their measure's title."""
        self._require(actor, Action.MODERATE)
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT c.id, c.measure_id, m.title, m.quarter_id, c.text, c.created_at"
                " FROM measure_comments c JOIN measures m ON m.id = c.measure_id"
                " WHERE c.status = ? ORDER BY c.id",
                (COMMENT_PENDING,),
            ).fetchall()
        return [
            PendingComment(
                id=int(r[0]),
                measure_id=int(r[1]),
                measure_title=str(r[2]),
                quarter_id=str(r[3]),
                text=str(r[4]),
                created_at=from_stored(r[5]),
            )
            for r in rows
        ]

    def release_comment(self, comment_id: int, *, actor: Actor) -> None:
        """Show a waiting comment to everyone; audited. A comment moderated already
        (by someone else, a moment ago) is refused with a plain message."""
        self._require(actor, Action.MODERATE)
        with self.db.write(lock=f"measure_comment:{comment_id}") as conn:
            if _comment_status(conn, comment_id) != COMMENT_PENDING:
                raise ValidationError(N_("This comment has been moderated already."))
            self._moderate(conn, comment_id, COMMENT_RELEASED, actor, None)
            write_audit(conn, actor=actor.name, action="comment.release", target=str(comment_id))

    def hide_comment(self, comment_id: int, *, actor: Actor, reason: str) -> None:
        """Hide a comment (waiting or released) with a reason; audited."""
        self._require(actor, Action.MODERATE)
        why = _reason(reason)
        with self.db.write(lock=f"measure_comment:{comment_id}") as conn:
            if _comment_status(conn, comment_id) == COMMENT_HIDDEN:
                raise ValidationError(N_("This comment has been moderated already."))
            self._moderate(conn, comment_id, COMMENT_HIDDEN, actor, why)
            write_audit(
                conn, actor=actor.name, action="comment.hide", target=str(comment_id), reason=why
            )

    @staticmethod
    def _moderate(
        conn: Connection, comment_id: int, status: str, actor: Actor, reason: str | None
    ) -> None:
        conn.execute(
            "UPDATE measure_comments SET status = ?, hidden_reason = ?, moderated_by = ?,"
            " moderated_at = ? WHERE id = ?",
            (status, reason, actor.name, now_stored(), comment_id),
        )
