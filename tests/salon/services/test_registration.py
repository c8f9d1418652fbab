"""Registration: account + organisation + participation, confirmation link, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from salon.models import Organisation, OutboxMessage, Participant, User
from salon.services import DomainError, NotAllowed, registration
from tests.factories import PASSWORD, make_fair, make_user


@pytest.fixture(autouse=True)
def _request(app, db):
    """Run each test inside a request (messages are translated, in French)."""
    with app.test_request_context():
        yield


def _register(fair, **over):
    data = dict(
        email="Alice@Example.org",
        password=PASSWORD,
        full_name="Alice Martin",
        side="supplier",
        organisation_name="Recyclerie du Lez",
        siret="732 829 320 00074",
        consent=True,
    )
    data.update(over)
    return registration.register(fair, **data)


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_register_creates_unconfirmed_account_and_pending_participant(db):
    fair = make_fair(phase="registration")
    participant = _register(fair)
    user = db.session.scalar(select(User).where(User.email == "alice@example.org"))
    assert user.email_confirmed_at is None
    assert user.consent_at is not None
    assert user.password_hash.startswith("$argon2id$")
    assert participant.status == "pending"
    assert participant.organisation.siret == "73282932000074"
    assert participant.organisation.search_text == "recyclerie du lez"
    assert [a.full_name for a in participant.attendees] == ["Alice Martin"]


def test_register_queues_confirmation_email_with_signed_link(db, app):
    fair = make_fair(phase="registration")
    _register(fair)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "confirm"))
    assert message.to_address == "alice@example.org"
    link = next(w for w in message.body_text.split() if w.startswith("http"))
    token = link.rsplit("/", 1)[1]
    user, first = registration.confirm_email(token)
    assert (user.email, first) == ("alice@example.org", True)
    assert user.email_confirmed_at is not None
    assert registration.confirm_email(token)[1] is False


def test_confirm_email_refuses_altered_token(db):
    fair = make_fair(phase="registration")
    participant = _register(fair)
    user = participant.attendees[0].user_id
    token = registration.confirmation_token(db.session.get(User, user))
    with pytest.raises(DomainError) as err:
        registration.confirm_email(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert err.value.field == "token"


def test_confirm_email_refuses_expired_token(db, app):
    user = make_user(email_confirmed_at=None)
    token = registration.confirmation_token(user)
    app.config["SALON_CONFIRM_MAX_AGE"] = -1
    try:
        with pytest.raises(DomainError, match="expiré"):
            registration.confirm_email(token)
    finally:
        app.config.pop("SALON_CONFIRM_MAX_AGE")
    assert db.session.get(User, user.id).email_confirmed_at is None


def test_confirm_email_refuses_token_after_email_change(db):
    user = make_user(email_confirmed_at=None)
    token = registration.confirmation_token(user)
    user.email = "other@example.org"
    with pytest.raises(DomainError):
        registration.confirm_email(token)


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"consent": False}, "consent"),
        ({"siret": "73282932000075"}, "siret"),
        ({"siret": "1234"}, "siret"),
        ({"side": "visitor"}, "side"),
        ({"organisation_name": "  "}, "organisation_name"),
        ({"full_name": ""}, "full_name"),
        ({"password": "short"}, "password"),
    ],
)
def test_register_refuses_bad_input_and_changes_nothing(db, over, field):
    fair = make_fair(phase="registration")
    with pytest.raises(DomainError) as err:
        _register(fair, **over)
    db.session.rollback()
    assert err.value.field == field
    assert (_count(db, User), _count(db, Organisation), _count(db, Participant)) == (0, 0, 0)


def test_register_refuses_email_already_used(db):
    fair = make_fair(phase="registration")
    make_user(email="alice@example.org")
    with pytest.raises(DomainError) as err:
        _register(fair)
    assert err.value.field == "email"


def test_register_without_siret_is_accepted(db):
    fair = make_fair(phase="registration")
    participant = _register(fair, siret="")
    assert participant.organisation.siret is None


@pytest.mark.parametrize("phase", ["draft", "scheduling", "published", "closed"])
def test_register_refused_outside_registration(db, phase):
    fair = make_fair(phase=phase)
    with pytest.raises(NotAllowed):
        _register(fair)


def test_register_refused_after_deadline(db):
    fair = make_fair(phase="registration", registration_deadline=datetime.now(UTC) - timedelta(hours=1))
    assert registration.registration_open(fair) is False
    with pytest.raises(NotAllowed):
        _register(fair)


def test_join_fair_refuses_same_organisation_twice(db):
    fair = make_fair(phase="registration")
    participant = _register(fair)
    user = db.session.get(User, participant.attendees[0].user_id)
    with pytest.raises(DomainError):
        registration.join_fair(user, fair, "supplier", organisation=participant.organisation)


def test_join_fair_with_existing_organisation_in_another_fair(db):
    first = make_fair(phase="registration")
    second = make_fair(phase="registration")
    participant = _register(first)
    user = db.session.get(User, participant.attendees[0].user_id)
    again = registration.join_fair(user, second, "supplier", organisation=participant.organisation)
    assert again.organisation_id == participant.organisation_id
    assert again.fair_id == second.id


def test_join_fair_refuses_organisation_of_someone_else(db):
    fair = make_fair(phase="registration")
    participant = _register(fair)
    stranger = make_user()
    with pytest.raises(DomainError):
        registration.join_fair(
            stranger, make_fair(phase="registration"), "supplier", organisation=participant.organisation
        )
