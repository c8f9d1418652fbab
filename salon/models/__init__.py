"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from salon.models import search_index  # noqa: F401  (the index is created with the tables)
from salon.models.access import ParticipantChange, ParticipantClaim
from salon.models.accounts import User
from salon.models.calendar import CalendarFeed
from salon.models.dayof import FairAggregate, LegalPage, MeetingOutcome, ReminderSent
from salon.models.fair import (
    PHASES,
    Fair,
    FairSession,
    MeetingTable,
    OrganiserInvitation,
    OrganiserMembership,
    Slot,
)
from salon.models.importing import ImportMapping, ImportUpload
from salon.models.meeting import DraftMeeting, Meeting, MeetingSeat, ScheduleRun
from salon.models.organisation import Organisation, OrganisationMember
from salon.models.outbox import NotificationIntent, OutboxMessage
from salon.models.participant import Attendee, MandatoryMeeting, Participant, Wish, unavailabilities
from salon.models.printing import PrintBuild
from salon.models.throttle import LoginAttempt

__all__ = [
    "PHASES",
    "Attendee",
    "CalendarFeed",
    "DraftMeeting",
    "Fair",
    "FairAggregate",
    "FairSession",
    "ImportMapping",
    "ImportUpload",
    "LegalPage",
    "LoginAttempt",
    "MandatoryMeeting",
    "Meeting",
    "MeetingOutcome",
    "MeetingSeat",
    "MeetingTable",
    "NotificationIntent",
    "Organisation",
    "OrganisationMember",
    "OrganiserInvitation",
    "OrganiserMembership",
    "OutboxMessage",
    "Participant",
    "ParticipantChange",
    "ParticipantClaim",
    "PrintBuild",
    "ReminderSent",
    "ScheduleRun",
    "Slot",
    "User",
    "Wish",
    "unavailabilities",
]
