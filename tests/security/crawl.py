"""Crawl every GET route as every role: collect the pages, the downloads and the forms they show."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException

from tests.security.matrix import OK, app_rules, request_as, rule_key, url_for_rule, url_values
from tests.security.permission_table import MATRIX
from tests.security.world import ROLES, World


@dataclass
class Form:
    """A form found on a page: where it posts and its fields (name -> options of a select, else None)."""

    action: str
    fields: dict[str, list[str] | None] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # what the page fills in (value, text, selected)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(a.get("action") or self.page_url)
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type") == "hidden":
            self._form.hidden[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") in ("checkbox", "radio"):
            self._form.fields.setdefault(a["name"], [])
            self._form.fields[a["name"]].append(a.get("value", "on"))
            if "checked" in a:
                self._form.values[a["name"]] = a.get("value", "on")
        elif tag in ("input", "textarea"):
            self._form.fields.setdefault(a["name"], None)
            self._form.values[a["name"]] = a.get("value", "")
            self._textarea = a["name"] if tag == "textarea" else None
        elif tag == "select":
            self._select = a["name"]
            self._form.fields[a["name"]] = []
        if tag == "option" and self._select and self._form is not None:
            self._form.fields[self._select].append(a.get("value", ""))
            if "selected" in a or self._select not in self._form.values:
                self._form.values[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_of(html: str, page_url: str) -> list[Form]:
    """Return the POST forms of an HTML page."""
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


@dataclass
class Crawl:
    pages: dict[tuple[str, str], object] = field(default_factory=dict)  # (role, url) -> response
    forms: dict[str, tuple[str, Form]] = field(default_factory=dict)  # endpoint -> (role, form)


def crawl(app: Flask, world: World, roles: tuple[str, ...] = ROLES) -> Crawl:
    """Request every GET route the matrix allows to each role; keep the responses and their forms."""
    result = Crawl()
    adapter = app.url_map.bind("localhost")
    for rule, method in app_rules(app):
        entry = MATRIX.get(rule_key(rule, method))
        if method != "GET" or entry is None or rule.endpoint == "static":
            continue
        url = url_for_rule(app, rule, url_values(rule, entry, world))
        for role in roles:
            if entry.expect[role] != OK:
                continue
            response = request_as(app, world.users[role], "GET", url)
            result.pages[(role, url)] = response
            if response.mimetype != "text/html":
                continue
            for form in forms_of(response.get_data(as_text=True), url):
                try:
                    endpoint, _ = adapter.match(urlsplit(form.action).path or url, method="POST")
                except HTTPException:
                    continue
                result.forms.setdefault(endpoint, (role, form))
    return result
