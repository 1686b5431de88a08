"""One translation layer: gettext catalogs (locale/<lang>/LC_MESSAGES/messages.po).

Message ids are English; German is the default language of the UI.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Final

import streamlit as st
from babel.messages.pofile import read_po

from geo.errors import N_, SQError

__all__ = ["N_", "error_text", "language", "language_switch", "md", "t", "translate"]

LOCALE_DIR: Final = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES: Final[dict[str, str]] = {"de": "Deutsch", "en": "English"}
DEFAULT_LANGUAGE: Final = "de"
_LANG_KEY: Final = "lang"


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
    """Translate `msgid` into `lang` and fill in `params` (lists are joined)."""
    text = catalog(lang).get(msgid, msgid)
    if not params:
        return text
    filled = {
        key: ", ".join(translate(str(v), lang) for v in value) if isinstance(value, list) else value
        for key, value in params.items()
    }
    return text.format(**filled)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: str) -> str:
    """User text made inert for Streamlit's markdown (links, emphasis, :icons:, $maths$)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def language() -> str:
    lang = st.session_state.get(_LANG_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(msgid: str, **params: Any) -> str:
    """Translate into the session's language."""
    return translate(msgid, language(), **params)


def error_text(error: SQError) -> str:
    """The user-facing text of one of the app's errors."""
    return t(error.msgid, **error.params)


def language_switch() -> None:
    """Sidebar control to switch between German and English."""
    st.session_state.setdefault(_LANG_KEY, DEFAULT_LANGUAGE)
    st.sidebar.radio(
        "Sprache / Language",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=_LANG_KEY,
        horizontal=True,
    )
