"""Mails to residents who follow their note: a confirmation first (double opt-in), then
one per status change of a linked measure, each with a one-click unsubscribe link.

Mails go only when a mail server (SQ_SMTP_*) and the app's public address
(SQ_PUBLIC_URL, which the links need) are configured: `mail_setup` says whether. The
texts are German plain text, from the translation catalogue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Final
from urllib.parse import urlencode

from config.settings import Settings, SmtpSettings, load_settings
from rules.errors import SQError
from rules.measures import STATUS_WORDS, STATUSES
from services.i18n import DEFAULT_LANGUAGE as DE
from services.i18n import translate
from services.mailer import MailError, plain_mail, send, smtp_connection
from store import Store
from store.follows import DueMail, Follow

_log = logging.getLogger(__name__)

# The link parameters of /folgen (the public URL scheme).
FOLLOW_PATH: Final = "/folgen"
CONFIRM: Final = "bestaetigen"
UNSUBSCRIBE: Final = "abmelden"
SIGNATURE: Final = "Sichere Quartiere Dortmund"


@dataclass(frozen=True, slots=True)
class MailSetup:
    """Everything a mail needs: the server, and the app's address for the links."""

    smtp: SmtpSettings
    base_url: str


def mail_setup(settings: Settings | None = None) -> MailSetup | None:
    """The mail server and the public address, or None when either is missing (then
    nobody is offered to follow a note, and nothing is sent)."""
    found = settings or load_settings()
    if found.smtp is None or not found.public_url:
        return None
    return MailSetup(smtp=found.smtp, base_url=found.public_url.rstrip("/"))


def follow_link(setup: MailSetup, token: str, action: str) -> str:
    """/folgen?token=…&aktion=bestaetigen|abmelden, absolute."""
    return f"{setup.base_url}{FOLLOW_PATH}?{urlencode({'token': token, 'aktion': action})}"


def measure_link(setup: MailSetup, measure_id: int) -> str:
    return f"{setup.base_url}/massnahme?{urlencode({'nr': measure_id})}"


def note_link(setup: MailSetup, pin_id: int) -> str:
    return f"{setup.base_url}/mein-hinweis?{urlencode({'hinweis': pin_id})}"


def confirmation_mail(follow: Follow, setup: MailSetup) -> EmailMessage:
    """The double opt-in mail: nothing else goes to the address until its link is used."""
    body = "\n\n".join(
        [
            translate("Hello,", DE),
            translate(
                "you would like to hear what becomes of your note no. {number} on the map"
                " “Sichere Quartiere”. Please confirm your e-mail address with this link:",
                DE,
                number=follow.pin_id,
            ),
            follow_link(setup, follow.token, CONFIRM),
            translate(
                "Only then will we write to you: once for every step of a measure that takes"
                " up your note. If you did not ask for this, do nothing: an address that is"
                " not confirmed within 7 days is deleted.",
                DE,
            ),
            translate("What became of your note can also be seen at any time without e-mail:", DE),
            note_link(setup, follow.pin_id),
            SIGNATURE,
        ]
    )
    return plain_mail(
        sender=setup.smtp.sender,
        to=follow.email,
        subject=translate(
            "Please confirm: news about your note no. {number}", DE, number=follow.pin_id
        ),
        body=body + "\n",
    )


def status_mail(mail: DueMail, setup: MailSetup) -> EmailMessage:
    """One step of a measure, told to one follower of a linked note."""
    unsubscribe = follow_link(setup, mail.token, UNSUBSCRIBE)
    facts = [
        translate("Measure: {title}", DE, title=mail.measure_title),
        translate(STATUS_WORDS.get(mail.status, mail.status), DE),
    ]
    if mail.status == "rejected" and mail.status_reason:
        facts.append(translate("Reason: {reason}", DE, reason=mail.status_reason))
    parts = [
        translate("Hello,", DE),
        translate("there is news about your note no. {number}.", DE, number=mail.pin_id),
        "\n".join(facts),
        translate("More about the measure:", DE) + "\n" + measure_link(setup, mail.measure_id),
    ]
    if mail.last:
        parts.append(
            translate(
                "Every measure for your note is now completed, so this is our last mail:"
                " your e-mail address has been deleted.",
                DE,
            )
        )
    else:
        parts.append(
            translate("No more mails? One click deletes your e-mail address:", DE)
            + "\n"
            + unsubscribe
        )
    parts.append(SIGNATURE)
    return plain_mail(
        sender=setup.smtp.sender,
        to=mail.email,
        subject=translate(
            "Your note no. {number}: measure {status}",
            DE,
            number=mail.pin_id,
            status=translate(STATUSES.get(mail.status, mail.status), DE),
        ),
        body="\n\n".join(parts) + "\n",
        unsubscribe=None if mail.last else unsubscribe,
    )


def ask_to_follow(
    store: Store, pin_id: int, email: str, participant: str, *, setup: MailSetup
) -> Follow:
    """Store the address for the note (as the device that saved it) and send the
    confirmation mail. An address confirmed already gets no second mail. If the mail
    cannot be sent, the address is not kept (MailError); a refused address or note
    raises ValidationError."""
    follow = store.add_follow(pin_id, email, participant)
    if follow.confirmed_at is not None:
        return follow
    try:
        with smtp_connection(setup.smtp) as client:
            send(client, confirmation_mail(follow, setup))
    except MailError:
        store.unfollow(follow.token)
        raise
    return follow


def tell_followers(store: Store, measure_id: int, *, setup: MailSetup | None = None) -> int:
    """Send what is due for `measure_id`'s followers; how many mails were sent.

    Each mail is claimed in the store before it is sent, so every follower gets one
    mail per status change even if two processes call at once; a mail that could not be
    sent is owed again (to the next call). When all went out, the addresses whose every
    measure is done or rejected are deleted. Never raises: the status move that called
    it has happened, and a mail server down must not undo it on the screen (the log
    says what went wrong)."""
    ready = setup or mail_setup()
    if ready is None:
        return 0
    sent = failed = 0
    try:
        due = store.due_follow_mails(measure_id)
        if due:
            sent, failed = _send_due(store, due, ready)
        if not failed:
            store.end_finished_follows(measure_id)
    except SQError as exc:
        _log.warning("mails about measure %s: %s", measure_id, exc)
    return sent


def _send_due(store: Store, due: list[DueMail], setup: MailSetup) -> tuple[int, int]:
    """Send the due mails on one connection; how many were sent, and how many failed."""
    sent = failed = 0
    with smtp_connection(setup.smtp) as client:
        for mail in due:
            if not store.claim_follow_mail(mail):
                continue  # another process sends it, or the address went meanwhile
            try:
                send(client, status_mail(mail, setup))
            except MailError as exc:
                store.unclaim_follow_mail(mail)
                _log.warning("mail about measure %s not sent: %s", mail.measure_id, exc)
                failed += 1
                continue
            sent += 1
    return sent, failed
