"""The demo's mailbox: a local SMTP server catches what the outbox sends, and pages show the messages.

`salon demo` starts it: an aiosmtpd server on a free loopback port stores every message it accepts in a
Maildir, and a thread prepares and sends the outbox (prepare_all, send_pending) every few seconds, so the
e-mails are the ones production would send. The /demo/mailbox pages exist only in the demo: create_app()
never registers them.
"""

from __future__ import annotations

import mailbox
import re
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, render_template
from markupsafe import Markup, escape
from werkzeug.utils import secure_filename

from salon.extensions import db

DRAIN_SECONDS = 2.0
bp = Blueprint("demo", __name__, url_prefix="/demo")
_LINK = re.compile(r"https?://[^\s<>\"']+")


class _MaildirHandler:
    """aiosmtpd handler: keep each accepted message, bytes untouched, in the Maildir."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 (aiosmtpd's hook)
        mailbox.Maildir(self.path, create=True).add(envelope.original_content)
        return "250 Message accepted for delivery"


@dataclass
class DemoMailbox:
    """The running catcher and the thread that drains the outbox into it."""

    controller: object
    stop: threading.Event
    thread: threading.Thread
    port: int

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        self.controller.stop()  # type: ignore[attr-defined]


def maildir_path(app: Flask) -> Path:
    """Return where the demo keeps the caught messages."""
    return Path(app.config.get("SALON_DEMO_MAILDIR") or Path(app.instance_path) / "demo-mail")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(app: Flask) -> DemoMailbox:
    """Start the catcher, point the app's mail settings at it, drain the outbox, and add the pages."""
    from aiosmtpd.controller import Controller

    path = maildir_path(app)
    mailbox.Maildir(path, create=True)
    port = _free_port()
    controller = Controller(_MaildirHandler(path), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USE_SSL=False,
        MAIL_USERNAME=None, MAIL_PASSWORD=None, SALON_DEMO_MAILDIR=str(path),
    )  # fmt: skip
    app.register_blueprint(bp)
    stop = threading.Event()
    thread = threading.Thread(target=_drain, args=(app, stop), name="demo-mail", daemon=True)
    thread.start()
    return DemoMailbox(controller, stop, thread, port)


def _drain(app: Flask, stop: threading.Event) -> None:
    """Run the real sender now and every few seconds until stopped."""
    from salon.preparing import prepare_all
    from salon.services.mail import send_pending

    while True:
        with app.app_context():
            try:
                prepare_all()
                send_pending()
            except Exception:  # noqa: BLE001  (the demo keeps serving; the log says what failed)
                app.logger.exception("demo mailbox: sending the outbox failed")
            finally:
                db.session.remove()
        if stop.wait(DRAIN_SECONDS):
            return


# ---- pages --------------------------------------------------------------------------------------


@dataclass
class Caught:
    """One caught message, parsed."""

    key: str
    received: datetime
    message: EmailMessage
    headers: dict[str, str]  # From, To, Subject as a mail client shows them


def _box() -> mailbox.Maildir:
    return mailbox.Maildir(maildir_path(current_app), create=True)


def _parse(box: mailbox.Maildir, key: str) -> Caught:
    try:
        raw = box.get_bytes(key)
        received = datetime.fromtimestamp(box.get_message(key).get_date(), UTC)
    except KeyError:
        abort(404)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    return Caught(key, received, message, shown_headers(raw))  # type: ignore[arg-type]


def shown_headers(raw: bytes) -> dict[str, str]:
    """Decode From, To and Subject as RFC 2047 says: the space between two encoded words folded onto two
    lines is not text (Python's default policy keeps it in an address's display name: "res ponsable")."""
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    shown = ("From", "To", "Subject")
    return {name: str(make_header(decode_header(headers.get(name, "")))) for name in shown}


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def linkify(text: str) -> Markup:
    """Escape the text and make its web addresses clickable."""
    out, last = [], 0
    for match in _LINK.finditer(text):
        url = match.group(0).rstrip(".,;:)")
        out += [escape(text[last : match.start()]), Markup('<a href="{0}">{0}</a>').format(url)]
        last = match.start() + len(url)
    out.append(escape(text[last:]))
    return Markup("").join(out)


@bp.get("/mailbox")
def mailbox_page():
    box = _box()
    caught = sorted((_parse(box, key) for key in box.keys()), key=lambda c: c.received, reverse=True)
    return render_template("demo/mailbox.html", caught=caught)


@bp.get("/mailbox/<key>")
def message_page(key: str):
    caught = _parse(_box(), key)
    attachments = list(caught.message.iter_attachments())
    return render_template(
        "demo/message.html", caught=caught, body=linkify(_text_of(caught.message)), attachments=attachments
    )


@bp.get("/mailbox/<key>/attachments/<int:index>")
def attachment(key: str, index: int):
    parts = list(_parse(_box(), key).message.iter_attachments())
    if index >= len(parts):
        abort(404)
    part = parts[index]
    name = secure_filename(part.get_filename() or "") or f"attachment-{index}"
    return Response(
        part.get_payload(decode=True),
        mimetype=part.get_content_type(),
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
