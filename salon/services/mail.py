"""E-mail: queue messages in the outbox (same transaction as the change) and send them (at-least-once)."""

from __future__ import annotations

from collections.abc import Iterable

from salon.extensions import db
from salon.models import Fair, OutboxMessage


def queue_email(
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    attachments: Iterable[dict] = (),
    kind: str = "",
    fair: Fair | None = None,
) -> OutboxMessage:
    """Add a message to the outbox; it is sent once the caller's transaction commits."""
    message = OutboxMessage(
        to_address=to.strip(),
        subject=" ".join(subject.split())[:300],
        body_text=body_text,
        body_html=body_html,
        attachments=[dict(a) for a in attachments],
        kind=kind,
        fair_id=fair.id if fair is not None else None,
    )
    db.session.add(message)
    db.session.flush()
    return message
