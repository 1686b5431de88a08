"""The short join address a lab's presentation view shows."""

from __future__ import annotations

import doctest

import pytest

from services import lab_presentation
from services.lab_presentation import short_address


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("http://192.168.1.20:8501/?code=K7M3QX", "192.168.1.20:8501"),
        ("https://sicher.dortmund.de/?code=K7M3QX", "sicher.dortmund.de"),
        ("https://sicher.dortmund.de/labor/?code=K7M3QX#karte", "sicher.dortmund.de/labor"),
        ("http://[fe80::1]:8501/?code=K7M3QX", "[fe80::1]:8501"),
        ("  http://127.0.0.1:8501/  ", "127.0.0.1:8501"),
        ("", ""),
    ],
)
def test_short_address_keeps_host_port_and_path_only(link: str, expected: str) -> None:
    assert short_address(link) == expected


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(lab_presentation).failed == 0
