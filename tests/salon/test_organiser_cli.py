"""`salon organiser add|remove|list`: how a new organiser gets the right to create fairs on a fresh Salon."""

from __future__ import annotations

from sqlalchemy import func, select

from salon.models import User
from salon.services.accounts import authenticate
from tests.factories import make_user

GOOD = "Brique7Sureau lagune"


def users(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_add_creates_the_account_with_the_password_typed_twice(runner, db):
    result = runner.invoke(
        args=["organiser", "add", "Claire@CRESS.example", "--name", "Claire Martin"],
        input=f"{GOOD}\n{GOOD}\n",
    )
    assert result.exit_code == 0, result.output
    assert (
        result.output.splitlines()[-1]
        == "claire@cress.example: account created; may create fairs (sign in at /login)"
    )
    db.session.expire_all()
    user = authenticate("claire@cress.example", GOOD)
    assert (user.full_name, user.can_create_fairs) == ("Claire Martin", True)


def test_add_gives_the_right_to_an_existing_account_without_asking_a_password(runner, db):
    make_user("paul@cress.example")
    db.session.commit()
    result = runner.invoke(args=["organiser", "add", "paul@cress.example"])
    assert (result.exit_code, result.output) == (
        0,
        "paul@cress.example: may create fairs (sign in at /login)\n",
    )
    db.session.expire_all()
    assert db.session.scalar(select(User.can_create_fairs).where(User.email == "paul@cress.example")) is True


def test_add_refuses_a_common_password_and_creates_nothing(runner, db):
    result = runner.invoke(
        args=["organiser", "add", "claire@cress.example"], input="motdepasse123\nmotdepasse123\n"
    )
    assert result.exit_code == 1
    assert (
        result.output.splitlines()[-1]
        == "Ce mot de passe est parmi les plus courants : choisissez-en un autre."
    )
    assert users(db) == 0


def test_add_refuses_an_address_without_at_sign(runner, db):
    result = runner.invoke(args=["organiser", "add", "claire.cress.example"], input=f"{GOOD}\n{GOOD}\n")
    assert (result.exit_code, result.output.splitlines()[-1]) == (1, "Saisissez une adresse e-mail valide.")
    assert users(db) == 0


def test_remove_then_list(runner, db):
    make_user("a@cress.example", can_create_fairs=True, full_name="Anne")
    make_user("b@cress.example", can_create_fairs=True, full_name="Bruno")
    make_user("c@cress.example")
    db.session.commit()
    assert (
        runner.invoke(args=["organiser", "list"]).output == "a@cress.example\tAnne\nb@cress.example\tBruno\n"
    )
    assert runner.invoke(args=["organiser", "remove", "b@cress.example"]).exit_code == 0
    assert runner.invoke(args=["organiser", "list"]).output == "a@cress.example\tAnne\n"
    missing = runner.invoke(args=["organiser", "remove", "z@cress.example"])
    assert (missing.exit_code, missing.output) == (1, "Aucun compte n’utilise cette adresse.\n")
