"""Who may use each route: the permission matrix, the URL parameter values and the request helpers.

Every rule of `app.url_map` (endpoint, method) has an entry. Expected results per role:
OK (200), LOGIN (302 to the sign-in page), NF (404), REDIR (a redirect not to sign-in), BAD (400) and
ACT (allowed to act: a POST with an empty form may answer 2xx/3xx/400/409/422, never 401/403/404/5xx).
Swaps: URL parameters replaced by another fair's or another person's object; the allowed roles get 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask
from werkzeug.routing import Rule

from tests.security.world import ROLES, World, sign_in

OK, NF, BAD = 200, 404, 400
LOGIN, REDIR, ACT = "login", "redirect", "act"
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")


def roles(default, **special) -> dict[str, object]:
    """Return an expectation per role: `default` unless named."""
    unknown = set(special) - set(ROLES)
    assert not unknown, unknown
    return {role: special.get(role, default) for role in ROLES}


PUBLIC = roles(OK)
SIGNED_IN = roles(OK, anonymous=LOGIN)
ORGANISER = roles(NF, anonymous=LOGIN, organiser=OK)
OWN = roles(NF, anonymous=LOGIN, participant=OK)


DEFAULT_AUDIENCE = {"organiser": ORGANISER, "participant": OWN, "public": PUBLIC, "auth": SIGNED_IN}


def acting(expect: dict[str, object]) -> dict[str, object]:
    """Turn the 200s of a page's expectation into ACT for its POST (an empty form may be refused)."""
    return {role: ACT if value == OK else value for role, value in expect.items()}


@dataclass
class Entry:
    """Who may use one (endpoint, method), with parameter values and swaps that differ from the defaults."""

    expect: dict[str, object]
    params: dict[str, Callable[[World], object]] = field(default_factory=dict)
    swaps: dict[str, tuple[Callable[[World], object], object]] = field(default_factory=dict)
    no_swap: tuple[str, ...] = ()
    data: Callable[[World], dict] | None = None  # form sent with the request (an empty form by default)


# Default value of each URL parameter (this fair's objects, the participant's own objects).
PARAMS: dict[str, Callable[[World], object]] = {
    "fair_id": lambda w: w.fair.id,
    "participant_id": lambda w: w.participant.id,
    "target_id": lambda w: w.target.id,
    "attendee_id": lambda w: w.attendee.id,
    "table_id": lambda w: w.fair.tables[0].id,
    "slot_id": lambda w: w.fair.slots[0].id,
    "meeting_id": lambda w: w.meeting.id,
    "run_id": lambda w: w.run.id,
    "wish_id": lambda w: w.wish.id,
    "mandatory_id": lambda w: w.mandatory.id,
    "feed_id": lambda w: w.feeds["fair"],
    "draft_id": lambda w: w.run.drafts[0].id,
    "membership_id": lambda w: w.fair.organisers[0].id,
    "invitation_id": lambda w: w.invitations["fair"],
    "claim_id": lambda w: w.claims["fair"],
    "upload_id": lambda w: w.uploads["fair"],
    "slug": lambda w: w.fair.slug,
    "code": lambda w: "en",
    "filename": lambda w: "css/salon.css",
    "kind": lambda w: "privacy",
    "fmt": lambda w: "csv",
    "document": lambda w: "agendas",
    "build_id": lambda w: w.print_build.id,
}
# The same parameter naming another fair's or another person's object: allowed roles must get 404.
SWAPS: dict[str, tuple[Callable[[World], object], object]] = {
    "fair_id": (lambda w: w.other_fair.id, NF),
    "participant_id": (lambda w: w.other.id, NF),
    "target_id": (lambda w: w.foreign.id, NF),
    "attendee_id": (lambda w: w.other_attendee.id, NF),
    "table_id": (lambda w: w.other_fair.tables[0].id, NF),
    "slot_id": (lambda w: w.other_fair.slots[0].id, NF),
    "meeting_id": (lambda w: w.foreign_meeting.id, NF),
    "run_id": (lambda w: w.foreign_run.id, NF),
    "feed_id": (lambda w: w.feeds["foreign"], NF),
    "draft_id": (lambda w: w.foreign_run.drafts[0].id, NF),
    "membership_id": (lambda w: w.other_fair.organisers[0].id, NF),
    "invitation_id": (lambda w: w.invitations["foreign"], NF),
    "claim_id": (lambda w: w.claims["foreign"], NF),
    "upload_id": (lambda w: w.uploads["foreign"], NF),
    "slug": (lambda w: "no-such-fair", NF),
    "filename": (lambda w: "css/no-such-file.css", NF),
    "token": (lambda w: "forged-token-" + "x" * 40, NF),
    "kind": (lambda w: "no-such-kind", NF),
    "fmt": (lambda w: "exe", NF),
    "what": (lambda w: "users", NF),
    "mandatory_id": (lambda w: w.foreign_mandatory.id, NF),
    "document": (lambda w: "nothing", NF),
    "build_id": (lambda w: w.foreign_print_build.id, NF),
}


def entry_for(matrix: dict, rule: Rule, method: str) -> Entry:
    """Return the matrix entry of a rule, or (for a route not listed yet) its blueprint's audience."""
    entry = matrix.get(rule_key(rule, method))
    if entry is None:
        expect = DEFAULT_AUDIENCE[rule.endpoint.split(".")[0]]
        entry = Entry(acting(expect) if method in STATE_CHANGING else expect)
    return entry


def rule_key(rule: Rule, method: str) -> tuple[str, str]:
    """Return the matrix key of a rule and method."""
    return (rule.endpoint, method)


def app_rules(app: Flask) -> list[tuple[Rule, str]]:
    """Return every (rule, method) the app serves, HEAD and OPTIONS aside."""
    pairs = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            pairs.append((rule, method))
    return sorted(pairs, key=lambda pair: (pair[0].endpoint, pair[1]))


def url_values(rule: Rule, entry: Entry, world: World, swap: str | None = None) -> dict[str, object]:
    """Return the URL parameter values of a rule, one of them swapped when asked."""
    values = {}
    for name in rule.arguments:
        getter = entry.params.get(name) or PARAMS.get(name)
        assert getter is not None, f"{rule.endpoint}: no value for URL parameter {name!r}; add it to PARAMS"
        values[name] = getter(world)
    if swap is not None:
        values[swap] = (entry.swaps.get(swap) or SWAPS[swap])[0](world)
    return values


def url_for_rule(app: Flask, rule: Rule, values: dict[str, object]) -> str:
    """Build the path of a rule with its values."""
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, values, method=None, force_external=False)


def request_as(app: Flask, user, method: str, url: str, data: dict | None = None, **kwargs):  # noqa: ANN001
    """Send one request as `user` from a fresh client in a fresh app context (no cached user in g)."""
    client = app.test_client()
    with app.app_context():
        sign_in(client, user)
        if "json" not in kwargs:
            kwargs["data"] = data or {}
        return client.open(url, method=method, **kwargs)


def verdict(response, expected: object) -> bool:  # noqa: ANN001
    """Tell whether a response matches an expectation of the matrix."""
    status = response.status_code
    to_login = status in (301, 302, 303) and "/login" in response.headers.get("Location", "")
    if expected == LOGIN:
        return to_login
    if expected == REDIR:
        return 300 <= status < 400 and not to_login
    if expected == ACT:
        return status < 500 and status not in (401, 403, 404, 405) and not to_login
    return status == expected


def snapshot() -> dict[str, list[tuple]]:
    """Return every row of every table (to prove a refused request changed nothing)."""
    from salon.extensions import db

    rows = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            result = conn.execute(table.select())
            rows[table.name] = sorted(tuple(map(repr, row)) for row in result)
    return rows
