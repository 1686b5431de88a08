"""Fixed vocabularies of a pin, as stable codes with English labels.

Codes are stored; labels are message ids that the UI translates.
The categories follow common safety-audit practice (women's safety audits,
"Angsträume" surveys): what makes a place feel unsafe, not what happened there.
"""

from __future__ import annotations

from typing import Final

from rules.errors import N_

CATEGORIES: Final[dict[str, str]] = {
    "dark": N_("too dark"),
    "hidden": N_("hard to see / hidden corners"),
    "deserted": N_("deserted"),
    "harassment": N_("fear of harassment"),
    "traffic": N_("traffic / crossing"),
    "litter": N_("litter / vandalism"),
    "gathering": N_("gathering spot / noise"),
    "other": N_("other"),
}

TIME_BANDS: Final[dict[str, str]] = {
    "day": N_("during the day"),
    "evening": N_("in the evening"),
    "night": N_("at night"),
    "always": N_("always"),
}

SEVERITIES: Final[dict[int, str]] = {
    1: N_("somewhat uneasy"),
    2: N_("uneasy"),
    3: N_("very unsafe"),
}


TEXT_MAX_CHARS: Final = 500
