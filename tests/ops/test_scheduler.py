"""Finding 9: `salon scheduler` (RQ's cron scheduler) puts the periodic jobs on their queues."""

from __future__ import annotations

from redis import Redis
from rq import Queue

from salon import queues
from tests.ops.stack import Stack, base_env, wait_for


def test_scheduler_queues_mail_reminders_purge_and_sweep_at_their_periods(tmp_path, sqlite_url, redis_url):
    env = base_env(
        DATABASE_URL=sqlite_url,
        REDIS_URL=redis_url,
        SALON_MAIL_EVERY="1",
        SALON_REMIND_EVERY="3600",
        SALON_PURGE_EVERY="0",  # turned off
        SALON_SWEEP_EVERY="2",
    )
    connection = Redis.from_url(redis_url)
    mail, default = (Queue(name, connection=connection) for name in (queues.MAIL, queues.DEFAULT))
    stack = Stack(env, tmp_path)
    try:
        stack.start("scheduler")
        wait_for(lambda: mail.count >= 3, 60, "three mail jobs, a second apart")
        kinds = sorted(job.args[0] for job in default.get_jobs())
    finally:
        stack.stop_all()
    assert {"remind", "sweep"} <= set(kinds) and "purge" not in kinds
    assert {job.args for job in mail.get_jobs()} == {("mail",)}
    assert all(job.func_name == "salon.jobs.perform" for job in mail.get_jobs() + default.get_jobs())
