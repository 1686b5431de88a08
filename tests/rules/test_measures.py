"""The rules of the plan of measures: fields, and who may move a measure on."""

from __future__ import annotations

import itertools

import pytest
from shapely.geometry import Point, Polygon

from rules.errors import ValidationError
from rules.measures import (
    MOVE_ACTIONS,
    STATUSES,
    MeasureDraft,
    allowed_moves,
    check_create,
    check_move,
    validate_measure,
)
from rules.roles import PermissionDeniedError, Role

PATH = ["proposed", "discussed", "decided", "in_progress", "done"]
WHO = {
    "discussed": Role.PLANNER,
    "decided": Role.STEERING,
    "in_progress": Role.PLANNER,
    "done": Role.PLANNER,
}


def _draft(**changes: object) -> MeasureDraft:
    values: dict[str, object] = {
        "title": "  Laterne  am Hellweg ergänzen ",
        "measure_type": "lighting",
        "quarter_id": "320",
        "place": Point(7.55, 51.52),
        "working_group": "infrastructure",
        "responsible": "Tiefbauamt",
        "pin_ids": (3, 1, 3),
    }
    values.update(changes)
    return MeasureDraft(**values)  # type: ignore[arg-type]


def test_a_good_draft_is_cleaned() -> None:
    clean = validate_measure(_draft())
    assert clean.title == "Laterne am Hellweg ergänzen"
    assert clean.pin_ids == (1, 3)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "at most 200"),
        ({"measure_type": "teleport"}, "Unknown kind"),
        ({"working_group": "nobody"}, "working group"),
        ({"priority": 7}, "priority"),
        ({"cost_eur": -5.0}, "cost"),
        ({"cost_eur": float("nan")}, "cost"),
        ({"place": Polygon()}, "place"),
        ({"place": Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])}, "crosses itself"),
    ],
)
def test_bad_fields_are_named(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate_measure(_draft(**changes))


def test_the_whole_path_by_the_right_roles() -> None:
    for current, target in itertools.pairwise(PATH):
        assert check_move(WHO[target], current, target, "") == ""


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.STEERING])
def test_only_the_steering_circle_decides_or_rejects(role: Role) -> None:
    with pytest.raises(PermissionDeniedError, match="steering circle"):
        check_move(role, "discussed", "decided", "")
    with pytest.raises(PermissionDeniedError, match="steering circle"):
        check_move(role, "discussed", "rejected", "zu teuer")


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.PLANNER])
def test_only_planners_start_and_finish_work(role: Role) -> None:
    with pytest.raises(PermissionDeniedError, match="Only planners"):
        check_move(role, "decided", "in_progress", "")
    with pytest.raises(PermissionDeniedError, match="Only planners"):
        check_move(role, "in_progress", "done", "")
    with pytest.raises(PermissionDeniedError):
        check_create(role)
    check_create(Role.PLANNER)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("proposed", "decided"),
        ("proposed", "done"),
        ("done", "rejected"),
        ("rejected", "discussed"),
        ("in_progress", "decided"),
    ],
)
def test_steps_cannot_be_skipped_or_undone(current: str, target: str) -> None:
    role = WHO.get(target, Role.STEERING)
    with pytest.raises(ValidationError, match="cannot become"):
        check_move(role, current, target, "Grund")


def test_a_rejection_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="why"):
        check_move(Role.STEERING, "proposed", "rejected", "   ")
    assert check_move(Role.STEERING, "proposed", "rejected", " zu  teuer ") == "zu teuer"
    assert set(STATUSES) == {*PATH, "rejected"}


def test_the_offered_moves_are_exactly_the_allowed_ones() -> None:
    from rules.measures import allowed_moves

    for role in Role:
        for current in STATUSES:
            offered = set(allowed_moves(role, current))
            for target in STATUSES:
                try:
                    check_move(role, current, target, "Grund")
                except (PermissionDeniedError, ValidationError):
                    assert target not in offered, (role, current, target)
                else:
                    assert target in offered, (role, current, target)
    assert allowed_moves(Role.STEERING, "discussed") == ("decided", "rejected")


def test_every_move_has_an_action_of_its_own() -> None:
    """The buttons say what happens ("Decide"), not the status it leads to ("decided")."""
    targets = {
        target for role in Role for status in STATUSES for target in allowed_moves(role, status)
    }
    assert set(MOVE_ACTIONS) == targets
    assert len(set(MOVE_ACTIONS.values())) == len(MOVE_ACTIONS)
    assert not set(MOVE_ACTIONS.values()) & set(STATUSES.values())


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.PLANNER])
def test_only_planners_edit(role: Role) -> None:
    from rules.measures import check_edit

    with pytest.raises(PermissionDeniedError, match="Only planners edit"):
        check_edit(role, "proposed", ["title"])
    check_edit(Role.PLANNER, "proposed", ["title", "cost_eur"])


@pytest.mark.parametrize("status", ["done", "rejected"])
def test_a_closed_measure_keeps_all_but_its_texts(status: str) -> None:
    from rules.measures import EDIT_FIELDS, check_edit, editable_fields

    check_edit(Role.PLANNER, status, ["title", "description"])
    for field in set(EDIT_FIELDS) - {"title", "description"}:
        with pytest.raises(ValidationError, match="only its title and description"):
            check_edit(Role.PLANNER, status, ["title", field])
    assert editable_fields(status) == ("title", "description")
    assert editable_fields("in_progress") == tuple(EDIT_FIELDS)


def test_an_edit_is_kept_as_before_and_after() -> None:
    from datetime import UTC, date, datetime

    from rules.measures import (
        Measure,
        MeasureEdit,
        edit_changes,
        edit_detail,
        read_edit_detail,
        validate_edit,
    )

    now = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    measure = Measure(
        1, "Laterne", "lighting", "320", Point(7.55, 51.52), None, "", 2, None, None,
        "proposed", "", (), "pia", now, now, "alt",
    )  # fmt: skip
    edit = validate_edit(
        MeasureEdit("Laterne ", "lighting", " neu\n", priority=3, target_date=date(2027, 1, 5))
    )
    changes = edit_changes(measure, edit)
    assert changes == {
        "description": ("alt", "neu"),
        "priority": (2, 3),
        "target_date": (None, "2027-01-05"),
    }
    assert read_edit_detail(edit_detail(changes)) == changes
    assert read_edit_detail("not json") == {} and read_edit_detail('{"x": [1, 2]}') == {}


def test_a_description_has_a_limit() -> None:
    with pytest.raises(ValidationError, match="at most 2000"):
        validate_measure(_draft(description="x" * 2001))
    assert validate_measure(_draft(description=" Zeile 1\r\nZeile 2 ")).description == (
        "Zeile 1\nZeile 2"
    )


def test_a_new_place_is_checked_and_kept_as_wkt() -> None:
    from datetime import UTC, datetime

    from shapely.geometry import box

    from rules.measures import Measure, MeasureEdit, check_edit, edit_changes, validate_edit

    now = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    measure = Measure(
        1, "Laterne", "lighting", "320", Point(7.55, 51.52), None, "", 2, None, None,
        "proposed", "", (), "pia", now, now, "",
    )  # fmt: skip
    area = box(7.55, 51.52, 7.551, 51.521)
    moved = validate_edit(MeasureEdit("Laterne", "lighting", place=area))
    assert edit_changes(measure, moved) == {
        "place": ("POINT (7.55 51.52)", "POLYGON ((7.551 51.52, 7.551 51.521, 7.55 51.521, "
                  "7.55 51.52, 7.551 51.52))"),
    }  # fmt: skip
    same = validate_edit(MeasureEdit("Laterne", "lighting", place=Point(7.55, 51.52)))
    assert edit_changes(measure, same) == {}
    with pytest.raises(ValidationError, match="crosses itself"):
        validate_edit(MeasureEdit("x", "lighting", place=Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])))
    with pytest.raises(ValidationError, match="only its title and description"):
        check_edit(Role.PLANNER, "done", ["place"])
