"""Reading a table of residents per statistical district."""

from __future__ import annotations

from datetime import date

import pytest

from rules.errors import ValidationError
from rules.population import Residents, read_population_csv
from tests.conftest import mirror_dir


def test_the_city_table_from_the_data_mirror() -> None:
    rows = read_population_csv((mirror_dir() / "bevoelkerung_quartiere.csv").read_bytes())
    by_id = {r.district_id: r for r in rows}
    assert by_id["320"] == Residents("320", 24770, date(2023, 12, 31))
    assert by_id["710"].residents == 5795


def test_semicolons_english_names_and_thousands_dots() -> None:
    data = b"district_id;residents\n320;24.770\n710;5795\n"
    assert read_population_csv(data) == [
        Residents("320", 24770, None),
        Residents("710", 5795, None),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"bezirk;zahl\n1;2\n", "needs a column"),
        (b"district_id,residents\n320,viele\n", "Line 2"),
        (b"district_id,residents\n320,1\n320,2\n", "appears twice"),
        (b"district_id,residents,as_of\n320,1,31.12.2023\n", "not a date"),
        (b"district_id,residents\n", "no residents"),
        (b"einwohner\nviele\n", "needs a column"),  # one column: no separator to sniff
        (b"", "needs a column"),
    ],
)
def test_bad_files_are_refused_with_the_reason(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        read_population_csv(data)
