"""The secret key: strong to serve requests, rotated with SECRET_KEY_FALLBACKS, used by every signer.

Everything Salon signs (the session, CSRF tokens, confirmation, password reset, board, outcome, invitation,
check-in and device links) is signed with SECRET_KEY and checked against it and each of
SECRET_KEY_FALLBACKS, so a new key can be put in place while links and sessions signed with the previous
one keep working until that one is dropped from the fallbacks.
"""

from __future__ import annotations

import math
import os
import secrets
import string
from pathlib import Path

from flask import Flask, current_app
from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer

MIN_BITS = 256  # 32 random bytes
GENERATE = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
# Values published in this repository's history, its docs or common examples: anyone can sign with them.
PUBLIC_VALUES = frozenset(
    {
        "dev-only-secret-change-me",
        "test-secret-key-not-for-production",
        "change-me",
        "changeme",
        "secret",
        "secret-key",
        "dev",
        "development",
    }
)
_ALPHABETS = (  # (characters, bits per character) from the narrowest alphabet up
    (string.digits, math.log2(10)),
    (string.hexdigits, 4.0),
    (string.ascii_lowercase + " ", math.log2(27)),
    (string.ascii_letters + string.digits + "-_+/=", 6.0),
)


class InsecureSecretKey(RuntimeError):
    """The app was asked to serve requests without a strong SECRET_KEY."""


def key_problem(key: object) -> str | None:
    """Say what makes a secret key unfit to sign (missing, public, too short, repetitive), or None."""
    if not key:
        return "is not set"
    text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
    if text.strip().lower() in PUBLIC_VALUES:
        return "is a public example value"
    bits = next((per * len(text) for chars, per in _ALPHABETS if set(text) <= set(chars)), 6.5 * len(text))
    if bits < MIN_BITS:
        return f"is too short: about {int(bits)} bits, {MIN_BITS} needed (32 random bytes)"
    triples = [text[i : i + 3] for i in range(len(text) - 2)]
    if len(set(triples)) < 0.75 * len(triples):
        return "repeats itself: it is not random"
    return None


def configure(app: Flask, for_requests: bool) -> None:
    """Check the keys and wire them into the signers; refuse to serve requests with a weak key.

    Debug runs and tests may use any key (debug without one gets this machine's own, kept in the instance
    folder). Commands that serve no request start without a key; a command that needs to sign says so.
    """
    fallbacks = app.config.get("SECRET_KEY_FALLBACKS") or []
    if isinstance(fallbacks, str):
        fallbacks = fallbacks.replace(",", " ").split()
    app.config["SECRET_KEY_FALLBACKS"] = list(fallbacks)
    problems = _problems(app)
    if app.debug and not app.config.get("SECRET_KEY"):
        use_local_key(app)
    elif problems and not (app.testing or app.debug):
        if for_requests:
            raise InsecureSecretKey(_refusal(problems))
        # Never sign with a weak key: a command that needs one says why (see `signing_keys`).
        if app.config.get("SECRET_KEY") or fallbacks:  # a weak key set by mistake, not a plain command
            app.logger.warning("%s: it will sign nothing", "; ".join(problems))
        if key_problem(app.config.get("SECRET_KEY")):
            app.config["SECRET_KEY"] = None
        app.config["SECRET_KEY_FALLBACKS"] = [k for k in fallbacks if not key_problem(k)]
        app.before_request(_refuse_without_key)  # `salon run` without a key: no page, a clear log line
    _wire(app)


def _refuse_without_key() -> None:
    if not signing_keys():
        raise InsecureSecretKey(_refusal(["SECRET_KEY " + (key_problem(None) or "")]))


def _problems(app: Flask) -> list[str]:
    found = []
    if problem := key_problem(app.config.get("SECRET_KEY")):
        found.append(f"SECRET_KEY {problem}")
    for n, key in enumerate(app.config["SECRET_KEY_FALLBACKS"], start=1):
        if problem := key_problem(key):
            found.append(f"SECRET_KEY_FALLBACKS (key {n}) {problem}")
    return found


def _refusal(problems: list[str]) -> str:
    return (
        "Salon will not serve requests: " + "; ".join(problems) + ". Set the SECRET_KEY environment variable "
        f"to at least 32 random bytes, for instance the output of: {GENERATE} "
        "(keep it secret and the same on every web and worker process; see README, 'Key rotation')."
    )


def use_local_key(app: Flask) -> None:
    """Use this machine's own random key (demo and debug runs), created once in the instance folder."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    app.config["SECRET_KEY"] = path.read_text().strip()
    _wire(app)


def _wire(app: Flask) -> None:
    """Let Flask-WTF sign CSRF tokens with the current key and accept the fallbacks (a key list)."""
    app.config["WTF_CSRF_SECRET_KEY"] = signing_keys(app) or None


def signing_keys(app: Flask | None = None) -> list[str]:
    """Return the keys, oldest first: itsdangerous signs with the last and accepts each of them."""
    config = (app or current_app).config
    if not config.get("SECRET_KEY"):
        return []
    return [*config.get("SECRET_KEY_FALLBACKS", []), config["SECRET_KEY"]]


def serializer(salt: str) -> URLSafeSerializer:
    """Return the signer of links that never expire by themselves (board, outcomes, invitations, badges)."""
    _refuse_without_key()
    return URLSafeSerializer(signing_keys(), salt=salt)


def timed_serializer(salt: str) -> URLSafeTimedSerializer:
    """Return the signer of links and cookies with a lifetime checked when read (confirmation, device)."""
    _refuse_without_key()
    return URLSafeTimedSerializer(signing_keys(), salt=salt)
