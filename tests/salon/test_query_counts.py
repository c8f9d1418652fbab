"""SQL statements per page stay bounded: they do not grow with the number of counterparts or meetings."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from salon.extensions import db as _db
from salon.services.calendar_cache import clear_calendar_cache
from salon.services.calendar_feeds import regenerate_participant_feed
from tests.factories import login, make_fair, make_organisation, make_participant, make_user, make_wish
from tests.salon.calendar_helpers import add_attendee, make_meeting


@contextmanager
def counted():
    """Count the SQL statements sent while the block runs."""
    seen: list[str] = []

    def _count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        seen.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def _get(client, url: str) -> int:
    with counted() as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen)


def _catalogue_queries(client, db, counterparts: int) -> int:
    user = make_user()
    fair = make_fair(phase="wishes")
    buyer_org = make_organisation(kind="buyer", user=user, sectors=["nettoyage"], needs="nettoyage bureaux")
    me = make_participant(fair, "buyer", organisation=buyer_org)
    for n in range(counterparts):
        org = make_organisation(kind="supplier", sectors=["nettoyage"], offer=f"Nettoyage de bureaux {n}")
        other = make_participant(fair, "supplier", organisation=org)
        if n % 3 == 0:
            make_wish(me, other, priority=2)
            make_wish(other, me, priority=3)
    db.session.commit()
    login(client, user)
    pages = {"catalogue": "catalogue", "page 2": "catalogue?page=2", "wishes": "wishes"}
    pages["counterpart"] = f"catalogue/{other.id}"
    return {name: _get(client, f"/p/{me.id}/{path}") for name, path in pages.items()}


@pytest.mark.parametrize("small,large", [(10, 60)])
def test_query_counts_catalogue_and_wishes_do_not_grow_with_counterparts(client, db, small, large):
    few = _catalogue_queries(client, db, small)
    client.post("/logout")
    many = _catalogue_queries(client, db, large)
    assert few == many
    assert max(many.values()) <= 10


def _agenda_setup(db, meetings: int):
    user = make_user()
    fair = make_fair(phase="published", slots_per_session=4, tables=2)
    me = make_participant(fair, "buyer", user=user)
    for n in range(meetings):
        other = make_participant(fair, "supplier")
        add_attendee(other, f"Personne {n}", f"p{n}@example.org", job_title="Directrice")
        make_meeting(me, other, fair.slots[n], fair.tables[n % 2])
    token = regenerate_participant_feed(me, user)
    db.session.commit()
    return user, me, token


def _agenda_queries(client, db, meetings: int) -> dict[str, int]:
    user, me, token = _agenda_setup(db, meetings)
    login(client, user)
    counts = {"agenda": _get(client, f"/p/{me.id}/agenda")}
    clear_calendar_cache()
    counts["feed, built"] = _get(client, f"/cal/{token}.ics")
    counts["feed, kept"] = _get(client, f"/cal/{token}.ics")
    clear_calendar_cache()
    counts["download"] = _get(client, f"/p/{me.id}/agenda.ics")
    return counts


def test_query_counts_agenda_and_feeds_do_not_grow_with_meetings(client, db):
    few = _agenda_queries(client, db, 2)
    client.post("/logout")
    many = _agenda_queries(client, db, 8)
    assert few == many
    assert max(many.values()) <= 10
    assert many["feed, kept"] < many["feed, built"]  # validated from columns, body kept


def _my_fairs_queries(client, db, fairs: int) -> int:
    user = make_user()
    org = make_organisation(kind="buyer", user=user)
    for _ in range(fairs):
        make_participant(make_fair(phase="wishes"), "buyer", organisation=org)
    db.session.commit()
    login(client, user)
    return _get(client, "/p/")


def test_query_counts_my_fairs_do_not_grow_with_fairs(client, db):
    one = _my_fairs_queries(client, db, 1)
    client.post("/logout")
    assert _my_fairs_queries(client, db, 4) == one <= 5


def test_query_counts_suggestions_follow_profile_and_status_changes(app, db):
    from salon.models import Organisation, Participant
    from salon.services.catalogue import suggest_counterparts

    fair = make_fair(phase="wishes")
    me = make_participant(fair, "buyer", organisation=make_organisation(kind="buyer", sectors=["nettoyage"]))
    first = make_participant(
        fair, "supplier", organisation=make_organisation(kind="supplier", sectors=["nettoyage"])
    )
    second = make_participant(
        fair, "supplier", organisation=make_organisation(kind="supplier", sectors=["btp"])
    )
    db.session.commit()
    with app.test_request_context():
        assert [s.participant.id for s in suggest_counterparts(me)] == [first.id]
        db.session.get(Organisation, second.organisation_id).sectors = ["nettoyage", "btp"]
        db.session.commit()
        assert {s.participant.id for s in suggest_counterparts(me)} == {first.id, second.id}
        db.session.get(Participant, first.id).status = "refused"
        db.session.commit()
        assert [s.participant.id for s in suggest_counterparts(me)] == [second.id]


def _publication_queries(client, db, pairs: int) -> dict[str, int]:
    """Publish `pairs` meetings, then move all but one, cancel that one and add one; count each step."""
    from tests.salon.services.test_publishing import make_run
    from tests.salon.views.publish_helpers import preview_digest

    user = make_user()
    fair = make_fair(organiser=user, phase="scheduling", slots_per_session=2, tables=pairs + 1)
    people = [(make_participant(fair, "buyer"), make_participant(fair, "supplier")) for _ in range(pairs)]
    for n, (buyer, supplier) in enumerate(people):
        add_attendee(buyer, f"Acheteuse {n}", f"acheteuse{n}@example.org")
        add_attendee(supplier, f"Fournisseur {n}", f"fournisseur{n}@example.org")
    runs = [
        make_run(fair, [(b, s, 0, n) for n, (b, s) in enumerate(people)]),
        make_run(
            fair, [(b, s, 1, n) for n, (b, s) in enumerate(people[1:])] + [(people[0][0], people[1][1], 2, 0)]
        ),
    ]
    db.session.commit()
    login(client, user)
    counts = {}
    for step, run in zip(("first", "again"), runs, strict=True):
        url = f"/orga/fairs/{fair.id}/runs/{run.id}/publish"
        counts[f"{step} preview"] = _get(client, url)
        _page, digest = preview_digest(client, fair.id, run.id)
        with counted() as seen:  # the confirmation, then its e-mails rendered after it (few: at once)
            assert client.post(url, data={"digest": digest}).status_code == 303
        counts[f"{step} confirm"] = len(seen)
    from sqlalchemy import func, select

    from salon.models import NotificationIntent, OutboxMessage

    emails = db.session.scalar(select(func.count()).where(OutboxMessage.fair_id == fair.id))
    assert emails == 2 * pairs + 2 * (pairs - 1) + 2 + 2  # agendas, moves, the cancellation, the new one
    assert db.session.scalar(select(func.count()).select_from(NotificationIntent)) == 0
    return counts


def test_query_counts_publishing_and_its_emails_do_not_grow_with_meetings(client, db):
    few = _publication_queries(client, db, 3)
    client.post("/logout")
    many = _publication_queries(client, db, 12)
    assert few == many
    assert max(many.values()) <= 40, many  # a confirmation with its e-mails rendered: about 40
