"""Residents per statistical district: imported by planners, audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rules.population import Residents
from rules.roles import Action, Actor
from store.accounts import write_audit
from store.base import StoreBase
from store.timestamps import now_stored


class PopulationStore(StoreBase):
    def population(self) -> dict[str, Residents]:
        """The stored residents per district id."""
        with self.db.read() as conn:
            rows = conn.execute("SELECT district_id, residents, as_of FROM population").fetchall()
        return {
            r[0]: Residents(r[0], int(r[1]), date.fromisoformat(r[2]) if r[2] else None)
            for r in rows
        }

    def set_population(self, rows: Sequence[Residents], *, source: str, actor: Actor) -> int:
        """Store (or replace) the residents of the given districts; returns how many."""
        self._require(actor, Action.MANAGE_LAYERS)
        stamp = now_stored()
        with self.db.write() as conn:
            changed = conn.executemany(
                "INSERT INTO population (district_id, residents, as_of, source, imported_by,"
                " imported_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (district_id) DO UPDATE"
                " SET residents = excluded.residents, as_of = excluded.as_of,"
                " source = excluded.source, imported_by = excluded.imported_by,"
                " imported_at = excluded.imported_at",
                [
                    (
                        r.district_id,
                        r.residents,
                        r.as_of.isoformat() if r.as_of else None,
                        source,
                        actor.name,
                        stamp,
                    )
                    for r in rows
                ],
            )
            write_audit(
                conn,
                actor=actor.name,
                action="population.import",
                target=source,
                detail=f"{len(rows)} districts",
            )
        return min(changed, len(rows))
