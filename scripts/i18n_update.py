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
# tn / translate_plural: a counted message, (singular, plural).
KEYWORDS = {"t": None, "N_": None, "translate": None, "tn": (1, 2), "translate_plural": (1, 2)}
MessageId = str | tuple[str, str]


def _message_id(found: object) -> MessageId:
    if isinstance(found, tuple | list):
        return (str(found[0]), str(found[1]))
    return str(found)


def _sort_key(msgid: MessageId) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _translated(string: object) -> bool:
    """A translation, every form of a counted one."""
    return all(string) if isinstance(string, tuple | list) else bool(string)


def extracted_ids() -> set[MessageId]:
    """Every message id the code marks for translation; a counted one as its two forms."""
    ids: set[MessageId] = set()
    for entry in SOURCE_DIRS:
        path = ROOT / entry
        if path.is_file():
            from babel.messages.extract import extract_from_file

            found = extract_from_file("python", path, keywords=KEYWORDS)
            ids.update(_message_id(msg) for _line, msg, _c, _ctx in found)
        else:
            for _name, _line, msg, _c, _ctx in extract_from_dir(
                path, method_map=[("**.py", "python")], keywords=KEYWORDS
            ):
                ids.add(_message_id(msg))
    return ids


def main() -> None:
    old: dict[MessageId, str | tuple[str, ...] | list[str] | None] = {}
    if PO_PATH.is_file():
        with PO_PATH.open("rb") as handle:
            old = {_message_id(m.id): m.string for m in read_po(handle) if m.id}
    catalog = Catalog(locale="de", project="Sichere Quartiere", fuzzy=False)
    for msgid in sorted(extracted_ids(), key=_sort_key):
        empty = ("", "") if isinstance(msgid, tuple) else ""
        catalog.add(msgid, old.get(msgid, empty))
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    with PO_PATH.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, width=100)
    missing = [m.id for m in catalog if m.id and not _translated(m.string)]
    print(f"{len(catalog)} messages, {len(missing)} without German translation")


if __name__ == "__main__":
    main()
