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
def _read(lang: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return {}, {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    texts: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            forms = tuple(str(form) for form in message.string or ())
            if all(forms):
                plurals[str(message.id[0])] = forms
        elif message.string:
            texts[str(message.id)] = str(message.string)
    return texts, plurals


def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for one language; English is the identity."""
    return _read(lang)[0]


def plural_catalog(lang: str) -> dict[str, tuple[str, ...]]:
    """Singular msgid -> the translation's forms (singular, plural) for one language."""
    return _read(lang)[1]


def translate(msgid: str, lang: str, **params: Any) -> str:
    """Translate `msgid` into `lang` and fill in `params`: a list holds message ids
    (labels from the code), each translated, then joined; a tuple holds data (a file's
    column or layer names), joined as it is: "name" stays a column's name."""
    text = catalog(lang).get(msgid, msgid)
    if not params:
        return text
    filled = {key: _joined(value, lang) for key, value in params.items()}
    return text.format(**filled)


def translate_plural(singular: str, plural: str, count: int, lang: str, **params: Any) -> str:
    """The form of a counted message for `count` in `lang` ("1 Hinweis", "2 Hinweise"),
    with `count` and `params` filled in. German and English both use the singular for
    exactly one and the plural for every other number, zero included."""
    forms = plural_catalog(lang).get(singular, (singular, plural))
    text = forms[0] if count == 1 else forms[-1]
    filled = {key: _joined(value, lang) for key, value in params.items()}
    return text.format(count=count, **filled)


def _joined(value: Any, lang: str) -> Any:
    if isinstance(value, list):
        return ", ".join(translate(str(v), lang) for v in value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return value


def error_message(error: SQError, lang: str) -> str:
    """The text of one of the app's errors in `lang`."""
    return translate(error.msgid, lang, **error.params)
