"""Sending e-mail.

``send_mail`` builds a standard ``EmailMessage`` and either hands it to an SMTP server
(``MAIL_SERVER`` set) or writes it as an ``.eml`` file into ``MAIL_OUTBOX_DIR`` and logs where,
so a development machine needs no mail server and nothing is lost.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, render_template

log = logging.getLogger(__name__)


class MailError(Exception):
    """The message could not be handed over."""


@dataclass(frozen=True)
class MailSettings:
    server: str | None
    port: int
    use_tls: bool
    use_ssl: bool
    username: str | None
    password: str | None
    timeout: int
    sender: str
    outbox: Path

    @classmethod
    def from_config(cls, config) -> MailSettings:
        return cls(
            server=config.get("MAIL_SERVER"),
            port=int(config.get("MAIL_PORT", 25)),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
            timeout=int(config.get("MAIL_TIMEOUT", 10)),
            sender=config["MAIL_DEFAULT_SENDER"],
            outbox=Path(config["MAIL_OUTBOX_DIR"]),
        )


Attachment = tuple[str, str, bytes]  # file name, MIME type ("image/svg+xml"), content


def build_message(
    settings: MailSettings,
    to: str,
    subject: str,
    body: str,
    reply_to: str | None = None,
    attachments: list[Attachment] | tuple = (),
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1].strip("> "))
    if reply_to:
        msg["Reply-To"] = reply_to
    msg.set_content(body)
    for filename, mime_type, content in attachments:
        maintype, subtype = mime_type.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def deliver(settings: MailSettings, msg: EmailMessage) -> Path | None:
    """Send ``msg`` by SMTP, or write it to the outbox; returns the file path in that case."""
    if settings.server:
        try:
            smtp_cls = smtplib.SMTP_SSL if settings.use_ssl else smtplib.SMTP
            with smtp_cls(settings.server, settings.port, timeout=settings.timeout) as smtp:
                if settings.use_tls and not settings.use_ssl:
                    smtp.starttls()
                if settings.username:
                    smtp.login(settings.username, settings.password or "")
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            log.exception("Sending mail to %s failed", msg["To"])
            raise MailError(str(exc)) from exc
        log.info("Mail sent to %s: %s", msg["To"], msg["Subject"])
        return None
    settings.outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = settings.outbox / f"{stamp}-{secrets.token_hex(4)}.eml"
    path.write_bytes(bytes(msg))
    log.info("Mail to %s written to the outbox: %s", msg["To"], path.name)
    return path


def send_mail(
    to: str,
    subject: str,
    body: str,
    reply_to: str | None = None,
    attachments: list[Attachment] | tuple = (),
) -> Path | None:
    settings = MailSettings.from_config(current_app.config)
    return deliver(settings, build_message(settings, to, subject, body, reply_to, attachments))


def send_template_in_background(to: str, subject: str, template: str, **context) -> None:
    """Render now, deliver in a background thread: the answer to the request then takes the
    same time whether or not a mail is sent (no account enumeration through timing).
    Delivery failures are logged."""
    settings = MailSettings.from_config(current_app.config)
    msg = build_message(settings, to, subject, render_template(f"mail/{template}.txt", **context))

    def run() -> None:
        try:
            deliver(settings, msg)
        except MailError:
            pass  # already logged by deliver()

    threading.Thread(target=run, name="hallobot-mail", daemon=True).start()


def send_template(
    to: str,
    subject: str,
    template: str,
    *,
    reply_to: str | None = None,
    attachments: list[Attachment] | tuple = (),
    **context,
) -> Path | None:
    """Render ``templates/mail/<template>.txt`` and send it (answers go to ``reply_to``)."""
    body = render_template(f"mail/{template}.txt", **context)
    return send_mail(to, subject, body, reply_to, attachments)
