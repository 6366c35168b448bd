"""app.core.mail: the .eml file backend and the SMTP path (against a tiny local server)."""
import email
import socketserver
import threading
from email import policy

import pytest

from app.core import mail


@pytest.fixture
def mail_dir(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path / "mail"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "MAIL_FROM", "Portal Data <noreply@data.example.go.id>")
    return tmp_path / "mail"


def read(path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def test_file_backend_writes_one_file_per_key(mail_dir):
    first = mail.send("a@example.com", "Halo", "Isi pertama", key="k-1")
    again = mail.send("a@example.com", "Halo", "Isi kedua", key="k-1")  # a retry
    other = mail.send("a@example.com", "Halo", "Isi lain", key="k-2")
    assert first == again != other
    assert sorted(p.name for p in mail_dir.iterdir()) == sorted(
        {first.rsplit("/", 1)[1], other.rsplit("/", 1)[1]})
    msg = read(mail_dir / first.rsplit("/", 1)[1])
    assert msg["To"] == "a@example.com" and msg["Subject"] == "Halo"
    assert msg["From"] == "Portal Data <noreply@data.example.go.id>"
    assert msg["Message-ID"] == mail.message_id("k-1")
    assert msg["Message-ID"].endswith("@data.example.go.id>")
    assert msg.get_content().strip() == "Isi kedua"


def test_headers_cannot_be_injected(mail_dir):
    path = mail.send("a@example.com", "Judul\r\nBcc: korban@example.com", "Isi", key="k")
    msg = read(mail_dir / path.rsplit("/", 1)[1])
    assert msg["Bcc"] is None and msg["Subject"] == "Judul Bcc: korban@example.com"


class _FakeSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greets, accepts every command, keeps each DATA."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 fake ESMTP")
        envelope, lines, in_data = [], [], False
        while line := self.rfile.readline():
            if in_data:
                if line == b".\r\n":
                    self.server.received.append((envelope, b"".join(lines)))
                    envelope, lines, in_data = [], [], False
                    self.reply("250 queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            command = line[:4].upper()
            if command == b"QUIT":
                return self.reply("221 bye")
            if command == b"DATA":
                in_data = True
                self.reply("354 end with .")
                continue
            if command in (b"MAIL", b"RCPT"):
                envelope.append(line.decode().strip())
            self.reply("250 ok")


@pytest.fixture
def smtp_server(app, monkeypatch):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _FakeSmtp)
    server.daemon_threads = True
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.server_address[1])
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "")
    yield server
    server.shutdown()
    server.server_close()


def test_smtp_delivers_with_the_key_as_message_id(smtp_server, tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path / "unused"))
    assert mail.send("pemohon@example.com", "Nomor PD-2026-000001", "Isi e-mail.",
                     key="tickets.mail:1") == "smtp"
    ((envelope, data),) = smtp_server.received
    assert envelope[1].lower() == "rcpt to:<pemohon@example.com>"
    msg = email.message_from_bytes(data, policy=policy.default)
    assert msg["Subject"] == "Nomor PD-2026-000001"
    assert msg["Message-ID"] == mail.message_id("tickets.mail:1")
    assert msg.get_content().strip() == "Isi e-mail."
    assert not (tmp_path / "unused").exists()  # nothing written as a file


def test_smtp_failure_raises_so_the_outbox_retries(app, monkeypatch):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    with pytest.raises(OSError):
        mail.send("a@example.com", "Halo", "Isi", key="k")
