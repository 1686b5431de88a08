"""Whether phones can reach a join link, and which addresses of this laptop they could.

A QR code pointing at localhost, 127.x or ::1 leads every phone to itself. The pure
checks (`is_loopback_host`, `suggested_urls`) take values in and give values out; only
`own_ipv4_addresses` asks the operating system, and sends nothing.
"""

from __future__ import annotations

import ipaddress
import socket

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback_host(host: str) -> bool:
    """True for "localhost", 127.x.x.x and ::1 (with or without brackets); False for "".

    >>> is_loopback_host("127.0.0.1"), is_loopback_host("[::1]"), is_loopback_host("10.0.0.2")
    (True, True, False)
    """
    name = host.strip().strip("[]").lower()
    if not name:
        return False
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def suggested_urls(
    addresses: list[str], *, scheme: str = "http", port: int | None = 8501
) -> list[str]:
    """The app's address on each non-loopback IPv4 address, in order, without repeats.

    >>> suggested_urls(["127.0.0.1", "192.168.1.20", "192.168.1.20"], port=8501)
    ['http://192.168.1.20:8501']
    """
    urls: list[str] = []
    for address in addresses:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if ip.version != 4 or ip.is_loopback or ip.is_unspecified or ip.is_link_local:
            continue
        url = f"{scheme}://{ip}" + (f":{port}" if port else "")
        if url not in urls:
            urls.append(url)
    return urls


def own_ipv4_addresses() -> list[str]:
    """This machine's IPv4 addresses as the OS reports them (loopback included; filter with
    `suggested_urls`). Empty when the OS knows none; never raises."""
    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    # A UDP "connect" only picks the outgoing interface; no packet is sent.
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed to anyone
        found.append(str(probe.getsockname()[0]))
    except OSError:
        pass
    finally:
        probe.close()
    return found
