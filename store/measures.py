"""The plan of measures: created by planners, decided by the steering circle, every
change kept in the measure's history (and in the audit log)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Final

import shapely

from rules.errors import N_, ValidationError
from rules.measures import (
    HistoryEntry,
    Measure,
    MeasureDraft,
    MeasureEdit,
    check_create,
    check_edit,
    check_move,
    edit_changes,
    edit_detail,
    validate_edit,
    validate_measure,
)
from rules.roles import Actor
from store.accounts import write_audit
from store.base import StoreBase
from store.db import Connection
from store.timestamps import from_stored, now_stored, stored_after, to_stored

_COLUMNS: Final = (
    "m.id, m.title, m.measure_type, m.quarter_id, m.place_wkb, m.working_group,"
    " m.responsible, m.priority, m.cost_eur, m.target_date, m.status, m.status_reason,"
    " m.created_by, m.created_at, m.updated_at, m.description"
)


def _row_to_measure(row: Sequence[Any], pin_ids: tuple[int, ...]) -> Measure:
    (
        measure_id,
        title,
        measure_type,
        quarter_id,
        place_wkb,
        working_group,
        responsible,
        priority,
        cost_eur,
        target_date,
        status,
        status_reason,
        created_by,
        created_at,
        updated_at,
        description,
    ) = row
    return Measure(
        id=int(measure_id),
        title=title,
        measure_type=measure_type,
        quarter_id=quarter_id,
        place=shapely.from_wkb(bytes(place_wkb)),
        working_group=working_group,
        responsible=responsible,
        priority=int(priority),
        cost_eur=None if cost_eur is None else float(cost_eur),
        target_date=date.fromisoformat(target_date) if target_date else None,
        status=status,
        status_reason=status_reason,
        pin_ids=pin_ids,
        created_by=created_by,
        created_at=from_stored(created_at),
        updated_at=from_stored(updated_at),
        description=description,
    )


def _pins_of(conn: Connection, measure_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    if not measure_ids:
        return {}
    marks = ", ".join("?" * len(measure_ids))
    rows = conn.execute(
        f"SELECT measure_id, pin_id FROM measure_pins WHERE measure_id IN ({marks})"
        " ORDER BY measure_id, pin_id",
        tuple(measure_ids),
    ).fetchall()
    found: dict[int, list[int]] = {}
    for measure_id, pin_id in rows:
        found.setdefault(int(measure_id), []).append(int(pin_id))
    return {k: tuple(v) for k, v in found.items()}


def _measures(conn: Connection, where: str, params: Sequence[Any]) -> list[Measure]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM measures m {where}", tuple(params)).fetchall()
    pins = _pins_of(conn, [int(r[0]) for r in rows])
    return [_row_to_measure(r, pins.get(int(r[0]), ())) for r in rows]


def _history(
    conn: Connection,
    measure_id: int,
    actor: str,
    change: str,
    *,
    to_status: str | None,
    from_status: str | None = None,
    detail: str = "",
) -> None:
    conn.execute(
        "INSERT INTO measure_history (measure_id, at, actor, change, from_status, to_status,"
        " detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (measure_id, now_stored(), actor, change, from_status, to_status, detail),
    )


def _same_title(
    conn: Connection, quarter_id: str, title: str, *, other_than: int | None = None
) -> Measure | None:
    """The open (not rejected) measure of the quarter with the same title, if any (not
    counting measure `other_than`)."""
    wanted = title.casefold()
    found = _measures(conn, "WHERE m.quarter_id = ? AND m.status <> 'rejected'", (quarter_id,))
    return next((m for m in found if m.title.casefold() == wanted and m.id != other_than), None)


def _is_repeat(made: Measure, draft: MeasureDraft, actor: Actor) -> bool:
    """Whether `draft` is the same submission again (a double click, a resent form)."""
    return (
        made.created_by == actor.name
        and made.pin_ids == draft.pin_ids
        and made.place.equals(draft.place)
        and made.measure_type == draft.measure_type
    )


class MeasureStore(StoreBase):
    def create_measure(self, draft: MeasureDraft, *, actor: Actor) -> Measure:
        """Store a new measure ("proposed") with its linked pins (planners only).

        The same submission again returns the measure made the first time; another
        open measure of the quarter with the same title is refused."""
        check_create(actor.role)
        self._require(actor)
        clean = validate_measure(draft)
        stamp = now_stored()
        # The lock makes two clicks on "create" take turns, so the second finds the first.
        with self.db.write(lock=f"measures:{clean.quarter_id}") as conn:
            self._check_pins(conn, clean)
            repeated = _same_title(conn, clean.quarter_id, clean.title)
            if repeated is not None:
                if _is_repeat(repeated, clean, actor):
                    return repeated
                raise ValidationError(
                    N_("Measure #{id} in this quarter already has this title."), id=repeated.id
                )
            (measure_id,) = conn.execute(
                "INSERT INTO measures (title, description, measure_type, working_group,"
                " responsible, quarter_id, place_wkb, priority, cost_eur, target_date,"
                " created_by, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    clean.title,
                    clean.description,
                    clean.measure_type,
                    clean.working_group,
                    clean.responsible,
                    clean.quarter_id,
                    shapely.to_wkb(clean.place),
                    clean.priority,
                    clean.cost_eur,
                    clean.target_date.isoformat() if clean.target_date else None,
                    actor.name,
                    stamp,
                    stamp,
                ),
            ).fetchone()
            conn.executemany(
                "INSERT INTO measure_pins (measure_id, pin_id) VALUES (?, ?)",
                [(measure_id, pin_id) for pin_id in clean.pin_ids],
            )
            _history(conn, measure_id, actor.name, "created", to_status="proposed")
            write_audit(conn, actor=actor.name, action="measure.create", target=str(measure_id))
            (measure,) = _measures(conn, "WHERE m.id = ?", (measure_id,))
        return measure

    @staticmethod
    def _check_pins(conn: Connection, draft: MeasureDraft) -> None:
        if not draft.pin_ids:
            return
        marks = ", ".join("?" * len(draft.pin_ids))
        found = conn.execute(
            f"SELECT id FROM pins WHERE id IN ({marks}) AND quarter_id = ?",
            (*draft.pin_ids, draft.quarter_id),
        ).fetchall()
        missing = sorted(set(draft.pin_ids) - {int(r[0]) for r in found})
        if missing:
            raise ValidationError(
                N_("Notes {pins} are not in this quarter."),
                pins=", ".join(f"#{p}" for p in missing),
            )

    def move_measure(
        self, measure_id: int, target: str, *, actor: Actor, reason: str = ""
    ) -> Measure:
        """Move a measure to `target` if the rules allow it for the actor's role."""
        self._require(actor)
        with self.db.write(lock=f"measure:{measure_id}") as conn:
            found = conn.execute(
                "SELECT status, updated_at FROM measures WHERE id = ?", (measure_id,)
            ).fetchone()
            if found is None:
                raise ValidationError(N_("There is no measure #{id}."), id=measure_id)
            why = check_move(actor.role, found[0], target, reason)
            conn.execute(
                "UPDATE measures SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?",
                (target, why, stored_after(found[1]), measure_id),
            )
            _history(
                conn,
                measure_id,
                actor.name,
                "status",
                from_status=found[0],
                to_status=target,
                detail=why,
            )
            write_audit(
                conn,
                actor=actor.name,
                action="measure.status",
                target=str(measure_id),
                detail=f"{found[0]} -> {target}",
                reason=why,
            )
            (measure,) = _measures(conn, "WHERE m.id = ?", (measure_id,))
        return measure

    def edit_measure(
        self,
        measure_id: int,
        edit: MeasureEdit,
        *,
        actor: Actor,
        seen_at: datetime | None = None,
    ) -> Measure:
        """Change the fields and the place of a measure (planners only; once done or
        rejected only its title and description, see rules.measures.check_edit), and say
        in its history what changed, before and after. An edit that changes nothing is not recorded.

        `seen_at`, the `updated_at` of the measure the form showed, refuses an edit made
        on a measure someone changed meanwhile (another edit, a status move), so no
        change is overwritten unseen."""
        check_edit(actor.role, "proposed", ())  # the role first, before anything is read
        self._require(actor)
        clean = validate_edit(edit)
        with self.db.write(lock=f"measure:{measure_id}") as conn:
            found = _measures(conn, "WHERE m.id = ?", (measure_id,))
            if not found:
                raise ValidationError(N_("There is no measure #{id}."), id=measure_id)
            (measure,) = found
            if seen_at is not None and measure.updated_at != seen_at:
                raise ValidationError(
                    N_(
                        "Measure #{id} was changed meanwhile by someone else; please look"
                        " at it again and repeat your change."
                    ),
                    id=measure_id,
                )
            changes = edit_changes(measure, clean)
            if not changes:
                return measure
            check_edit(actor.role, measure.status, changes)
            if "title" in changes:
                same = _same_title(conn, measure.quarter_id, clean.title, other_than=measure_id)
                if same is not None:
                    raise ValidationError(
                        N_("Measure #{id} in this quarter already has this title."), id=same.id
                    )
            conn.execute(
                "UPDATE measures SET title = ?, description = ?, measure_type = ?,"
                " working_group = ?, responsible = ?, priority = ?, cost_eur = ?,"
                " target_date = ?, place_wkb = ?, updated_at = ? WHERE id = ?",
                (
                    clean.title,
                    clean.description,
                    clean.measure_type,
                    clean.working_group,
                    clean.responsible,
                    clean.priority,
                    clean.cost_eur,
                    clean.target_date.isoformat() if clean.target_date else None,
                    shapely.to_wkb(
                        clean.place if "place" in changes and clean.place else measure.place
                    ),
                    stored_after(to_stored(measure.updated_at)),
                    measure_id,
                ),
            )
            _history(
                conn, measure_id, actor.name, "edited", to_status=None, detail=edit_detail(changes)
            )
            write_audit(
                conn,
                actor=actor.name,
                action="measure.edit",
                target=str(measure_id),
                detail=", ".join(changes),
            )
            (measure,) = _measures(conn, "WHERE m.id = ?", (measure_id,))
        return measure

    def measure(self, measure_id: int) -> Measure | None:
        with self.db.read() as conn:
            found = _measures(conn, "WHERE m.id = ?", (measure_id,))
        return found[0] if found else None

    def measures(self, quarter_ids: Sequence[str] | None = None) -> list[Measure]:
        """Every measure (of the quarters given), oldest first."""
        with self.db.read() as conn:
            if quarter_ids is None:
                return _measures(conn, "ORDER BY m.id", ())
            if not quarter_ids:
                return []
            marks = ", ".join("?" * len(quarter_ids))
            return _measures(conn, f"WHERE m.quarter_id IN ({marks}) ORDER BY m.id", quarter_ids)

    def measures_for_pin(self, pin_id: int) -> list[Measure]:
        """The measures a pin is linked to: "what became of my note"."""
        with self.db.read() as conn:
            return _measures(
                conn,
                "WHERE m.id IN (SELECT measure_id FROM measure_pins WHERE pin_id = ?)"
                " ORDER BY m.id",
                (pin_id,),
            )

    def measure_history(self, measure_id: int) -> list[HistoryEntry]:
        """Every change of the measure, oldest first."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT at, actor, change, from_status, to_status, detail FROM measure_history"
                " WHERE measure_id = ? ORDER BY id",
                (measure_id,),
            ).fetchall()
        return [
            HistoryEntry(
                at=from_stored(r[0]),
                actor=r[1],
                change=r[2],
                from_status=r[3],
                to_status=r[4],
                detail=r[5],
            )
            for r in rows
        ]
