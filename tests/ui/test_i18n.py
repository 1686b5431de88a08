"""The translation layer: every marked message has its German text."""

from __future__ import annotations

import string

import pytest

from scripts.i18n_update import extracted_ids
from services.i18n import catalog, translate


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_in_the_code_has_a_german_translation() -> None:
    german = catalog("de")
    missing = sorted(m for m in extracted_ids() if m not in german)
    assert missing == [], "run scripts/i18n_update.py and translate these"


def test_translations_keep_the_placeholders() -> None:
    wrong = {m: s for m, s in catalog("de").items() if placeholders(m) != placeholders(s)}
    assert wrong == {}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", "Bitte noch auswählen: Kategorie."), ("en", "Please choose: category.")],
)
def test_list_parameters_are_translated_one_by_one(lang: str, expected: str) -> None:
    assert translate("Please choose: {fields}.", lang, fields=["category"]) == expected


def test_an_unknown_message_falls_back_to_english() -> None:
    assert translate("Not in any catalog {n}", "de", n=3) == "Not in any catalog 3"


def test_an_error_echoes_what_was_typed_as_text_not_as_markdown() -> None:
    from rules.errors import N_, ValidationError
    from ui.i18n import error_text

    typed = "![x](http://host/pixel.png) [Mehr](https://host/)"
    shown = error_text(ValidationError(N_("There is no account named {username}."), username=typed))
    assert typed in shown.replace("\\", "")
    assert "](" not in shown.replace("\\]\\(", "")
