"""A published meeting's life through the organiser's pages, read with three calendar parsers.

Created, moved, swapped, cancelled: at each step every e-mail's invitation holds, for its meeting, the
same UID, SEQUENCE, DTSTART and LOCATION as the recipient's subscription feed at that moment, and its
text states the new time and table (issue 16, bug 4: a move used to announce the old place).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salon.models import Meeting, OutboxMessage
from salon.services.calendar_feeds import regenerate_participant_feed
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import add_attendee
from tests.salon.calendar_parsers import PARSERS, apply_messages, by_uid, parse_many, parse_with
from tests.salon.services.test_publishing import make_run
from tests.salon.views.publish_helpers import publish_through_preview

FIELDS = ("sequence", "start_utc", "location", "status")


@pytest.fixture()
def life(client, db):
    """A fair with buyer B meeting S1 (09:00, table 1) and S2 (09:25, table 2) in a run; feeds for all."""
    user = make_user()
    fair = make_fair(organiser=user, phase="scheduling", slots_per_session=4, tables=3, venue="Halle 5")
    b = make_participant(fair, "buyer", name="Métropole de Lyon")
    s1 = make_participant(fair, "supplier", name="ESAT Les Tilleuls")
    s2 = make_participant(fair, "supplier", name="Scop Bâtir Ensemble")
    s3 = make_participant(fair, "supplier", name="Recyclerie du Lez")
    people = {}
    for p, (name, address) in zip(
        (b, s1, s2, s3),
        (("Léa", "lea@example.org"), ("Omar", "omar@example.org"), ("Inès", "ines@example.org"),
         ("Paul", "paul@example.org")),
        strict=True,
    ):  # fmt: skip
        add_attendee(p, name, address)
        people[address] = regenerate_participant_feed(p, None)
    run = make_run(fair, [(b, s1, 0, 0), (b, s2, 1, 1)])
    db.session.commit()
    login(client, user)
    return fair, run, (b, s1, s2, s3), people


def _new_mail(db, seen: set[int]) -> list[OutboxMessage]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.not_in(seen or {0}))).all()
    seen.update(r.id for r in rows)
    return sorted(rows, key=lambda r: r.id)


def _ics(row: OutboxMessage) -> bytes:
    [attachment] = row.attachments
    return attachment["text"].encode("utf-8")


def _assert_mail_equals_feed(client, rows: list[OutboxMessage], feeds: dict[str, str]) -> None:
    """Each invitation's events equal the recipient's feed events (UID, SEQUENCE, DTSTART, LOCATION)."""
    recipients = sorted({r.to_address for r in rows})
    documents = [_ics(r) for r in rows]
    for address in recipients:
        feed = client.get(f"/cal/{feeds[address]}.ics")
        assert feed.status_code == 200
        documents.append(feed.data)
    for parser in PARSERS:
        parsed = [by_uid(events) for events in parse_many(parser, documents)]
        in_feed = dict(zip(recipients, parsed[len(rows) :], strict=True))
        for row, mail_events in zip(rows, parsed[: len(rows)], strict=True):
            assert mail_events, (row.subject, parser)
            for uid, event in mail_events.items():
                expected = in_feed[row.to_address][uid]
                assert {f: event[f] for f in FIELDS} == {f: expected[f] for f in FIELDS}, (
                    row.subject,
                    parser,
                )


def _z(moment) -> str:  # noqa: ANN001
    from datetime import UTC

    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _meeting(db, a, b) -> Meeting:  # noqa: ANN001
    lo, hi = sorted((a.id, b.id))
    return db.session.scalars(
        select(Meeting).where(Meeting.participant_a_id == lo, Meeting.participant_b_id == hi)
    ).one()


def test_meeting_life_each_mail_matches_feed_and_states_new_place(client, db, life):
    fair, run, (b, s1, s2, s3), feeds = life
    seen: set[int] = set()
    url = f"/orga/fairs/{fair.id}"

    assert publish_through_preview(client, fair.id, run.id).status_code == 303
    published = _new_mail(db, seen)
    assert sorted(r.to_address for r in published) == [
        "ines@example.org",
        "lea@example.org",
        "omar@example.org",
    ]
    _assert_mail_equals_feed(client, published, feeds)

    added = client.post(
        f"{url}/meetings/add",
        data={"add-participant_a": b.id, "add-participant_b": s3.id,
              "add-slot_id": fair.slots[2].id, "add-table_id": fair.tables[0].id},
    )  # fmt: skip
    assert added.status_code == 303
    created = _new_mail(db, seen)
    assert sorted(r.to_address for r in created) == ["lea@example.org", "paul@example.org"]
    _assert_mail_equals_feed(client, created, feeds)

    m1 = _meeting(db, b, s1)
    client.get(f"{url}/meetings/{m1.id}")  # the page a real organiser opens before moving
    moved = client.post(
        f"{url}/meetings/{m1.id}",
        data={"action": "move", "move-slot_id": fair.slots[3].id, "move-table_id": fair.tables[2].id},
    )
    assert moved.status_code == 303
    rows = _new_mail(db, seen)
    assert sorted(r.to_address for r in rows) == ["lea@example.org", "omar@example.org"]
    _assert_mail_equals_feed(client, rows, feeds)
    for row in rows:
        [event] = parse_with("icalendar", _ics(row))
        assert (event["start_utc"], event["sequence"]) == (_z(fair.slots[3].starts_at), 1)
        assert event["location"] == "Halle 5, Table 3"
        assert "jeudi 18 mars 2027 à 10:15" in row.body_text and "Table 3" in row.body_text
        assert "jeudi 18 mars 2027 à 10:15" in row.body_html and "Table 3" in row.body_html
        assert "Auparavant : jeudi 18 mars 2027 à 09:00, Table 1" in row.body_text
        assert "à 09:00" not in row.body_text.split("Auparavant")[0]

    m1, m2 = _meeting(db, b, s1), _meeting(db, b, s2)
    swapped = client.post(f"{url}/meetings/{m1.id}", data={"action": "swap", "swap-other_id": m2.id})
    assert swapped.status_code == 303
    rows = _new_mail(db, seen)
    assert sorted(r.to_address for r in rows) == sorted(
        ["lea@example.org", "lea@example.org", "omar@example.org", "ines@example.org"]
    )
    _assert_mail_equals_feed(client, rows, feeds)
    omar = next(r for r in rows if r.to_address == "omar@example.org")
    assert "jeudi 18 mars 2027 à 09:25" in omar.body_text and "Halle 5, Table 2" in omar.body_text
    ines = next(r for r in rows if r.to_address == "ines@example.org")
    assert "jeudi 18 mars 2027 à 10:15" in ines.body_text and "Halle 5, Table 3" in ines.body_text

    m2 = _meeting(db, b, s2)
    cancelled = client.post(f"{url}/meetings/{m2.id}/cancel")  # the confirmation page's form
    assert cancelled.status_code == 303
    rows = _new_mail(db, seen)
    assert sorted(r.to_address for r in rows) == ["ines@example.org", "lea@example.org"]
    _assert_mail_equals_feed(client, rows, feeds)

    # Léa's calendar client applied every message in order: it ends exactly as her feed.
    lea = [_ics(r) for r in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
           if r.to_address == "lea@example.org"]  # fmt: skip
    feed = client.get(f"/cal/{feeds['lea@example.org']}.ics").data
    for parser in PARSERS:
        final = {uid: {f: e[f] for f in FIELDS} for uid, e in apply_messages(parser, lea).items()}
        expected = {uid: {f: e[f] for f in FIELDS} for uid, e in by_uid(parse_with(parser, feed)).items()}
        assert final == expected, parser
