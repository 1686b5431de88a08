"""A pin draft for store tests: a dark place in Brackel at night, unless told otherwise."""

from __future__ import annotations

from rules.pins import PinDraft


def draft(
    token: str, quarter_id: str = "brackel", text: str = "", severity: int | None = 2
) -> PinDraft:
    return PinDraft(
        quarter_id=quarter_id,
        lon=7.5512,
        lat=51.5187,
        category="dark",
        time_band="night",
        severity=severity,
        text=text,
        token=token,
    )
