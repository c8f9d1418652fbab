"""A mail sender killed (SIGKILL) in the middle of its batch: the next run sends the rest within minutes.

A real RQ worker started with the recipe's command sends the outbox to a real SMTP server (aiosmtpd) that
takes a fifth of a second per message; the test kills the work-horse once a few messages are through,
queues the mail job again (as `salon scheduler` does every SALON_MAIL_EVERY seconds), and expects every
message delivered, once each but for the one in flight, as soon as the dead sender's claim is older than
SALON_MAIL_CLAIM_TIMEOUT (set to 3 s here; before the claim was renewed, it was a fixed ten minutes).
"""

from __future__ import annotations

import asyncio
from collections import Counter

from redis import Redis
from rq import Worker
from sqlalchemy import func, select

from salon import jobs
from salon.extensions import db
from salon.models import OutboxMessage
from salon.services.mail import queue_email
from tests.ops.conftest import seeding_app
from tests.ops.stack import Stack, base_env, children, kill, wait_for
from tests.ops.test_killed_rendering import database_url  # noqa: F401  (SQLite, and PostgreSQL)
from tests.salon.mail_server import Inbox, SmtpServer, free_port
from tests.salon.services.test_jobs import redis_url  # noqa: F401  (a throwaway redis-server)

MESSAGES = 30
CLAIM_TIMEOUT = "3"


class SlowInbox(Inbox):
    """An SMTP server that takes its time with each message, so a batch is long enough to be cut."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        await asyncio.sleep(0.2)
        return await super().handle_DATA(server, session, envelope)


def _queue(app) -> None:  # noqa: ANN001
    with app.app_context():
        db.create_all()
        for i in range(MESSAGES):
            queue_email(f"personne{i}@example.org", f"Votre agenda n°{i}", "Bonjour,\nvotre agenda est prêt.")
        db.session.commit()
        db.session.remove()


def _sent(app) -> int:  # noqa: ANN001
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent")
        )
        db.session.remove()
    return count


def test_killed_sender_leaves_the_rest_of_its_batch_to_the_next_run(tmp_path, database_url, redis_url):  # noqa: F811
    app = seeding_app(database_url, REDIS_URL=redis_url)
    _queue(app)
    smtp = SmtpServer(free_port())
    smtp.inbox = SlowInbox()
    smtp.start()
    env = base_env(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp.port),
        SALON_MAIL_CLAIM_TIMEOUT=CLAIM_TIMEOUT,
    )
    stack = Stack(env, tmp_path)
    try:
        worker = stack.start("worker")
        wait_for(lambda: Worker.all(connection=Redis.from_url(redis_url)), 60, "the worker listens")
        with app.app_context():
            jobs.enqueue("mail")
        wait_for(lambda: len(smtp.inbox.envelopes) >= 5, 60, "the sender is under way", every=0.05)
        (horse,) = children(worker.pid)
        kill(horse)
        cut = len(smtp.inbox.envelopes)
        assert cut < MESSAGES, "the batch ended before the kill: nothing was tested"

        def next_run_done() -> bool:
            with app.app_context():
                jobs.enqueue("mail")  # what the scheduler does every SALON_MAIL_EVERY seconds
            return _sent(app) == MESSAGES

        wait_for(next_run_done, 60, "the next runs send the rest of the killed batch", every=1.0)
        ids = Counter(message["Message-ID"] for message in smtp.inbox.messages)
        assert len(ids) == MESSAGES  # nothing lost
        assert sum(ids.values()) - MESSAGES <= 1  # at most the message in flight, with its Message-ID
        assert worker.poll() is None  # the worker itself lived on
    finally:
        stack.stop_all()
        smtp.stop()
