"""Fill German translations into the catalogue from a JSON file of
{msgid: "text"} or {singular msgid: ["singular", "plural"]}: for adding many at once.
Run: .venv/bin/python scripts/i18n_fill.py translations.json"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from scripts.i18n_update import PO_PATH


def fill(translations: dict[str, str | list[str]]) -> list[str]:
    """Write the given translations into the catalogue; the message ids not found."""
    with PO_PATH.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    found = set()
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        if key in translations:
            text = translations[key]
            message.string = tuple(text) if isinstance(text, list) else text
            found.add(key)
    with PO_PATH.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, width=100)
    return sorted(set(translations) - found)


if __name__ == "__main__":
    unknown = fill(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    print("not in the catalogue:", unknown) if unknown else print("filled")
