"""The MIME message of an outbox row, safe whatever the database holds.

Names and subjects typed by people (a fair's name, an organisation's) end up in headers: a line break there
would add headers of its own ("Bcc: ..."), and Python's e-mail package refuses it with an error. So every
header value is put on one line first, and an address that is not a plain address makes the build fail for
that message alone (the sender marks it failed with the reason; the others go on).
"""

from __future__ import annotations

import base64
from datetime import UTC
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from flask import current_app

from salon.extensions import db
from salon.models import Fair, OutboxMessage
from salon.text import has_control_characters, single_line


class UnbuildableMessage(ValueError):
    """An outbox row that cannot become an e-mail (a broken address, attachment...)."""


def sender_address() -> str:
    """Return the bare address messages are sent from (also the calendars' ORGANIZER)."""
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1] or "no-reply@salon.localhost"


def plain_address(value: str | None) -> str | None:
    """Return the address if it is one plain `local@domain` address, else None."""
    text = (value or "").strip()
    if not text or has_control_characters(text) or any(ch in text for ch in ' ,;<>()"'):
        return None
    try:
        address = Address(addr_spec=text)
    except (ValueError, IndexError, TypeError):
        return None
    return text if address.username and address.domain else None


def build_email(row: OutboxMessage) -> EmailMessage:
    """Build the MIME message of an outbox row; the same row always gives the same Message-ID."""
    to = plain_address(row.to_address)
    if to is None:
        raise UnbuildableMessage(f"recipient address {row.to_address!r} is not a valid address")
    message = EmailMessage()
    fair = db.session.get(Fair, row.fair_id) if row.fair_id else None
    if fair is not None:
        message["From"] = formataddr((single_line(fair.name), sender_address()))
        reply_to = plain_address(fair.contact_email)
        if reply_to:  # a broken contact address only loses the Reply-To, never the message
            message["Reply-To"] = reply_to
    else:
        message["From"] = single_line(current_app.config["MAIL_DEFAULT_SENDER"])
    message["To"] = to
    message["Subject"] = single_line(row.subject)
    message["Date"] = format_datetime(row.created_at.astimezone(UTC))
    message["Message-ID"] = f"<{single_line(row.message_id)}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    for attachment in row.attachments or []:
        _attach(message, attachment)
    return message


def _attach(message: EmailMessage, attachment: dict) -> None:
    """Attach one {filename, content_type, text | base64} item, keeping its bytes exact (CRLF)."""
    if "base64" in attachment:
        data = base64.b64decode(attachment["base64"], validate=True)
    else:
        data = attachment.get("text", "").encode("utf-8")
    mime, *param_bits = [single_line(p) for p in attachment.get("content_type", "").split(";")]
    maintype, _, subtype = (mime or "application/octet-stream").partition("/")
    params = dict(p.split("=", 1) for p in param_bits if "=" in p)
    if maintype == "text":
        params.setdefault("charset", "utf-8")
    filename = single_line(attachment.get("filename")) or None
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename, params=params)
