"""The rules of following a note and of taking it back: addresses, the 10 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rules.errors import ValidationError
from rules.follows import (
    BAD_EMAIL,
    IN_A_MEASURE,
    MODERATED,
    NOT_YOURS,
    TOO_LATE,
    NoteFacts,
    WithdrawRefusedError,
    check_withdraw,
    clean_email,
    valid_follow_token,
)

SAVED = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
MINE = NoteFacts(owner="me", created_at=SAVED, in_a_measure=False, moderated=False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ana@example.org", "ana@example.org"),
        ("  Ana.Muster@Example.ORG\t", "Ana.Muster@example.org"),
        ("ana+karte@sub.example.de", "ana+karte@sub.example.de"),
        ("info@müller.de", "info@xn--mller-kva.de"),
    ],
)
def test_an_address_is_kept_as_typed_with_its_domain_in_ascii(typed: str, stored: str) -> None:
    assert clean_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ana",
        "ana@",
        "@example.org",
        "ana@localhost",
        "ana@example",
        "ana@@example.org",
        "ana@exa mple.org",
        "ana example@example.org",
        "Ana <ana@example.org>",
        "ana@example.org\nBcc: eve@example.org",
        "ana@example.org,eve@example.org",
        "ana..b@example.org",
        "ana@example..org",
        "ana@-example.org",
        "ana@1.2.3.4",
        "ä@example.org",
        "a" * 65 + "@example.org",
        "ana@" + "a" * 250 + ".org",
    ],
)
def test_anything_else_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_email(typed)
    assert refused.value.msgid == BAD_EMAIL


def test_the_author_may_withdraw_for_ten_minutes() -> None:
    check_withdraw(MINE, "me", SAVED + timedelta(minutes=10))
    with pytest.raises(WithdrawRefusedError) as late:
        check_withdraw(MINE, "me", SAVED + timedelta(minutes=10, milliseconds=1))
    assert late.value.msgid == TOO_LATE


@pytest.mark.parametrize(
    ("facts", "who", "reason"),
    [
        (MINE, "someone", NOT_YOURS),
        (MINE, "", NOT_YOURS),
        (NoteFacts("", SAVED, False, False), "", NOT_YOURS),
        (NoteFacts("me", SAVED, True, False), "me", IN_A_MEASURE),
        (NoteFacts("me", SAVED, False, True), "me", MODERATED),
    ],
)
def test_refusals_name_their_reason(facts: NoteFacts, who: str, reason: str) -> None:
    with pytest.raises(WithdrawRefusedError) as refused:
        check_withdraw(facts, who, SAVED)
    assert refused.value.msgid == reason


def test_a_link_token_must_look_like_one() -> None:
    assert valid_follow_token("A" * 32) == "A" * 32
    assert valid_follow_token("abc") is None
    assert valid_follow_token("<script>alert(1)</script>xxxxxxxx") is None
    assert valid_follow_token(["A" * 32]) is None
