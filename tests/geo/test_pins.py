"""Rules for a new pin: validate_draft, clean_text and check_inside."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.pins import EDGE_TOLERANCE_M, check_inside, validate_draft
from rules.errors import OutsideQuarterError, ValidationError
from rules.pins import PinDraft, clean_text
from rules.vocab import TEXT_MAX_CHARS
from tests.factories import make_draft

QUARTER_NAME = "Testquartier"


@pytest.fixture
def draft(square) -> PinDraft:
    """A valid draft at the centre of the square quarter."""
    lon, lat = square.point(0, 0)
    return make_draft(
        "token-1", quarter_id="test", lon=lon, lat=lat, time_band="evening", severity=None
    )


# --- validate_draft ------------------------------------------------------------


def test_valid_draft_is_returned_cleaned(draft, square):
    raw = replace(draft, text="  Keine Laterne\x00 am Weg  ", severity=2)
    cleaned = validate_draft(raw, square.polygon, QUARTER_NAME)
    assert cleaned.text == "Keine Laterne am Weg"
    assert cleaned.severity == 2
    assert (cleaned.category, cleaned.time_band, cleaned.token) == ("dark", "evening", "token-1")
    # The input draft is not changed.
    assert raw.text == "  Keine Laterne\x00 am Weg  "


@pytest.mark.parametrize(
    ("category", "time_band", "expected"),
    [
        (None, "evening", ["category"]),
        ("dark", None, ["when it feels unsafe"]),
        (None, None, ["category", "when it feels unsafe"]),
    ],
)
def test_missing_choices_are_listed(draft, square, category, time_band, expected):
    with pytest.raises(ValidationError) as exc_info:
        validate_draft(
            replace(draft, category=category, time_band=time_band), square.polygon, QUARTER_NAME
        )
    assert exc_info.value.params["fields"] == expected
    assert str(exc_info.value) == f"Please choose: {', '.join(expected)}."


@pytest.mark.parametrize(
    ("field", "value", "word"),
    [
        ("category", "darkness", "category"),
        ("category", "DARK", "category"),
        ("category", "", "category"),
        ("time_band", "morning", "time of day"),
        ("time_band", "", "time of day"),
    ],
)
def test_unknown_codes_are_refused(draft, square, field, value, word):
    with pytest.raises(ValidationError) as exc_info:
        validate_draft(replace(draft, **{field: value}), square.polygon, QUARTER_NAME)
    assert exc_info.value.params == {"value": value}
    assert word in str(exc_info.value)


@pytest.mark.parametrize("severity", [None, 1, 2, 3])
def test_known_severities_pass(draft, square, severity):
    result = validate_draft(replace(draft, severity=severity), square.polygon, QUARTER_NAME)
    assert result.severity == severity


@pytest.mark.parametrize("severity", [0, 4, -1, 99, True])
def test_unknown_severities_are_refused(draft, square, severity):
    with pytest.raises(ValidationError, match="Severity"):
        validate_draft(replace(draft, severity=severity), square.polygon, QUARTER_NAME)


def test_empty_token_is_refused(draft, square):
    with pytest.raises(ValidationError, match="expired"):
        validate_draft(replace(draft, token=""), square.polygon, QUARTER_NAME)


@pytest.mark.parametrize("length", [TEXT_MAX_CHARS + 1, TEXT_MAX_CHARS + 200])
def test_text_over_the_limit_is_refused(draft, square, length):
    with pytest.raises(ValidationError) as exc_info:
        validate_draft(replace(draft, text="x" * length), square.polygon, QUARTER_NAME)
    assert exc_info.value.params == {"length": length, "limit": TEXT_MAX_CHARS}
    assert str(TEXT_MAX_CHARS) in str(exc_info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * TEXT_MAX_CHARS, "x" * TEXT_MAX_CHARS),
        # Surrounding blanks are trimmed before counting.
        ("  " + "x" * TEXT_MAX_CHARS + "\n", "x" * TEXT_MAX_CHARS),
        # 1000 code points before NFC, 500 after: counted after normalisation.
        ("e\u0301" * TEXT_MAX_CHARS, "\u00e9" * TEXT_MAX_CHARS),
    ],
    ids=["exactly-500", "500-after-trim", "500-after-nfc"],
)
def test_text_at_the_limit_is_accepted(draft, square, text, expected):
    result = validate_draft(replace(draft, text=text), square.polygon, QUARTER_NAME)
    assert result.text == expected
    assert len(result.text) == TEXT_MAX_CHARS


def test_outside_point_fails_validation(draft, square):
    lon, lat = square.point(square.half_side_m + 200, 0)
    with pytest.raises(OutsideQuarterError):
        validate_draft(replace(draft, lon=lon, lat=lat), square.polygon, QUARTER_NAME)


# --- clean_text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x00b", "ab"),
        ("a\x07b\x1bc\x7fd", "abcd"),
        ("zero\u200bwidth", "zero\u200bwidth"),
        ("right\u202eto left", "rightto left"),
        ("a\rb", "a\nb"),
        ("line 1\nline 2", "line 1\nline 2"),
        ("line 1\r\nline 2", "line 1\nline 2"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("<b>fett</b> & 'so' \"weiter\"", "<b>fett</b> & 'so' \"weiter\""),
        ("e\u0301", "\u00e9"),
        ("Stra\u00dfe an der Ruhr\u0308", "Stra\u00dfe an der Ruhr\u0308"),
        ("Bo\u0308vinghausen", "B\u00f6vinghausen"),
        ("  trimmed \n", "trimmed"),
        ("😀 Straße", "😀 Straße"),
    ],
)
def test_clean_text(text, expected):
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Feuerwehr 👩\u200d🚒", "Angst \U0001fae8"],
    ids=["zwj-sequence", "unicode-15-emoji"],
)
def test_clean_text_keeps_emoji_as_typed(text):
    assert clean_text(text) == text


# --- check_inside --------------------------------------------------------------


def test_edge_tolerance_is_15_metres():
    assert EDGE_TOLERANCE_M == 15.0


@pytest.mark.parametrize(
    ("dx", "dy"),
    [
        (0, 0),
        (400, -300),
        (-499, 499),
        (500, 0),  # on the edge
        (510, 0),  # 10 m east of the edge
        (0, -510),  # 10 m south of the edge
        (-514, 0),  # 14 m outside: just inside the 15 m tolerance
    ],
)
def test_check_inside_accepts_points_in_or_near_the_quarter(square, dx, dy):
    lon, lat = square.point(dx, dy)
    check_inside(lon, lat, square.polygon, QUARTER_NAME)  # must not raise


@pytest.mark.parametrize(
    ("dx", "dy"),
    [
        (700, 0),  # 200 m east
        (0, 700),  # 200 m north
        (-700, -700),  # beyond a corner
        (0, -516),  # 16 m outside: just beyond the 15 m tolerance
    ],
)
def test_check_inside_refuses_points_outside(square, dx, dy):
    lon, lat = square.point(dx, dy)
    with pytest.raises(OutsideQuarterError) as exc_info:
        check_inside(lon, lat, square.polygon, QUARTER_NAME)
    assert exc_info.value.params == {"quarter": QUARTER_NAME}
    assert QUARTER_NAME in str(exc_info.value)
