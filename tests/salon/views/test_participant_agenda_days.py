"""The signed-in agenda dates what it lists: cancelled meetings always, free slots when the fair has days."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from salon.models import FairSession, Slot
from tests.salon.views.participant_scene import build_scene, make_meeting


def _section(page: str, title_id: str) -> str:
    part = page.split(f'id="{title_id}"', 1)[1].split("</section>", 1)[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", part)))


def test_cancelled_meeting_and_free_slots_of_a_two_day_fair_say_their_day(client, db):
    scene = build_scene(client, phase="published")
    start = datetime(2027, 3, 19, 9, tzinfo=ZoneInfo("Europe/Paris"))
    friday = FairSession(fair=scene.fair, label="fri", name="Vendredi", day=start.date(), starts_at=start,
                         ends_at=start + timedelta(minutes=20))  # fmt: skip
    db.session.add(
        Slot(fair=scene.fair, session=friday, starts_at=start, ends_at=start + timedelta(minutes=20))
    )
    meeting = make_meeting(scene.buyer, scene.recyclerie)
    meeting.status = "cancelled"
    db.session.commit()
    page = client.get(f"/p/{scene.buyer.id}/agenda").get_data(as_text=True)
    assert "jeudi 18 mars 2027, 09:00 — Recyclerie du Lez" in _section(page, "cancelled-title")
    free = _section(page, "free-title")
    assert "jeudi 18 mars" in free and "vendredi 19 mars" in free


def test_a_no_show_is_listed_as_not_held_not_as_cancelled(client, db):
    scene = build_scene(client, phase="published")
    missed, cancelled = make_meeting(scene.buyer, scene.recyclerie), make_meeting(scene.buyer, scene.esat, 1)
    missed.status, cancelled.status = "no_show", "cancelled"
    missed.absent_participant_id = scene.recyclerie.id
    db.session.commit()
    page = client.get(f"/p/{scene.buyer.id}/agenda").get_data(as_text=True)
    assert "Recyclerie du Lez (absence notée)" in _section(page, "missed-title")
    assert "Rendez-vous non tenus" in page
    cancelled_part = _section(page, "cancelled-title")
    assert scene.esat.organisation.name in cancelled_part and "Recyclerie du Lez" not in cancelled_part
