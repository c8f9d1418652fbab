"""Notifications about meetings: e-mails with iTIP calendar attachments, queued in the outbox."""

from __future__ import annotations

from salon.models import Meeting, Participant


def meeting_published(participant: Participant) -> None:
    """Tell the participant their agenda is published, with their .ics attached (METHOD:PUBLISH)."""


def meeting_changed(meeting: Meeting) -> None:
    """Tell both participants a meeting was created or moved (METHOD:REQUEST, current SEQUENCE)."""


def meeting_cancelled(meeting: Meeting) -> None:
    """Tell both participants a meeting was cancelled (METHOD:CANCEL, STATUS:CANCELLED)."""
