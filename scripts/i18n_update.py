"""Refresh the German catalog from the code: new message ids are added empty,
existing translations are kept. Run: .venv/bin/python scripts/i18n_update.py"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO_PATH = ROOT / "locale" / "de" / "LC_MESSAGES" / "messages.po"
SOURCE_DIRS = (
    "app.py",
    "pages",
    "ui",
    "services",
    "layers",
    "store",
    "formats",
    "datapack",
    "geo",
    "rules",
)
KEYWORDS = {"t": None, "N_": None, "translate": None}


def extracted_ids() -> set[str]:
    """Every message id the code marks for translation."""
    ids: set[str] = set()
    for entry in SOURCE_DIRS:
        path = ROOT / entry
        if path.is_file():
            from babel.messages.extract import extract_from_file

            found = extract_from_file("python", path, keywords=KEYWORDS)
            ids.update(str(msg) for _line, msg, _c, _ctx in found)
        else:
            for _name, _line, msg, _c, _ctx in extract_from_dir(
                path, method_map=[("**.py", "python")], keywords=KEYWORDS
            ):
                ids.add(str(msg))
    return ids


def main() -> None:
    old: dict[str, str] = {}
    if PO_PATH.is_file():
        with PO_PATH.open("rb") as handle:
            old = {str(m.id): str(m.string) for m in read_po(handle) if m.id}
    catalog = Catalog(locale="de", project="Sichere Quartiere", fuzzy=False)
    for msgid in sorted(extracted_ids()):
        catalog.add(msgid, old.get(msgid, ""))
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    with PO_PATH.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, width=100)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{len(catalog)} messages, {len(missing)} without German translation")


if __name__ == "__main__":
    main()
