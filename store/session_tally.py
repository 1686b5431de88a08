"""One lab session's tally for the screen in the hall: whether it is open, its notes on
the map and the supports ("me too") those notes have, read in one query.

Notes count as the map shows them: a note the moderation hid or merged into another is
not counted (a merge carries its supports over to the note it joined).
"""

from __future__ import annotations

from dataclasses import dataclass

from store.base import StoreBase
from store.pins import VISIBLE


@dataclass(frozen=True, slots=True)
class SessionTally:
    is_open: bool
    notes: int
    supports: int


_TALLY_SQL = (
    "SELECT s.status,"
    f" (SELECT count(*) FROM pins p WHERE p.session_id = s.id AND {VISIBLE}),"
    " (SELECT count(*) FROM supports u JOIN pins p ON p.id = u.pin_id"
    f"  WHERE p.session_id = s.id AND {VISIBLE})"
    " FROM lab_sessions s WHERE s.id = ?"
)


class SessionTallyStore(StoreBase):
    def session_tally(self, session_id: int) -> SessionTally | None:
        """The session's status and counts; None for a session that does not exist.

        Counts only, no texts and no places: nothing here identifies a participant.
        """
        with self.db.read() as conn:
            row = conn.execute(_TALLY_SQL, (session_id,)).fetchone()
        if row is None:
            return None
        status, notes, supports = row
        return SessionTally(is_open=status == "open", notes=int(notes), supports=int(supports))
