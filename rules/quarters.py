"""The lab quarters.

Two names travel through the app and must not be mixed up: a quarter's `slug`
("brackel", a stable word for keys and URLs) and its `district_id` ("320", the
number of the statistical district that holds it). Pins, labs and measures store
the district number in their column `quarter_id`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Quarter:
    """A lab quarter: a friendly label for one statistical district."""

    slug: str
    label: str
    district_id: str
