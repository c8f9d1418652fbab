"""Co-contracting: suppliers may browse and wish to meet other suppliers when the fair allows it."""

from __future__ import annotations

import pytest

from salon.services import DomainError, fairs, wishes
from salon.services.catalogue import Filters, catalogue_entry_or_none, search_catalogue
from tests.factories import make_fair, make_participant


@pytest.fixture(autouse=True)
def _request(app, db):
    with app.test_request_context():
        yield


@pytest.fixture()
def world(db):
    fair = make_fair(phase="wishes")
    buyer = make_participant(fair, "buyer", name="Métropole")
    other_buyer = make_participant(fair, "buyer", name="Hôpital")
    scop = make_participant(fair, "supplier", name="SCOP Bâtisseurs")
    esat = make_participant(fair, "supplier", name="ESAT du Lez")
    return fair, buyer, other_buyer, scop, esat


def _names(viewer, **filters):
    return sorted(p.organisation.name for p in search_catalogue(viewer, Filters(**filters)).items)


def test_supplier_wish_to_supplier_refused_while_co_contracting_is_off(world):
    _fair, _buyer, _other, scop, esat = world
    with pytest.raises(DomainError) as refused:
        wishes.set_wish(scop, esat, priority=3)
    assert refused.value.field == "target"
    assert catalogue_entry_or_none(scop, esat.id) is None
    assert _names(scop, side="supplier") == ["Hôpital", "Métropole"]  # falls back to the buyers


def test_supplier_wishes_supplier_when_co_contracting_is_on(world, db):
    fair, _buyer, _other, scop, esat = world
    fairs.update_fair(fair, supplier_meetings="home")
    wish = wishes.set_wish(scop, esat, priority=3)
    assert (wish.source_id, wish.target_id, wish.priority) == (scop.id, esat.id, 3)
    assert catalogue_entry_or_none(scop, esat.id) is esat
    assert _names(scop, side="supplier") == ["ESAT du Lez"]  # never oneself
    assert _names(scop) == ["Hôpital", "Métropole"]


def test_buyers_keep_their_own_catalogue_when_co_contracting_is_on(world):
    fair, buyer, other_buyer, _scop, _esat = world
    fairs.update_fair(fair, supplier_meetings="home-or-shared")
    assert _names(buyer, side="buyer") == ["ESAT du Lez", "SCOP Bâtisseurs"]
    with pytest.raises(DomainError):
        wishes.set_wish(buyer, other_buyer, priority=3)
    assert catalogue_entry_or_none(buyer, other_buyer.id) is None


def test_unknown_co_contracting_value_refused(world):
    fair, *_ = world
    with pytest.raises(DomainError) as refused:
        fairs.update_fair(fair, supplier_meetings="anywhere")
    assert refused.value.field == "supplier_meetings"
    assert fair.supplier_meetings == "off"
