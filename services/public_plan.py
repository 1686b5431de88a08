"""The public plan of measures: what residents without a login see of the measures, on
/plan, on a measure's own page (/massnahme?nr=N) and behind the printed plan's QR codes.

The rules, in one place:

1. Only measures the steering circle has put on its agenda, or taken further, are
   public (PUBLIC_STATUSES). A "proposed" measure is the planners' draft and is not
   shown anywhere public, not even as a number. A rejected one is shown, with its reason.
2. A measure's notes count as the public map knows them: visible ones only, never one
   the moderation hid or merged into another; its supports are those notes' supports.
3. Its history is the moves into public statuses with their dates: never who made a
   move, and a reason only for a rejection (the one reason the rules require).
4. Progress of a quarter: its measures done out of its public measures not rejected.

Everything here is plain Python on the store; the screens are ui/public_plan.py and
ui/public_measure.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from urllib.parse import urlencode

import geopandas as gpd

from rules.measures import HistoryEntry, Measure
from rules.roles import Role
from services.pins_view import pins_for_role
from store import Store

# In the order a measure goes; "proposed" is not public.
PUBLIC_STATUSES: Final = ("discussed", "decided", "in_progress", "done", "rejected")
PLAN_PATH: Final = "plan"
MEASURE_PATH: Final = "massnahme"
_LONGEST_NUMBER: Final = 18  # digits: any longer overflows a 64-bit integer


@dataclass(frozen=True, slots=True)
class StatusStep:
    """One public move of a measure: into `status` at `at`; `reason` only for a
    rejection ("" otherwise)."""

    status: str
    at: datetime
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PublicMeasure:
    """A public measure with what the public plan says about it."""

    measure: Measure
    status_since: datetime | None  # when it got its present status (None: not recorded)
    note_ids: tuple[int, ...]  # its linked notes that are visible (rule 2)
    supports: int  # the supports of those notes
    history: tuple[StatusStep, ...]

    @property
    def id(self) -> int:
        return self.measure.id

    @property
    def status(self) -> str:
        return self.measure.status

    @property
    def notes(self) -> int:
        return len(self.note_ids)


@dataclass(frozen=True, slots=True)
class Progress:
    """A quarter's measures: `done` of `total` (public, not rejected); `rejected` apart."""

    done: int
    total: int
    rejected: int

    @property
    def share(self) -> float:
        """done / total, 0.0 without measures."""
        return self.done / self.total if self.total else 0.0


def is_public(measure: Measure) -> bool:
    """Whether residents may see `measure` (rule 1)."""
    return measure.status in PUBLIC_STATUSES


def public_history(history: Iterable[HistoryEntry]) -> tuple[StatusStep, ...]:
    """The moves of a measure's history (oldest first) into public statuses (rule 3).

    >>> public_history([])
    ()
    """
    return tuple(
        StatusStep(
            status=str(entry.to_status),
            at=entry.at,
            reason=entry.detail if entry.to_status == "rejected" else "",
        )
        for entry in history
        if entry.change == "status" and entry.to_status in PUBLIC_STATUSES
    )


def public_measure(
    measure: Measure, history: Iterable[HistoryEntry], visible: gpd.GeoDataFrame
) -> PublicMeasure:
    """`measure` as the public plan shows it. `visible` is a pins frame of its quarter
    holding the visible notes only (Store.pins_frame) or fewer; the measure's notes not
    in it are not counted."""
    if not is_public(measure):
        raise ValueError(f"measure {measure.id} is {measure.status!r}, which is not public")
    steps = public_history(history)
    linked = visible.loc[visible["id"].isin(measure.pin_ids)]
    since = next((s.at for s in reversed(steps) if s.status == measure.status), None)
    return PublicMeasure(
        measure=measure,
        status_since=since,
        note_ids=tuple(sorted(int(i) for i in linked["id"])),
        supports=int(linked["supports"].sum()),
        history=steps,
    )


def public_plan(store: Store, quarter_ids: Sequence[str]) -> list[PublicMeasure]:
    """Every public measure of the quarters, by number."""
    measures = [m for m in store.measures(list(quarter_ids)) if is_public(m)]
    if not measures:
        return []
    visible = store.pins_frame(sorted({m.quarter_id for m in measures}))
    return [public_measure(m, store.measure_history(m.id), visible) for m in measures]


def find_public_measure(store: Store, measure_id: int) -> PublicMeasure | None:
    """Measure `measure_id` if it exists and is public; None otherwise (an unknown and a
    proposed measure are told apart nowhere public)."""
    measure = store.measure(measure_id)
    if measure is None or not is_public(measure):
        return None
    visible = store.pins_frame([measure.quarter_id])
    return public_measure(measure, store.measure_history(measure_id), visible)


def filter_plan(
    rows: Iterable[PublicMeasure],
    *,
    quarter_id: str | None = None,
    status: str | None = None,
    working_group: str | None = None,
) -> list[PublicMeasure]:
    """The rows of one quarter, one status and one working group; None: any."""
    return [
        row
        for row in rows
        if (quarter_id is None or row.measure.quarter_id == quarter_id)
        and (status is None or row.status == status)
        and (working_group is None or row.measure.working_group == working_group)
    ]


def progress(rows: Iterable[PublicMeasure], quarter_ids: Sequence[str]) -> dict[str, Progress]:
    """Each quarter's progress (rule 4), every quarter of `quarter_ids` present, in order.

    >>> progress([], ["320"])
    {'320': Progress(done=0, total=0, rejected=0)}
    """
    counts = {q: [0, 0, 0] for q in quarter_ids}
    for row in rows:
        found = counts.get(row.measure.quarter_id)
        if found is None:
            continue
        if row.status == "rejected":
            found[2] += 1
            continue
        found[1] += 1
        found[0] += row.status == "done"
    return {q: Progress(done=d, total=n, rejected=r) for q, (d, n, r) in counts.items()}


def public_notes(quarter_pins: gpd.GeoDataFrame, pin_ids: Iterable[int]) -> gpd.GeoDataFrame:
    """The notes `pin_ids` as the public map shows them: `quarter_pins` is the visible
    pins of their whole quarter (Store.pins_frame), so the public view's rule for
    sparse quarters is worked out over the quarter, as on the map. Places shifted to
    the grid, texts only once released; a note the public map leaves out is left out."""
    shown = pins_for_role(quarter_pins, Role.PARTICIPANT)
    return shown.loc[shown["id"].isin(list(pin_ids))]


def measure_number(raw: str | None) -> int | None:
    """The measure number of an address's `nr`: ASCII digits, at most 18 of them;
    None for anything else.

    >>> measure_number("12"), measure_number("²"), measure_number(None), measure_number("0")
    (12, None, None, None)
    """
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > _LONGEST_NUMBER:
        return None
    number = int(text)
    return number or None


def measure_path(measure_id: int) -> str:
    """A measure's page, relative to the app's root: "massnahme?nr=12"."""
    return f"{MEASURE_PATH}?{urlencode({'nr': measure_id})}"


def measure_address(base_url: str, measure_id: int) -> str:
    """A measure's page as an absolute address, for QR codes and mails.

    >>> measure_address("https://sq.example/", 12)
    'https://sq.example/massnahme?nr=12'
    """
    return f"{base_url.rstrip('/')}/{measure_path(measure_id)}"


def plan_address(base_url: str, quarter_id: str | None = None) -> str:
    """The public plan's absolute address, of one quarter when given.

    >>> plan_address("https://sq.example", "320")
    'https://sq.example/plan?quartier=320'
    """
    query = f"?{urlencode({'quartier': quarter_id})}" if quarter_id else ""
    return f"{base_url.rstrip('/')}/{PLAN_PATH}{query}"
