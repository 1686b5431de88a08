"""Plain-text mails through the configured SMTP server (config.settings.SmtpSettings).

One connection per batch (`smtp_connection`): a planner's status move that owes ten
mails waits for one connection, not ten. Every failure of the network or the server
becomes a MailError with a message for people; the log keeps the server's answer.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Final

from config.settings import SmtpSettings
from rules.errors import N_, SQError

_log = logging.getLogger(__name__)
TIMEOUT_S: Final = 10.0
NOT_SENT: Final = N_("The e-mail could not be sent just now. Please try again in a moment.")


class MailError(SQError):
    """A mail could not be sent (server unreachable, login refused, address refused)."""


def plain_mail(
    *, sender: str, to: str, subject: str, body: str, unsubscribe: str | None = None
) -> EmailMessage:
    """A UTF-8 plain-text mail; with `unsubscribe`, the List-Unsubscribe header mail
    programs show as their own "unsubscribe" button."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message.set_content(body, subtype="plain", charset="utf-8")
    return message


@contextmanager
def smtp_connection(smtp: SmtpSettings, *, timeout_s: float = TIMEOUT_S) -> Iterator[smtplib.SMTP]:
    """An open, logged-in connection to the mail server (STARTTLS unless switched off);
    MailError if it cannot be had or breaks while in use."""
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=timeout_s) as client:
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            yield client
    except (OSError, smtplib.SMTPException) as exc:
        _log.warning("mail server %s:%s: %s", smtp.host, smtp.port, exc)
        raise MailError(NOT_SENT) from exc


def send(client: smtplib.SMTP, message: EmailMessage) -> None:
    """Send one mail on an open connection; MailError if the server refuses it."""
    try:
        client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        _log.warning("mail refused: %s", exc)
        raise MailError(N_("The mail server refused this address.")) from exc
    except (OSError, smtplib.SMTPException) as exc:
        _log.warning("mail not sent: %s", exc)
        raise MailError(NOT_SENT) from exc
