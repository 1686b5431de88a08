"""Stop names as a resident says them, from the timetable's spelling.

The VRR timetable names stops for its displays: a city prefix ("DO-", "Dortmund,"),
the platform ("Steig 1", "Bstg 02", "Gleis 2") and abbreviations cut to fit
("DO- Knappschaftskrank. S"). The list view names places by the nearest stop, so
those names are read aloud and by people who never saw a timetable display:
"Knappschaftskrankenhaus (S-Bahn)".

>>> readable_stop_name("DO- Knappschaftskrank. S")
'Knappschaftskrankenhaus (S-Bahn)'
>>> readable_stop_name("Dortmund Breisenbachstr. Bstg 01")
'Breisenbachstraße'
"""

from __future__ import annotations

import re
from typing import Final

# The city, before the name or after a slash: "DO-Barop", "Dortmund, Airport".
_CITY = re.compile(r"(^|/)\s*(?:Dortmund|DO)(?:\s*,\s*|\s*-\s*|\s+)(?=\S)")
# The platform at the end: "Steig 1", "Bstg 02", "Gleis 2", "Gleis".
_PLATFORM = re.compile(r"\s+(?:Steig|Bstg|Bussteig|Gleis)(?:\s*\d+)?\s*$")
# "…str." and "…-Str." at a word's end: a street.
_STREET = re.compile(r"(?<=\w)(-?)([Ss])tr(?:\.|\b)")
# Abbreviations of the timetable, as whole words (the dot included where it has one).
_WORDS: Final[dict[str, str]] = {
    "A.d.": "An der",
    "Arb.": "Arbeit",
    "Bezirksfdh.": "Bezirksfriedhof",
    "Bezirksfh.": "Bezirksfriedhof",
    "Bezirksfriedh.": "Bezirksfriedhof",
    "Bf": "Bahnhof",
    "Dtmd.": "",
    "Ev.": "Evangelisches",
    "Str": "Straße",
    "Str.": "Straße",
    "f.": "für",
    "Hbf": "Hauptbahnhof",
    "Hbf.": "Hauptbahnhof",
    "Hauptein": "Haupteingang",
    "Klinikz.": "Klinikzentrum",
    "Knappschaftskrank.": "Knappschaftskrankenhaus",
    "Knappschaftskrankenh.": "Knappschaftskrankenhaus",
    "Krh.": "Krankenhaus",
    "Logistikz.": "Logistikzentrum",
    "Lütgendortm.": "Lütgendortmund",
    "Verwaltungs.": "Verwaltungsstelle",
    "W.stift": "Wohnstift",
}
# Abbreviations glued to the next word by a dot: "Brünningh.Betriebshof".
_GLUED: Final[dict[str, str]] = {
    "Brünningh.": "Brünninghausen ",
    "Großholthsn.": "Großholthausen ",
    "Logistik.Whütte": "Logistikpark Westfalenhütte",
    "Aplerbeck.Str": "Aplerbecker Straße",
}
_WORD = re.compile(r"[^\s/]+")


def readable_stop_name(raw: str) -> str:
    """The stop's name without city and platform, abbreviations written out, and an
    S-Bahn stop ("… S") said so."""
    name = _PLATFORM.sub("", raw.strip())
    name = _CITY.sub(r"\1", name)
    for short, long in _GLUED.items():
        name = name.replace(short, long)
    name = _WORD.sub(lambda word: _WORDS.get(word.group(0), word.group(0)), name)
    name = _STREET.sub(r"\1\2traße", name)
    name = re.sub(r"\s+S(?=$|\s*/)", " (S-Bahn)", name)
    name = re.sub(r"\s*/\s*", " / ", name).replace("- / ", "-/")  # "Münster-/Mallinckrodtstr."
    return re.sub(r"\s{2,}", " ", name).strip(" ,-")
