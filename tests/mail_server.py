"""A real SMTP server on this machine for the tests (aiosmtpd): what the app sends,
received and parsed, on a free port of 127.0.0.1."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    """The mails the local server received, parsed, oldest first."""

    port: int
    mails: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    """A port nothing listens on (at this moment)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def local_smtp() -> Iterator[Inbox]:
    """An SMTP server on 127.0.0.1 for the duration of the block (no TLS, no login)."""
    inbox = Inbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def body(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def follow_link(mail: EmailMessage, base_url: str, action: str) -> str:
    """The one /folgen link of `action` in the mail's text."""
    found = re.findall(rf"{re.escape(base_url)}/folgen\?\S+aktion={action}", body(mail))
    assert len(found) == 1, body(mail)
    return str(found[0])


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]
