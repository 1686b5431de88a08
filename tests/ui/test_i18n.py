"""The translation layer: every marked message has its German text."""

from __future__ import annotations

import string

import pytest

from scripts.i18n_update import extracted_ids
from services.i18n import catalog, plural_catalog, translate, translate_plural


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_in_the_code_has_a_german_translation() -> None:
    german, counted = catalog("de"), plural_catalog("de")
    missing = sorted(
        str(m)
        for m in extracted_ids()
        if (m[0] not in counted if isinstance(m, tuple) else m not in german)
    )
    assert missing == [], "run scripts/i18n_update.py and translate these"


def test_translations_keep_the_placeholders() -> None:
    wrong = {m: s for m, s in catalog("de").items() if placeholders(m) != placeholders(s)}
    wrong |= {
        m: " / ".join(forms)
        for m, forms in plural_catalog("de").items()
        if len(forms) != 2 or any(placeholders(m) != placeholders(form) for form in forms)
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("count", "lang", "expected"),
    [
        (1, "de", "Bisher 1 Hinweis in Brackel."),
        (0, "de", "Bisher 0 Hinweise in Brackel."),
        (7, "de", "Bisher 7 Hinweise in Brackel."),
        (1, "en", "1 note in Brackel so far."),
        (2, "en", "2 notes in Brackel so far."),
    ],
)
def test_a_counted_message_takes_the_form_its_number_needs(
    count: int, lang: str, expected: str
) -> None:
    shown = translate_plural(
        "{count} note in {quarter} so far.",
        "{count} notes in {quarter} so far.",
        count,
        lang,
        quarter="Brackel",
    )
    assert shown == expected


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
