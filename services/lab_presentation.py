"""What the presentation view of a lab shows besides the code: the join address in the
short form people type from a screen ("192.168.1.20:8501", not the whole link)."""

from __future__ import annotations

from urllib.parse import urlsplit


def short_address(link: str) -> str:
    """`link` without its scheme, query, fragment and trailing slash: the address to type
    on a phone (browsers add "http://" themselves). Empty for an empty link.

    >>> short_address("http://192.168.1.20:8501/?code=K7M3QX")
    '192.168.1.20:8501'
    >>> short_address("https://sicher.dortmund.de/labor/?code=K7M3QX")
    'sicher.dortmund.de/labor'
    >>> short_address("")
    ''
    """
    parts = urlsplit(link.strip())
    if not parts.netloc:
        return parts.path.strip("/")
    return (parts.netloc + parts.path).rstrip("/")
