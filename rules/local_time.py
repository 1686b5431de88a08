"""Dortmund's local time: what people read and what "a day" means for them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Final
from zoneinfo import ZoneInfo

BERLIN: Final = ZoneInfo("Europe/Berlin")


def local(moment: datetime) -> datetime:
    """A stored (UTC) moment in Dortmund's time."""
    return moment.astimezone(BERLIN)


def start_of_day(day: date) -> datetime:
    """Local midnight at the start of `day` (e.g. a retention cut-off)."""
    return datetime.combine(day, time.min, tzinfo=BERLIN)
