"""Manual edits, checked by the solver's validator: a refused edit says in words what is wrong, whom it
concerns, when (the fair's time zone) and what to do, without rule id."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salon.models import DraftMeeting, Meeting, MeetingSeat
from salon.services import DomainError, NotAllowed
from salon.services import meetings as edits
from salon.services.publishing import publish_run
from tests.factories import make_fair, make_participant, make_wish
from tests.salon.services.test_publishing import make_run


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


@pytest.fixture()
def board(db):
    """A fair with buyer b wishing suppliers s1, s2 and a draft b-s1 at slot 0, b-s2 at slot 1."""
    fair = make_fair(phase="scheduling")
    b = make_participant(fair, "buyer", name="Ville de Lyon")
    s1 = make_participant(fair, "supplier", name="ESAT Les Ateliers")
    s2 = make_participant(fair, "supplier", name="SCOP Bâtir")
    make_wish(b, s1, 3)
    make_wish(b, s2, 2)
    run = make_run(fair, [(b, s1, 0, 0), (b, s2, 1, 1)])
    d1, d2 = sorted(run.drafts, key=lambda d: d.id)
    return fair, run, b, s1, s2, d1, d2


def test_move_draft_to_free_slot_locks_it(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    edits.move_draft(fair, run, d1, fair.slots[2].id, fair.tables[2].id)
    db.session.commit()
    d = db.session.get(DraftMeeting, d1.id)
    assert (d.slot_id, d.table_id, d.locked) == (fair.slots[2].id, fair.tables[2].id, True)


def test_move_draft_refused_when_person_double_booked(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    with pytest.raises(DomainError) as err:
        edits.move_draft(fair, run, d1, fair.slots[1].id, fair.tables[0].id)
    assert err.value.message == (
        "Ville de Lyon a déjà un rendez-vous le jeudi 18 mars à 09:25 avec SCOP Bâtir. "
        "Choisissez un autre créneau, ou échangez les deux rendez-vous."
    )
    assert db.session.get(DraftMeeting, d1.id).slot_id == fair.slots[0].id


def test_move_draft_refused_when_table_taken(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    s3 = make_participant(fair, "supplier")
    make_wish(s3, b, 1)
    d3 = edits.add_draft(fair, run, b, s3, fair.slots[3].id, fair.tables[0].id)
    with pytest.raises(DomainError) as err:
        edits.move_draft(fair, run, d3, fair.slots[1].id, fair.tables[1].id)
    # d3 (Ville de Lyon / s3) moves onto d2's slot and table: Ville de Lyon is busy there first.
    assert err.value.message == (
        "Ville de Lyon a déjà un rendez-vous le jeudi 18 mars à 09:25 avec SCOP Bâtir. "
        "Choisissez un autre créneau, ou échangez les deux rendez-vous."
    )


def test_move_draft_refused_when_participant_unavailable(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    s1.unavailable_slots.append(fair.slots[3])
    db.session.flush()
    with pytest.raises(DomainError) as err:
        edits.move_draft(fair, run, d1, fair.slots[3].id, fair.tables[0].id)
    assert err.value.message == (
        "ESAT Les Ateliers n’est pas disponible le jeudi 18 mars à 10:15. "
        "Choisissez un créneau où les deux sont disponibles (voir leurs fiches participant)."
    )


def test_move_draft_refused_onto_other_fair_slot(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    other = make_fair()
    with pytest.raises(DomainError) as err:
        edits.move_draft(fair, run, d1, other.slots[0].id, fair.tables[0].id)
    assert err.value.message.startswith(
        "Un participant, un créneau ou une table de ce rendez-vous n’existe plus"
    )


def test_swap_drafts_exchanges_places(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    edits.swap_drafts(fair, run, d1, d2)
    db.session.commit()
    assert db.session.get(DraftMeeting, d1.id).slot_id == fair.slots[1].id
    assert db.session.get(DraftMeeting, d2.id).slot_id == fair.slots[0].id


def test_add_draft_refused_when_pair_meets_twice(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    with pytest.raises(DomainError) as err:
        edits.add_draft(fair, run, s1, b, fair.slots[5].id, fair.tables[0].id)
    assert err.value.message == (
        "Ville de Lyon et ESAT Les Ateliers se rencontreraient deux fois. "
        "Gardez un seul rendez-vous pour ce binôme, ou déclarez un second rendez-vous obligatoire."
    )


def test_add_draft_refused_over_max_meetings(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    b.max_meetings = 2
    s3 = make_participant(fair, "supplier")
    with pytest.raises(DomainError) as err:
        edits.add_draft(fair, run, b, s3, fair.slots[5].id, fair.tables[0].id)
    assert err.value.message == (
        "Ville de Lyon aurait plus de rendez-vous que son maximum (2). Annulez d’abord l’un de ses "
        "rendez-vous, ou relevez son maximum sur sa fiche participant."
    )


def test_cancel_and_lock_draft(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    edits.lock_draft(run, d2, True)
    edits.cancel_draft(run, d1)
    db.session.commit()
    assert db.session.get(DraftMeeting, d1.id) is None
    assert db.session.get(DraftMeeting, d2.id).locked is True


def test_published_move_bumps_sequence_and_moves_seats(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    publish_run(run)
    m = db.session.scalars(select(Meeting).where(Meeting.slot_id == fair.slots[0].id)).one()
    edits.move_meeting(fair, m, fair.slots[4].id, fair.tables[0].id)
    db.session.commit()
    m = db.session.get(Meeting, m.id)
    assert (m.sequence, m.slot_id, m.locked) == (1, fair.slots[4].id, True)
    seat_slots = db.session.scalars(select(MeetingSeat.slot_id).where(MeetingSeat.meeting_id == m.id)).all()
    assert seat_slots == [fair.slots[4].id] * 2


def test_published_swap_and_cancel(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    publish_run(run)
    m1, m2 = db.session.scalars(select(Meeting).order_by(Meeting.slot_id)).all()
    edits.swap_meetings(fair, m1, m2)
    edits.cancel_meeting(fair, m1)
    db.session.commit()
    m1, m2 = db.session.get(Meeting, m1.id), db.session.get(Meeting, m2.id)
    assert (m1.status, m1.sequence, m2.slot_id, m2.sequence) == ("cancelled", 2, fair.slots[0].id, 1)
    assert db.session.scalars(select(MeetingSeat).where(MeetingSeat.meeting_id == m1.id)).all() == []
    with pytest.raises(NotAllowed):
        edits.cancel_meeting(fair, m1)


def test_published_add_manual_meeting_for_unwished_pair(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    publish_run(run)
    s3 = make_participant(fair, "supplier")
    m = edits.add_meeting(fair, s3, b, fair.slots[6].id, fair.tables[1].id)
    db.session.commit()
    m = db.session.get(Meeting, m.id)
    assert (m.source, m.locked, m.sequence, m.status) == ("manual", True, 0, "scheduled")
    with pytest.raises(DomainError) as err:
        edits.add_meeting(fair, s1, s2, fair.slots[6].id, fair.tables[1].id)
    assert err.value.message == (
        f"La table 2 est déjà occupée le jeudi 18 mars à 14:50 (Ville de Lyon / {s3.organisation.name}). "
        "Choisissez une table libre ou un autre créneau, ou échangez les deux rendez-vous."
    )


def test_published_edit_refused_before_publication(db, board):
    fair, run, b, s1, s2, d1, d2 = board
    with pytest.raises(NotAllowed):
        edits.add_meeting(fair, s1, b, fair.slots[6].id, fair.tables[1].id)
