"""Which entries an account may claim, and what tying an account to an entry does."""

from __future__ import annotations

from salon.models import Attendee
from salon.services import participant_access
from salon.services.participants_admin import create_participant
from tests.factories import make_fair, make_participant, make_user


def _entry(fair, email="contact@scop.example", siret=None, name="SCOP Bâtir"):
    return create_participant(
        fair, "supplier", {"name": name, "contact_email": email, "siret": siret}, "Inès"
    )


def test_entries_match_the_contact_or_a_listed_person_case_free(db):
    fair = make_fair()
    entry = _entry(fair)
    other = _entry(fair, email="autre@example.org", name="Autre")
    other.attendees.append(Attendee(full_name="Léa", email="lea@scop.example"))
    db.session.flush()
    assert participant_access.entries_matching(fair, "Contact@SCOP.example", None) == ([entry], [])
    assert participant_access.entries_matching(fair, "lea@scop.example", None) == ([other], [])


def test_siret_matches_only_without_an_address_match_and_not_across_fairs(db):
    fair, elsewhere = make_fair(), make_fair()
    entry = _entry(fair, siret="73282932000074")
    _entry(elsewhere, email="x@example.org", siret="73282932000074")
    assert participant_access.entries_matching(fair, "someone@else.example", "73282932000074") == (
        [],
        [entry],
    )
    assert participant_access.entries_matching(fair, "contact@scop.example", "73282932000074") == (
        [entry],
        [],
    )


def test_refused_entries_are_never_claimed(db):
    fair = make_fair()
    entry = _entry(fair)
    entry.status = "refused"
    db.session.flush()
    assert participant_access.entries_matching(fair, "contact@scop.example", None) == ([], [])


def test_tie_links_the_contact_person_and_is_idempotent(db):
    fair = make_fair()
    entry = _entry(fair)
    user = make_user("contact@scop.example")
    participant_access.tie_account(entry, user)
    participant_access.tie_account(entry, user)
    assert [(m.user_id, m.role) for m in entry.organisation.members] == [(user.id, "admin")]
    assert [(a.full_name, a.user_id) for a in entry.attendees] == [("Inès", user.id)]
    colleague = make_user("collegue@scop.example")
    participant_access.tie_account(entry, colleague)
    assert sorted((m.user_id, m.role) for m in entry.organisation.members) == sorted(
        [(user.id, "admin"), (colleague.id, "member")]
    )
    assert len(entry.attendees) == 1  # the colleague is not listed as attending on their own


def test_claims_leave_out_entries_the_account_acts_for_already(db):
    fair = make_fair(phase="registration")
    user = make_user("contact@scop.example")
    mine = make_participant(fair, user=user)
    mine.organisation.contact_email = "contact@scop.example"
    db.session.flush()
    assert participant_access.claim_entries(user, fair, None) == []
