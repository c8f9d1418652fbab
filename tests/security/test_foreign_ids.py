"""Ids sent in form bodies: another fair's objects are never linked to this fair (no cross-fair row)."""

from __future__ import annotations

import pytest

from salon.extensions import db as _db
from salon.extensions import limiter
from tests.security.crawl import crawl
from tests.security.matrix import request_as
from tests.security.world import build_world

ID_HINTS = ("id", "participant", "other", "slot", "table", "target", "attendee", "meeting", "session")


def _fair_of_every_row() -> dict[str, dict[object, set[int]]]:
    """Return, per table, the fairs each row belongs to (its fair_id, or its parents' fairs)."""
    tables = _db.metadata.sorted_tables  # parents before children
    fairs: dict[str, dict[object, set[int]]] = {}
    with _db.engine.connect() as conn:
        for table in tables:
            rows = conn.execute(table.select()).mappings().all()
            key_column = next(iter(table.primary_key.columns)).name
            fairs[table.name] = {}
            for row in rows:
                found = {row["fair_id"]} if "fair_id" in row and row["fair_id"] is not None else set()
                for fk in table.foreign_keys:
                    parent = fk.column.table.name
                    value = row.get(fk.parent.name)
                    if value is not None and parent in fairs and parent != "fairs":
                        found |= fairs[parent].get(value, set())
                fairs[table.name][row[key_column]] = found
    return fairs


def cross_fair_rows() -> list[tuple[str, object, set[int]]]:
    """Return the rows that link objects of two different fairs."""
    return [
        (table, key, found)
        for table, rows in _fair_of_every_row().items()
        for key, found in rows.items()
        if len(found) > 1
    ]


@pytest.fixture()
def no_limits():
    limiter.enabled = False
    yield
    limiter.enabled = True


def test_world_has_no_cross_fair_row(db):
    build_world()
    assert cross_fair_rows() == []


def test_cross_fair_row_detected(db):
    world = build_world()
    world.wish.target_id = world.foreign.id  # a wish from fair A to a participant of fair B
    _db.session.commit()
    assert [row[0] for row in cross_fair_rows()] == ["wishes"]


@pytest.mark.parametrize("phase", ["registration", "wishes", "scheduling", "published"])
def test_forms_refuse_other_fairs_ids_in_their_fields(app, db, no_limits, phase):
    world = build_world(phase=phase)
    foreign = {
        world.foreign.id, world.other_fair.slots[0].id, world.other_fair.tables[0].id,
        world.foreign_meeting.id, world.foreign_attendee.id, world.other_fair.sessions[0].id,
    }  # fmt: skip
    found = crawl(app, world).forms
    sent, endpoints = 0, set()
    for endpoint, (role, form) in found.items():
        candidates = [*form.fields, *form.hidden]
        names = [n for n in candidates if n != "csrf_token" and any(h in n for h in ID_HINTS)]
        for name in names:
            for value in sorted(foreign):
                data = {**form.hidden, **form.values, name: str(value)}
                response = request_as(app, world.users[role], "POST", form.action, data)
                assert response.status_code < 500, (form.action, name, value)
                sent += 1
                endpoints.add(endpoint)
    assert sent > 20
    if phase == "wishes":
        assert "participant.set_wish" in endpoints
    assert cross_fair_rows() == []
