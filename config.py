"""Salon configuration, read from the environment (12-factor)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("SALON_INSTANCE_PATH") or ROOT / "instance")


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings for a running Salon; every value can come from the environment."""

    # Required (32 random bytes or more) to serve requests; see salon/keys.py and the README.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    # Previous keys, still accepted when checking (sessions, CSRF, links) during a rotation; space-separated.
    SECRET_KEY_FALLBACKS = os.environ.get("SECRET_KEY_FALLBACKS", "").replace(",", " ").split()
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'salon.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SALON_TIMEZONE = os.environ.get("SALON_TIMEZONE", "Europe/Paris")
    SALON_SHARED_DIR = os.environ.get("SALON_SHARED_DIR", str(ROOT.parent / "shared"))
    SALON_BASE_URL = os.environ.get("SALON_BASE_URL", "http://127.0.0.1:5000")
    SALON_DEMO_MAILDIR = os.environ.get("SALON_DEMO_MAILDIR", "")  # `salon demo`: caught e-mails (Maildir)
    REDIS_URL = os.environ.get("REDIS_URL") or None
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("SALON_TIMEZONE", "Europe/Paris")
    SALON_LANGUAGES = ("fr", "en")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Salon <no-reply@salon.localhost>")
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
    # Seconds after which the messages a sender claimed and stopped renewing (it died) go to the next one.
    MAIL_CLAIM_TIMEOUT = float(os.environ.get("SALON_MAIL_CLAIM_TIMEOUT", "120"))
    # E-mails about meetings a change queues are rendered in the request up to this many per fair; more
    # (a publication of a large fair) are rendered by the "prepare" job (salon/preparing.py).
    SALON_NOTICES_INLINE = int(os.environ.get("SALON_NOTICES_INLINE", "100"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or (
        os.environ.get("REDIS_URL") or "memory://"
    )
    # Redis down must not take agendas, calendar feeds and sign-in with it: the limits then count in each
    # process's memory until Redis answers again (Flask-Limiter checks it back), and no call waits long on it.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2}
    SALON_LOG_FORMAT = os.environ.get("SALON_LOG_FORMAT", "text")  # "json": one object per line
    SALON_LOG_LEVEL = os.environ.get("SALON_LOG_LEVEL", "INFO")
    SOLVER_TIME_LIMIT = float(os.environ.get("SALON_SOLVER_TIME_LIMIT", "30"))
    ARGON2_TIME_COST = 3  # argon2-cffi's RFC 9106 low-memory profile
    ARGON2_MEMORY_COST = 65536  # KiB
    ARGON2_PARALLELISM = 4
    SOLVER_WORKERS = int(os.environ.get("SALON_SOLVER_WORKERS", "2"))
    # Printouts: worker processes laying out long PDFs; where built PDFs are kept (unset: in the database;
    # a folder shared by every web and worker process otherwise); how long they are kept.
    PRINT_PROCESSES = int(os.environ.get("SALON_PRINT_PROCESSES", str(min(2, os.cpu_count() or 1))))
    PRINT_STORAGE_DIR = os.environ.get("SALON_PRINT_DIR") or None
    PRINT_KEEP_HOURS = float(os.environ.get("SALON_PRINT_KEEP_HOURS", "24"))
    # A queued or running solve whose holder has written no heartbeat for this long is failed and the
    # fair freed; the holder beats six times per period.
    SOLVE_HEARTBEAT_TIMEOUT = float(os.environ.get("SALON_SOLVE_HEARTBEAT_TIMEOUT", "60"))
    # Periods, in seconds, of the jobs `salon scheduler` puts on the queues (0 turns one off).
    SALON_MAIL_EVERY = int(os.environ.get("SALON_MAIL_EVERY", "30"))
    SALON_REMIND_EVERY = int(os.environ.get("SALON_REMIND_EVERY", "3600"))
    SALON_PURGE_EVERY = int(os.environ.get("SALON_PURGE_EVERY", "86400"))
    SALON_SWEEP_EVERY = int(os.environ.get("SALON_SWEEP_EVERY", "60"))


class DevConfig(Config):
    """Local development and the demo: plain HTTP on 127.0.0.1."""

    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestConfig(Config):
    """Tests: a throwaway database, no real CSRF tokens unless a test asks for them."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("SALON_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = None
    SALON_BASE_URL = "http://localhost"
    SOLVER_TIME_LIMIT = 10.0
    PRINT_PROCESSES = 1  # the tests that need worker processes ask for them
    PRINT_STORAGE_DIR = None
    ARGON2_TIME_COST = 1  # fast hashes in tests; production parameters are tested explicitly
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
