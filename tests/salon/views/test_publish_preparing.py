"""Many e-mails are prepared after the confirmation, in the "prepare" job; the organiser sees them coming.

A fair counts as large here when it has more e-mails than SALON_NOTICES_INLINE (set to 1 for the test).
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from rq import Queue
from sqlalchemy import func, select, update

from salon import jobs, queues
from salon.models import NotificationIntent, OutboxMessage
from salon.models.base import utcnow
from tests.salon.services import test_jobs
from tests.salon.views import test_organiser_publish
from tests.salon.views.publish_helpers import publish_through_preview

scene = test_organiser_publish.scene  # fixtures shared with those tests: the fair, a throwaway redis-server
redis_url = test_jobs.redis_url

PREPARING = "2 e-mails sur les rendez-vous sont en préparation : ils rejoindront dans un instant les e-mails"


def _text(response) -> str:  # noqa: ANN001
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def _counts(db) -> tuple[int, int]:  # noqa: ANN001
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return count(OutboxMessage), count(NotificationIntent)


@pytest.fixture()
def large(app, monkeypatch):
    monkeypatch.setitem(app.config, "SALON_NOTICES_INLINE", 1)


@pytest.fixture()
def queued(app, large, redis_url, monkeypatch):
    """Jobs go to a real Redis, where they wait for a worker."""
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)


def test_large_publication_is_prepared_by_the_job_and_pages_say_so(client, db, runner, scene, queued):
    fair, run, *_ = scene
    response = publish_through_preview(client, fair.id, run.id)
    assert response.status_code == 303
    assert _counts(db) == (0, 2)  # the confirmation answered before rendering anything
    assert Queue(queues.MAIL, connection=queues.connection()).count == 1
    shown = _text(client.get(response.headers["Location"]))
    assert (
        "2 e-mails sont en préparation pour les participants, en arrière-plan (environ une minute pour un "
        "grand salon) ; ils partiront ensuite avec l’envoi des e-mails." in shown
    )
    dashboard, messages = f"/orga/fairs/{fair.id}/", f"/orga/fairs/{fair.id}/messages"
    assert PREPARING in _text(client.get(dashboard)) and PREPARING in _text(client.get(messages))
    assert "semblent arrêtées" not in _text(client.get(dashboard))

    db.session.execute(update(NotificationIntent).values(created_at=utcnow() - timedelta(minutes=6)))
    db.session.commit()
    late = _text(client.get(dashboard))
    assert re.search(
        r"Ils attendent depuis le \d+ \w+\.? \d\d:\d\d : les tâches de fond de la plateforme", late
    )

    result = runner.invoke(args=["worker", "--burst", "--queue", "mail"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _counts(db) == (2, 0)
    assert "en préparation" not in _text(client.get(dashboard))
    assert "À envoyer (2)" in _text(client.get(messages))


def test_without_redis_the_web_process_prepares_them_in_its_thread_pool(client, db, scene, large):
    fair, run, *_ = scene
    assert publish_through_preview(client, fair.id, run.id).status_code == 303
    jobs.wait_all()
    db.session.expire_all()
    assert _counts(db) == (2, 0)


def test_a_few_emails_are_in_the_outbox_when_the_confirmation_answers(client, db, scene):
    fair, run, *_ = scene
    response = publish_through_preview(client, fair.id, run.id)
    assert _counts(db) == (2, 0)
    assert "attendent dans la file d’envoi" in _text(client.get(response.headers["Location"]))


def test_unreachable_queue_loses_nothing_the_mail_run_prepares_them(
    app, client, db, scene, large, monkeypatch
):
    fair, run, *_ = scene
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nobody listens there
    response = publish_through_preview(client, fair.id, run.id)
    assert response.status_code == 303  # published all the same
    assert _counts(db) == (0, 2)
    assert "2 e-mails sont en préparation" in _text(client.get(response.headers["Location"]))
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    assert jobs.kind("mail").run().startswith("sent 0")  # no SMTP server here: they wait, rendered
    db.session.expire_all()
    assert _counts(db) == (2, 0)
