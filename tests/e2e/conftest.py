"""Shared browser-test fixtures: the app served in a thread, Playwright on Debian chromium, axe checks."""

from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"


def need_service(available: bool, reason: str) -> None:
    """Skip when a service is missing, or fail when SALON_REQUIRE_SERVICES=1."""
    if not available:
        if os.environ.get("SALON_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture()
def live_server(app, db):
    """Serve the session app on a free local port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture()
def browser():
    """Launch Debian chromium for one test (skip when absent).

    Function-scoped on purpose: a Playwright sync session kept open across tests would clash with any
    other test that starts its own `sync_playwright()` in the same thread.
    """
    need_service(os.path.exists(CHROMIUM), f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


class ConsoleWatch:
    """The console errors (CSP violations included) and uncaught exceptions of the pages watched.

    A page answering 4xx to a bad form is the app's correct answer (the test reads that page); Chromium
    logs it as "Failed to load resource", so those lines are left out for documents, never for the
    page's own resources (scripts, styles, images, the favicon, htmx requests).
    """

    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []  # (message, url of the resource it is about)
        self.failed_documents: set[str] = set()

    def watch(self, page) -> None:  # noqa: ANN001
        """Record the page's console errors, uncaught exceptions and failed document loads."""

        def on_console(message) -> None:  # noqa: ANN001
            if message.type == "error":
                self.lines.append((message.text, (message.location or {}).get("url", "") or page.url))

        def on_response(response) -> None:  # noqa: ANN001
            if response.request.resource_type == "document" and response.status >= 400:
                self.failed_documents.add(response.url)

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.lines.append((f"uncaught {exc}", page.url)))
        page.on("response", on_response)

    def problems(self) -> list[str]:
        """Return the errors that are defects."""
        return [
            f"{text} ({url})"
            for text, url in self.lines
            if not (text.startswith("Failed to load resource") and url in self.failed_documents)
        ]


@pytest.fixture()
def console_errors() -> ConsoleWatch:
    """Return the console watch shared by the pages of one test."""
    return ConsoleWatch()


def watch_console(page, watch: ConsoleWatch) -> None:  # noqa: ANN001
    """Watch a page's console for errors (the test fails on any, see ConsoleWatch)."""
    watch.watch(page)


@pytest.fixture()
def page(browser, console_errors):
    """Yield a fresh page (own cookies) in French on a desktop-sized screen; fail on any console error."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch_console(page, console_errors)
    yield page
    context.close()
    assert console_errors.problems() == [], "console errors (a CSP violation, a failed load, a script error)"


def assert_accessible(page) -> None:  # noqa: ANN001
    """Fail on any serious or critical axe-core violation of the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert found == [], f"{page.url}: {found}"


@pytest.fixture()
def axe_check():
    """Return the accessibility check: call axe_check(page) on each page visited."""
    return assert_accessible
