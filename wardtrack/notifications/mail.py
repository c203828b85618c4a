"""E-mail through SMTP (WARDTRACK_SMTP_URL): smtp://host:port, smtps://…,
smtp+starttls://user:pass@host:port."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

from flask import current_app

_DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


def enabled() -> bool:
    """Whether the e-mail channel is on (an SMTP URL is configured)."""
    return bool(current_app.config.get("SMTP_URL"))


def message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from MAIL_FROM to one address."""
    sender = current_app.config["MAIL_FROM"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail["Date"], mail["Message-ID"] = formatdate(usegmt=True), make_msgid(domain=domain)
    mail.set_content(body)
    return mail


def send(mail: EmailMessage) -> None:
    """Hand one message to the SMTP server; smtplib's errors (SMTPException, OSError) propagate."""
    url = urlsplit(current_app.config["SMTP_URL"])
    if url.scheme not in _DEFAULT_PORTS:
        raise ValueError(f"unsupported SMTP URL scheme {url.scheme!r}")
    port = url.port or _DEFAULT_PORTS[url.scheme]
    connect = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
    with connect(url.hostname, port, timeout=15) as smtp:
        if url.scheme == "smtp+starttls":
            smtp.starttls(context=ssl.create_default_context())
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(mail)
