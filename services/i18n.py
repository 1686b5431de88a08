"""The translation catalogue: gettext catalogs (locale/<lang>/LC_MESSAGES/messages.po).

Message ids are English; German is the default language. Use cases that produce
text for people (reports, exports) translate here with an explicit language; the
screens use ui.i18n, which adds the session's language.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Final

from babel.messages.pofile import read_po

from rules.errors import SQError

LOCALE_DIR: Final = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES: Final[dict[str, str]] = {"de": "Deutsch", "en": "English"}
DEFAULT_LANGUAGE: Final = "de"


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for one language; English is the identity."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


def translate(msgid: str, lang: str, **params: Any) -> str:
    """Translate `msgid` into `lang` and fill in `params`: a list holds message ids
    (labels from the code), each translated, then joined; a tuple holds data (a file's
    column or layer names), joined as it is: "name" stays a column's name."""
    text = catalog(lang).get(msgid, msgid)
    if not params:
        return text
    filled = {key: _joined(value, lang) for key, value in params.items()}
    return text.format(**filled)


def _joined(value: Any, lang: str) -> Any:
    if isinstance(value, list):
        return ", ".join(translate(str(v), lang) for v in value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return value


def error_message(error: SQError, lang: str) -> str:
    """The text of one of the app's errors in `lang`."""
    return translate(error.msgid, lang, **error.params)
