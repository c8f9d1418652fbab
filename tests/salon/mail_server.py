"""A real local SMTP server (aiosmtpd) for the mail tests, on a port picked free beforehand."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest


def free_port() -> int:
    """Return a TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every accepted message."""

    def __init__(self) -> None:
        self.envelopes: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(raw, policy=default) for _f, _t, raw in self.envelopes]


class SmtpServer:
    """Start and stop an aiosmtpd Controller on a fixed port (so it can come back on the same one)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller = None

    def start(self) -> None:
        try:
            from aiosmtpd.controller import Controller
        except ImportError:  # pragma: no cover - aiosmtpd is a test dependency
            pytest.skip("aiosmtpd is not installed")
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def running_smtp_server(app, monkeypatch):
    """Yield a running SMTP server the app sends to (wrap it in a fixture in the test module)."""
    server = SmtpServer(free_port())
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    server.start()
    yield server
    server.stop()
