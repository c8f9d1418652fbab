"""Fair set-up: presets, slot generation, tables, phases, organisers."""

from __future__ import annotations

from datetime import date, time

import pytest

from salon.models import DraftMeeting, Fair, ScheduleRun
from salon.services import DomainError, NotAllowed, fairs
from tests.factories import make_fair, make_participant, make_user


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


def test_create_fair_with_coventis_preset(db):
    user = make_user(can_create_fairs=True)
    fair = fairs.create_fair(user, "Coventis Lyon 2027", "coventis", days=[date(2027, 3, 18)])
    db.session.commit()
    fair = db.session.get(Fair, fair.id)
    assert (fair.slug, fair.meeting_minutes, fair.pause_minutes) == ("coventis-lyon-2027", 20, 5)
    assert len(fair.tables) == 60
    assert [s.label for s in fair.sessions] == ["j1-am", "j1-pm"]
    assert len(fair.slots) == 8 + 8  # 9:00-12:30 and 14:00-17:30 in 25-minute steps
    assert fair.organisers[0].role == "owner"


def test_create_fair_refused_without_right(db):
    with pytest.raises(NotAllowed):
        fairs.create_fair(make_user(), "Salon")


def test_create_fair_twice_gets_unique_slug(db):
    user = make_user(can_create_fairs=True)
    first, second = fairs.create_fair(user, "SO EKO", "so-eko"), fairs.create_fair(user, "SO EKO")
    assert (first.slug, second.slug) == ("so-eko", "so-eko-2")
    assert first.meeting_minutes == 15


def test_generate_slots_uses_meeting_and_pause(db):
    fair = make_fair(meeting_minutes=30, pause_minutes=10)
    n = fairs.generate_slots(
        fair, [date(2027, 5, 3), date(2027, 5, 4)], [fairs.SessionSpec("am", time(9), time(11))]
    )
    db.session.commit()
    fair = db.session.get(Fair, fair.id)
    assert n == 6  # 9:00, 9:40, 10:20 on each of two days
    assert [s.starts_at.astimezone(fair.slots[0].starts_at.tzinfo).minute for s in fair.slots][:3] == [
        0,
        40,
        20,
    ]
    assert [s.label for s in fair.sessions] == ["j1-am", "j2-am"]


def test_generate_slots_refused_once_published(db):
    fair = make_fair(phase="published")
    with pytest.raises(NotAllowed):
        fairs.generate_slots(fair, [date(2027, 5, 3)], [fairs.SessionSpec("am", time(9), time(11))])


def test_generate_slots_refused_for_reversed_session(db):
    with pytest.raises(DomainError):
        fairs.generate_slots(make_fair(), [date(2027, 5, 3)], [fairs.SessionSpec("am", time(11), time(9))])


def test_delete_slot_refused_when_draft_uses_it(db):
    fair = make_fair()
    b, s = make_participant(fair, "buyer"), make_participant(fair)
    run = ScheduleRun(fair_id=fair.id, status="done")
    run.drafts.append(
        DraftMeeting(
            participant_a_id=b.id, participant_b_id=s.id, slot_id=fair.slots[0].id, table_id=fair.tables[0].id
        )
    )
    db.session.add(run)
    db.session.flush()
    with pytest.raises(NotAllowed):
        fairs.delete_slot(fair, fair.slots[0])
    fairs.delete_slot(fair, fair.slots[1])
    assert len(fair.slots) == 7


def test_set_tables_by_names_keeps_used_tables(db):
    fair = make_fair(tables=3)
    make_participant(fair, home_table_id=fair.tables[0].id)
    tables = fairs.set_tables(fair, names=["1", "Stand ESAT", "Table B"])
    assert [t.name for t in tables] == ["1", "Stand ESAT", "Table B"]
    with pytest.raises(NotAllowed):
        fairs.set_tables(fair, names=["Table B"])
    with pytest.raises(DomainError):
        fairs.set_tables(fair, names=["A", "A"])


def test_phase_transitions_allowed_and_refused(db):
    fair = make_fair()
    fairs.set_phase(fair, "registration")
    fairs.set_phase(fair, "wishes")
    fairs.set_phase(fair, "scheduling")
    with pytest.raises(NotAllowed):
        fairs.set_phase(fair, "published")
    with pytest.raises(NotAllowed):
        fairs.set_phase(fair, "draft")
    assert fair.phase == "scheduling"


def test_update_fair_refuses_wishes_deadline_before_registration(db):
    from datetime import UTC, datetime

    fair = make_fair()
    with pytest.raises(DomainError) as err:
        fairs.update_fair(
            fair,
            registration_deadline=datetime(2027, 3, 1, tzinfo=UTC),
            wishes_deadline=datetime(2027, 2, 1, tzinfo=UTC),
        )
    assert err.value.field == "wishes_deadline"
    with pytest.raises(DomainError):
        fairs.update_fair(fair, timezone="Mars/Olympus")


def test_invite_and_remove_organisers(db):
    owner, other = make_user(), make_user()
    fair = make_fair(organiser=owner)
    membership = fairs.invite_organiser(fair, owner, other.email.upper())
    with pytest.raises(DomainError):
        fairs.invite_organiser(fair, owner, other.email)
    with pytest.raises(NotAllowed):
        fairs.invite_organiser(fair, other, "x@example.org")
    with pytest.raises(DomainError):
        fairs.invite_organiser(fair, owner, "nobody@example.org")
    with pytest.raises(NotAllowed):
        fairs.remove_organiser(fair, owner, fair.organisers[0])
    fairs.remove_organiser(fair, owner, membership)
    assert [m.user_id for m in fair.organisers] == [owner.id]
