"""Join links on localhost: which hosts phones cannot reach, which addresses to suggest."""

from __future__ import annotations

import pytest

from services.join_address import is_loopback_host, own_ipv4_addresses, suggested_urls


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("app.localhost", True),
        ("192.168.1.20", False),
        ("10.0.0.5", False),
        ("sichere-quartiere.dortmund.de", False),
        ("", False),
    ],
)
def test_loopback_hosts_are_recognised(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_suggestions_skip_loopback_link_local_ipv6_and_repeats() -> None:
    addresses = ["127.0.1.1", "192.168.1.20", "169.254.3.4", "::1", "fe80::1", "x", "10.0.0.5"]
    addresses.append("192.168.1.20")
    assert suggested_urls(addresses, port=8501) == [
        "http://192.168.1.20:8501",
        "http://10.0.0.5:8501",
    ]


def test_suggestions_without_a_port_and_for_no_addresses() -> None:
    assert suggested_urls(["192.168.1.20"], scheme="https", port=None) == ["https://192.168.1.20"]
    assert suggested_urls([]) == []


def test_own_addresses_are_ipv4_strings() -> None:
    for address in own_ipv4_addresses():
        assert address.count(".") == 3
