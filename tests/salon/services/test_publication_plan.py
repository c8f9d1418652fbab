"""The publication preview: it lists exactly what publishing then does, and a stale one is refused."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from salon.models import Meeting, OutboxMessage
from salon.preparing import prepare_all
from salon.services import meetings as edits
from salon.services.publication_plan import key_of, plan_publication
from salon.services.publishing import StalePublication, publish_run
from tests.factories import make_fair, make_participant
from tests.salon.calendar_helpers import add_attendee
from tests.salon.services.test_publishing import make_run


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


@pytest.fixture()
def world(db):
    """A published fair: buyer B meets S1 (slot 0), S2 (slot 1) and S3 (slot 2); S4 is not met yet."""
    fair = make_fair(phase="scheduling", slots_per_session=4)
    b = make_participant(fair, "buyer", name="Ville de Nîmes")
    s = [make_participant(fair, "supplier", name=f"Scop {i}") for i in range(1, 5)]
    add_attendee(b, "Léa Martin", "lea@example.org")
    add_attendee(b, "Paul Roy", "paul@example.org")
    for i, p in enumerate(s[:3]):
        add_attendee(p, f"Contact {i}", f"contact{i}@example.org")
    s[3].organisation.contact_email = ""  # S4 has no address anywhere: nobody to tell
    publish_run(make_run(fair, [(b, s[0], 0, 0), (b, s[1], 1, 0), (b, s[2], 2, 0)]))
    return fair, b, s


def _outbox() -> list[OutboxMessage]:
    """Render the e-mails publishing queued as intents, then return the outbox."""
    from salon.extensions import db

    prepare_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _count(db, model) -> int:
    prepare_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_plan_lists_exactly_what_publish_does(db, world):
    fair, b, s = world
    before = len(_outbox())
    # S1 unchanged, S2 moved to slot 3, S3 gone (cancelled), S4 new at slot 2.
    run = make_run(fair, [(b, s[0], 0, 0), (b, s[1], 3, 1), (b, s[3], 2, 0)])
    plan = plan_publication(run)
    planned = {
        "created": sorted(key_of(d) for d in plan.created),
        "moved": sorted((m.id, d.slot_id, d.table_id) for m, d in plan.moved),
        "cancelled": sorted(m.id for m in plan.cancelled),
        "unchanged": sorted(m.id for m, _d in plan.unchanged),
    }
    expected_mail = Counter((n.kind, address) for n in plan.notices for _name, address in n.addresses)
    summary = publish_run(run, plan.digest)
    db.session.commit()
    done = {
        "created": sorted(key_of(m) for m in summary.created),
        "moved": sorted((m.id, m.slot_id, m.table_id) for m in summary.moved),
        "cancelled": sorted(m.id for m in summary.cancelled),
    }
    assert done == {k: v for k, v in planned.items() if k != "unchanged"}
    assert summary.unchanged == len(planned["unchanged"])
    assert (len(plan.created), len(plan.moved), len(plan.cancelled), len(plan.unchanged)) == (1, 1, 1, 1)
    queued = _outbox()[before:]
    assert Counter((r.kind, r.to_address) for r in queued) == expected_mail
    # New S4: Léa and Paul (S4 has no address); moved S2 and cancelled S3: Léa, Paul and their contact.
    assert summary.emails == plan.email_count == len(queued) == 2 + 3 + 3
    assert [p.id for p in plan.unreachable] == [s[3].id]


def test_first_publication_plans_one_agenda_per_reachable_participant(db):
    fair = make_fair(phase="scheduling", slots_per_session=2)
    b, s1 = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    add_attendee(b, "Léa Martin", "lea@example.org")
    s1.organisation.contact_email = "contact@scop.example"
    plan = plan_publication(make_run(fair, [(b, s1, 0, 0)]))
    assert plan.first_time is True
    assert [(n.kind, n.participant.id, [a for _n, a in n.addresses]) for n in plan.notices] == sorted(
        [
            ("agenda_published", b.id, ["lea@example.org"]),
            ("agenda_published", s1.id, ["contact@scop.example"]),
        ],
        key=lambda t: t[1],
    )
    summary = publish_run(plan.run, plan.digest)
    assert summary.emails == 2 == _count(db, OutboxMessage)


def test_stale_digest_refused_after_draft_changed_and_nothing_changes(db, world):
    fair, b, s = world
    run = make_run(fair, [(b, s[0], 0, 0), (b, s[1], 3, 1)])
    digest = plan_publication(run).digest
    draft = next(d for d in run.drafts if d.participant_b_id == max(b.id, s[1].id))
    edits.move_draft(fair, run, draft, fair.slots[4].id, fair.tables[2].id)
    meetings = [(m.id, m.slot_id, m.status, m.sequence) for m in db.session.scalars(select(Meeting))]
    mails = _count(db, OutboxMessage)
    with pytest.raises(StalePublication) as err:
        publish_run(run, digest)
    assert "ont changé depuis l’aperçu : rien n’a été publié" in err.value.message
    assert [(m.id, m.slot_id, m.status, m.sequence) for m in db.session.scalars(select(Meeting))] == meetings
    assert _count(db, OutboxMessage) == mails


def test_digest_follows_draft_published_state_and_recipients_only(db, world):
    fair, b, s = world
    run = make_run(fair, [(b, s[0], 0, 0), (b, s[1], 3, 1)])
    first = plan_publication(run).digest
    assert plan_publication(run).digest == first  # reading twice changes nothing
    add_attendee(s[1], "Nouvelle Personne", "nouvelle@example.org")  # one more recipient for S2's move
    second = plan_publication(run).digest
    meeting = db.session.scalars(select(Meeting).where(Meeting.slot_id == fair.slots[2].id)).one()
    edits.move_meeting(fair, meeting, fair.slots[5].id, fair.tables[2].id)  # the published state moves
    third = plan_publication(run).digest
    assert len({first, second, third}) == 3
