"""Bad input on every form and JSON endpoint: never a 5xx; stored text escaped in HTML, CSV/XLSX and .ics.

Examples per endpoint follow SALON_TEST_PROFILE: standard (about 100 in all, for CI) or full (1,000 per form).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from salon.extensions import limiter
from tests.security.crawl import Form, crawl
from tests.security.matrix import ACT, OK, entry_for, request_as, url_for_rule, url_values
from tests.security.permission_table import MATRIX
from tests.security.test_permission_matrix import RULES
from tests.security.world import ROLES, build_world

PROFILE = os.environ.get("SALON_TEST_PROFILE", "standard")
POSTS = [(rule, m) for rule, m in RULES if m in ("POST", "PUT", "PATCH")]
PER_ENDPOINT = 1000 if PROFILE == "full" else max(3, math.ceil(100 / max(1, len(POSTS))))

NASTY = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "=SUM(A1:A9)", "+cmd|' /C calc'!A0",
    "@SUM(1+1)", "-1+1", "\t=1", "\r=1", "'; DROP TABLE users; --", "1 OR 1=1", "\u202eevil\u202c",
    "مرحبا بالعالم", "שלום", "👩🏽‍💻🎉", "\x00", "\x1b[31m", "\x07\x08\x0b\x0c", "Evil\r\nX-INJECTED:1",
    "𝕊𝕒𝕝𝕠𝕟", "０１２", "-0", "NaN", "9" * 40, "2027-02-30", "²", "١٢", "../../etc/passwd", "%s%s%n",
    "{{7*7}}", " ",
]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=200),
    st.integers().map(str),
    st.builds(lambda s, n: s * n, st.sampled_from(["é", "<", "=", "a", "😀"]), st.integers(1, 10_000)),
)
ALL_CHECKS = list(HealthCheck)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HTML_MARK = '<script>alert("xss")</script>'
STORED = [f'=cmd|"/C calc"!A0 {HTML_MARK}', "Evil\r\nX-INJECTED:1;a,b\\c"]


_FORMS: dict[str, tuple[str, Form]] = {}


def _forms(app, world) -> dict[str, tuple[str, Form]]:  # noqa: ANN001
    """Return the forms the pages show (crawled once per test session: field names do not change)."""
    if not _FORMS:
        _FORMS.update(crawl(app, world).forms)
    return _FORMS


@pytest.fixture()
def no_limits():
    """Fuzzing signs in thousands of times: switch the rate limits off for it."""
    limiter.enabled = False
    yield
    limiter.enabled = True


def _allowed_role(entry) -> str:  # noqa: ANN001
    return next((r for r in ROLES if entry.expect[r] in (OK, ACT)), "anonymous")


def _fields(endpoint: str, found: dict[str, tuple[str, Form]], base: dict) -> dict[str, list[str] | None]:
    """Return the fields to fuzz: those of the form the pages show, else the matrix's sample data."""
    if endpoint in found:
        form = found[endpoint][1]
        return {**dict.fromkeys(form.hidden), **form.fields}
    return {**dict.fromkeys(base), "name": None, "body": None, "email": None}


def _payload(draw, fields: dict[str, list[str] | None]) -> dict[str, str]:  # noqa: ANN001
    data = {}
    for name, options in fields.items():
        if name == "csrf_token" or draw(st.integers(0, 9)) == 0:
            continue  # a field left out now and then
        choices = st.sampled_from(options) if options else TEXT
        data[name] = draw(st.one_of(choices, TEXT) if options else choices)
    return data


@pytest.mark.parametrize("rule,method", POSTS, ids=[f"{r.endpoint}-{m}" for r, m in POSTS])
def test_form_never_answers_5xx(app, db, no_limits, rule, method):
    world = build_world()
    entry = entry_for(MATRIX, rule, method)
    found = _forms(app, world)
    base = entry.data(world) if entry.data else {}
    fields = _fields(rule.endpoint, found, base)
    user = world.users[_allowed_role(entry)]
    url = url_for_rule(app, rule, url_values(rule, entry, world))

    @settings(
        max_examples=PER_ENDPOINT, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(st.data())
    def fuzz(data):  # noqa: ANN001
        payload = {**{k: str(v) for k, v in base.items()}, **_payload(data.draw, fields)}
        as_json = data.draw(st.integers(0, 4)) == 0
        kwargs = {"json": payload} if as_json else {}
        response = request_as(app, user, method, url, payload, **kwargs)
        assert response.status_code < 500, (url, payload if len(str(payload)) < 2000 else "long payload")

    fuzz()


@pytest.mark.parametrize("rule,method", POSTS, ids=[f"{r.endpoint}-{m}" for r, m in POSTS])
def test_form_survives_each_nasty_value_in_every_field(app, db, no_limits, rule, method):
    world = build_world()
    entry = entry_for(MATRIX, rule, method)
    base = {k: str(v) for k, v in (entry.data(world) if entry.data else {}).items()}
    fields = _fields(rule.endpoint, _forms(app, world), base)
    user = world.users[_allowed_role(entry)]
    url = url_for_rule(app, rule, url_values(rule, entry, world))
    failures = []
    for value in NASTY:
        payload = {**base, **{name: value for name in fields if name != "csrf_token"}}
        try:
            status = request_as(app, user, method, url, payload).status_code
        except Exception as exc:  # noqa: BLE001  (TESTING propagates a 500's exception: record it)
            status = f"500 {type(exc).__name__}: {str(exc)[:80]}"
        if not isinstance(status, int) or status >= 500:
            failures.append((value[:40], status))
    assert failures == []


def _csv_findings(text: str) -> list[str]:
    bad = []
    for row in csv.reader(
        io.StringIO(text.lstrip("\ufeff")), delimiter=";" if text.count(";") > text.count(",") else ","
    ):
        bad += [cell for cell in row if _dangerous(cell)]
    return bad


def _dangerous(cell: str) -> bool:
    """Tell whether a spreadsheet cell would start a formula (numbers like -3 are fine)."""
    if not cell or not cell.startswith(FORMULA_START):
        return False
    return re.fullmatch(r"[+-]?\d+([.,]\d+)?", cell) is None


def _xlsx_findings(data: bytes) -> list[str]:
    bad = []
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and _dangerous(cell.value)):
                    bad.append(str(cell.value))
    return bad


def _ics_findings(text: str) -> list[str]:
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    return [line for line in unfolded.splitlines() if line.startswith("X-INJECTED")]


def _submit_stored_text(app, world, found: dict[str, tuple[str, Form]], value: str) -> None:  # noqa: ANN001
    """Send each form once per free-text field holding `value`, the other fields as the page fills them."""
    for role, form in found.values():
        for name, options in form.fields.items():
            if options is None and name not in form.hidden:
                data = {**form.hidden, **form.values, name: value}
                request_as(app, world.users[role], "POST", form.action, data)


def _store_in_names(world, value: str) -> None:  # noqa: ANN001
    """Write the text straight into the names calendars show: one-line form fields refuse line breaks,
    but rows imported or stored before that rule may hold them."""
    from salon.extensions import db
    from salon.models import Fair, Participant

    fair = db.session.get(Fair, world.fair.id)
    fair.name = fair.venue = value
    for participant in db.session.scalars(db.select(Participant).where(Participant.fair_id == fair.id)):
        participant.organisation.name = value
    db.session.commit()


def _pages_with_exports(app, world) -> dict:  # noqa: ANN001
    """Return every page the roles may open, plus every export of the organiser (CSV and XLSX)."""
    pages = crawl(app, world).pages
    for what in ("participants", "wishes", "meetings"):
        for fmt in ("csv", "xlsx"):
            url = f"/orga/fairs/{world.fair.id}/export/{what}.{fmt}"
            pages[("organiser", url)] = request_as(app, world.users["organiser"], "GET", url)
    return pages


def _findings(pages: dict) -> tuple[list[str], dict[str, str]]:
    """Return the unsafe spots (raw script, formula cell, injected .ics line) and all text seen."""
    findings, seen = [], {}
    for (role, url), response in pages.items():
        body, kind = response.get_data(), response.mimetype
        if kind == "text/html":
            text = body.decode()
            findings += [f"{url} as {role}: raw script"] if HTML_MARK in text else []
        elif kind == "text/csv":
            text = body.decode("utf-8")
            findings += [f"{url}: CSV cell {c!r}" for c in _csv_findings(text)]
        elif "spreadsheetml" in kind:
            findings += [f"{url}: XLSX cell {c!r}" for c in _xlsx_findings(body)]
            text = ""
        elif kind == "text/calendar":
            text = body.decode("utf-8")
            findings += [f"{url}: .ics line {c!r}" for c in _ics_findings(text)]
        else:
            text = ""
        seen[kind] = seen.get(kind, "") + text
    return findings, seen


def test_stored_text_escaped_in_html_exports_and_calendars(app, db, no_limits):
    world = build_world()
    found = crawl(app, world).forms
    _submit_stored_text(app, world, found, STORED[0])
    findings, seen = _findings(_pages_with_exports(app, world))
    assert "&lt;script&gt;alert(" in seen["text/html"], "no stored text came back: the check proved nothing"
    assert "cmd|" in seen["text/csv"], "no stored formula came back in an export: the check proved nothing"
    _submit_stored_text(app, world, found, STORED[1])
    _store_in_names(world, STORED[1])
    more, seen = _findings(_pages_with_exports(app, world))
    assert "X-INJECTED" in seen["text/calendar"], (
        "no stored line break reached a calendar: the check proved nothing"
    )
    assert findings + more == []
