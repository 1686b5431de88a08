"""Translation on the screens: the session's language, its switch, and markdown-safe
user text. The catalogue itself is services.i18n."""

from __future__ import annotations

import re
from typing import Any, Final

import streamlit as st

from rules.errors import N_, SQError
from services.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate, translate_plural

__all__ = ["N_", "error_text", "language", "language_switch", "md", "t", "tn", "translate"]

_LANG_KEY: Final = "lang"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: str) -> str:
    """User text made inert for Streamlit's markdown (links, emphasis, :icons:, $maths$)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _inert(value: Any) -> Any:
    """An error's parameter made inert for markdown: texts and data (tuples); lists are
    the code's own message ids, translated later."""
    if isinstance(value, str):
        return md(value)
    if isinstance(value, tuple):
        return tuple(md(str(v)) for v in value)
    return value


def language() -> str:
    lang = st.session_state.get(_LANG_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(msgid: str, **params: Any) -> str:
    """Translate into the session's language."""
    return translate(msgid, language(), **params)


def tn(singular: str, plural: str, count: int, **params: Any) -> str:
    """Translate a counted message into the session's language: `{count}` is filled in,
    in the form that number needs ("1 Hinweis", "3 Hinweise")."""
    return translate_plural(singular, plural, count, language(), **params)


def error_text(error: SQError) -> str:
    """The user-facing text of one of the app's errors, shown as markdown: what a
    person typed (a user name, a file name) is echoed as text, never as a link."""
    params = {k: _inert(v) for k, v in error.params.items()}
    return translate(error.msgid, language(), **params)


# Keyed, so ui/theme.py can pin it into the page's top bar.
TOP_SWITCH_KEY = "language_top"


def _switch_to(lang: str) -> None:
    st.session_state[_LANG_KEY] = lang


def language_switch() -> None:
    """Switch between German and English: in the menu, and as a button in the top bar
    of every page, since on a phone or a tablet residents start with the menu closed."""
    st.session_state.setdefault(_LANG_KEY, DEFAULT_LANGUAGE)
    st.sidebar.radio(
        "Sprache / Language",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=_LANG_KEY,
        horizontal=True,
    )
    other = next(code for code in LANGUAGES if code != language())
    st.button(LANGUAGES[other], key=TOP_SWITCH_KEY, on_click=_switch_to, args=(other,))
