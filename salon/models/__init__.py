"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

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
from salon.models.meeting import DraftMeeting, Meeting, MeetingSeat, ScheduleRun
from salon.models.organisation import Organisation, OrganisationMember
from salon.models.outbox import OutboxMessage
from salon.models.participant import Attendee, MandatoryMeeting, Participant, Wish, unavailabilities
from salon.models.printing import PrintBuild

__all__ = [
    "PHASES",
    "Attendee",
    "CalendarFeed",
    "DraftMeeting",
    "Fair",
    "FairAggregate",
    "FairSession",
    "LegalPage",
    "MandatoryMeeting",
    "Meeting",
    "MeetingOutcome",
    "MeetingSeat",
    "MeetingTable",
    "Organisation",
    "OrganisationMember",
    "OrganiserInvitation",
    "OrganiserMembership",
    "OutboxMessage",
    "Participant",
    "PrintBuild",
    "ReminderSent",
    "ScheduleRun",
    "Slot",
    "User",
    "Wish",
    "unavailabilities",
]
