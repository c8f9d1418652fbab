"""Sign-in limits that hold across processes and never lock the owner out (OWASP authentication guidance).

A browser that signed in to the account before holds a signed device cookie; its failures count against
that device only (SALON_LOGIN_LIMIT_DEVICE), after which it is treated as unknown. Any other attempt counts
against its client address (SALON_LOGIN_LIMIT_ADDRESS), the account from that address (the documented
SALON_LOGIN_LIMIT_PAIR: 10 per 15 minutes) and the account as a whole: past SALON_LOGIN_SLOWDOWN_AFTER
failures in a day, each further try waits a delay that doubles from SALON_LOGIN_SLOWDOWN_FIRST_DELAY up to
SALON_LOGIN_SLOWDOWN_MAX_DELAY seconds. Whoever guesses at an account slows down unknown browsers only; its
owner's browser goes through. Successful sign-ins count nowhere.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass

from flask import Flask, Response, current_app, request
from itsdangerous import BadData
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from salon import keys
from salon.attempt_store import KEEP_SECONDS, AttemptStore, attempt_store
from salon.services.accounts import normalise_email

DEVICE_COOKIE = "salon_device"
DEVICE_SALT = "salon.device"
DEVICE_DAYS = 365
DEFAULTS = {
    "SALON_LOGIN_LIMIT_PAIR": "10 per 15 minutes",
    "SALON_LOGIN_LIMIT_ADDRESS": "30 per 15 minutes; 200 per day",
    "SALON_LOGIN_LIMIT_DEVICE": "10 per 15 minutes",
    "SALON_LOGIN_SLOWDOWN_AFTER": 10,
    "SALON_LOGIN_SLOWDOWN_FIRST_DELAY": 15,
    "SALON_LOGIN_SLOWDOWN_MAX_DELAY": 900,
}


# A test session signs in from 127.0.0.1 all along: the tests of the limits set the ones they check.
RELAXED = {
    "SALON_LOGIN_LIMIT_PAIR": "1000 per 15 minutes",
    "SALON_LOGIN_LIMIT_ADDRESS": "1000 per 15 minutes",
    "SALON_LOGIN_LIMIT_DEVICE": "1000 per 15 minutes",
    "SALON_LOGIN_SLOWDOWN_AFTER": 1000,
}


def configure(app: Flask) -> None:
    """Set the limits the configuration leaves out (relaxed in tests)."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, RELAXED.get(name, value) if app.testing else value)


@dataclass
class Attempt:
    """A sign-in attempt being checked; it stays counted unless it succeeds."""

    store: AttemptStore
    keys: list[str]
    token: str

    def succeeded(self) -> None:
        """Take the attempt back: a right password is no failure."""
        self.store.remove(self.keys, self.token)


def begin(email: str) -> Attempt:
    """Count an attempt at `email` from this client, or refuse it with 429 (and Retry-After)."""
    config, store, now = current_app.config, attempt_store(), time.time()
    account = normalise_email(email)
    device = _trusted_device(account, store, now)
    if device:
        limited = [(_key("device", device), config["SALON_LOGIN_LIMIT_DEVICE"])]
        slowed = None
    else:
        address = request.remote_addr or "unknown"
        limited = [
            (_key("address", address), config["SALON_LOGIN_LIMIT_ADDRESS"]),
            (_key("pair", f"{account}|{address}"), config["SALON_LOGIN_LIMIT_PAIR"]),
        ]
        slowed = _key("account", account)
    counted = [key for key, _limit in limited] + ([slowed] if slowed else [])
    token = store.add(counted, now)
    waits = [_wait(store.others(key, token, now - KEEP_SECONDS), limit, now) for key, limit in limited]
    if slowed:
        waits.append(_slowdown(store.others(slowed, token, now - KEEP_SECONDS), now))
    wait = max(waits)
    if wait > 0:
        store.remove(counted, token)  # a refused attempt checked no password: it does not count
        raise TooManyRequests(retry_after=math.ceil(wait))
    return Attempt(store, counted, token)


def _key(kind: str, value: str) -> str:
    """Return the stored key: an HMAC, so the store holds no address or e-mail in clear."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _wait(earlier: list[float], limit: str, now: float) -> float:
    """Return how long to wait before one more attempt fits every window of the limit (0: now)."""
    wait = 0.0
    for item in parse_many(limit):
        window = item.get_expiry()
        recent = [t for t in earlier if t > now - window]
        if len(recent) >= item.amount:
            wait = max(wait, recent[len(recent) - item.amount] + window - now)
    return wait


def _slowdown(earlier: list[float], now: float) -> float:
    """Return the account-wide delay still to wait after its last failure (0 under the free count)."""
    config = current_app.config
    extra = len(earlier) - config["SALON_LOGIN_SLOWDOWN_AFTER"]
    if extra < 0 or not earlier:
        return 0.0
    delay = min(
        config["SALON_LOGIN_SLOWDOWN_FIRST_DELAY"] * 2**extra, config["SALON_LOGIN_SLOWDOWN_MAX_DELAY"]
    )
    return max(0.0, earlier[-1] + delay - now)


def _trusted_device(account: str, store: AttemptStore, now: float) -> str | None:
    """Return the device id of this browser's cookie if it signed in to `account` before and is not locked."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = keys.timed_serializer(DEVICE_SALT).loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("e") != account or not isinstance(data.get("n"), str):
        return None
    earlier = store.others(_key("device", data["n"]), "", now - KEEP_SECONDS)
    if _wait(earlier, current_app.config["SALON_LOGIN_LIMIT_DEVICE"], now) > 0:
        return None  # too many failures with this cookie: an unknown browser again
    return data["n"]


def remember_device(response: Response, email: str) -> None:
    """Give the browser that just signed in a device cookie for this account (sent to /login only)."""
    token = keys.timed_serializer(DEVICE_SALT).dumps(
        {"e": normalise_email(email), "n": secrets.token_hex(16)}
    )
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_DAYS * 86400,
        path=request.path,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
