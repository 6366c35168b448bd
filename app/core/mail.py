"""Outgoing e-mail: SMTP when MAIL_SERVER is set, otherwise .eml files in the instance folder.

The file backend lets the demo (and the tests) show exactly what would be sent, without a mail
server. Callers deliver from the outbox and pass the outbox message's key: it becomes the
Message-ID and, for the file backend, the file name, so a retried delivery overwrites its own
file instead of adding a second one, and receiving servers can drop a duplicate by its
Message-ID.
"""
import hashlib
import os
import smtplib
import tempfile
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from flask import current_app

IMPLICIT_TLS_PORT = 465


def _digest(key):
    return hashlib.sha256(str(key).encode("utf-8")).hexdigest()[:40]


def message_id(key):
    """A stable Message-ID for one idempotency key."""
    domain = current_app.config.get("MAIL_FROM", "").rpartition("@")[2].strip("> ") or "mejadata"
    return f"<{_digest(key)}@{domain}>"


def _one_line(text):
    # A header with a line break is refused by the email package (and would be an injection).
    return " ".join(str(text).split())


def build(to, subject, body, key):
    msg = EmailMessage()
    msg["From"] = current_app.config.get("MAIL_FROM") or "MejaData <noreply@localhost>"
    msg["To"] = _one_line(to)
    msg["Subject"] = _one_line(subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id(key)
    msg.set_content(str(body))
    return msg


def send(to, subject, body, key):
    """Send one plain-text e-mail. Raises on failure, so the outbox retries it.

    Returns where it went: "smtp" or the path of the .eml file written.
    """
    msg = build(to, subject, body, key)
    if current_app.config.get("MAIL_SERVER"):
        _smtp(msg)
        return "smtp"
    return str(_file(msg, key))


def _smtp(msg):
    cfg = current_app.config
    port = int(cfg.get("MAIL_PORT") or 587)
    kind = smtplib.SMTP_SSL if port == IMPLICIT_TLS_PORT else smtplib.SMTP
    with kind(cfg["MAIL_SERVER"], port, timeout=30) as server:
        if cfg.get("MAIL_USE_TLS") and kind is smtplib.SMTP:
            server.starttls()
        if cfg.get("MAIL_USERNAME"):
            server.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        server.send_message(msg)


def mail_dir():
    configured = current_app.config.get("MAIL_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "mail"


def _file(msg, key):
    """Write atomically under a name made from the key: the same key replaces its file."""
    folder = mail_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_digest(key)}.eml"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".mail-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(msg.as_bytes())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
