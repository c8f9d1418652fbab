"""The demo's links follow --host/--port, and its e-mails are caught locally and shown on a demo-only page."""

from __future__ import annotations

import html
import re
import sqlite3
from email import policy
from email.parser import BytesParser

import pytest
import requests

from salon import create_app
from salon.demo import ORGANISER_EMAIL, PASSWORD, SLUG, demo_base_url
from salon.demo_mail import linkify, shown_headers
from tests.salon.demo_process import csrf_token, running_demo, wait_for


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 5202, "http://127.0.0.1:5202"),
        ("localhost", 8000, "http://localhost:8000"),
        ("0.0.0.0", 5202, "http://127.0.0.1:5202"),  # noqa: S104  (every interface: linked on the loopback)
        ("::1", 5202, "http://[::1]:5202"),
        ("::", 5202, "http://[::1]:5202"),
    ],
)
def test_demo_base_url_follows_host_and_port(host, port, expected):
    assert demo_base_url(host, port) == expected


def test_demo_no_serve_sets_base_url_from_port(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}, "config.TestConfig"
    )
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve", "--port", "5202"])
    assert result.exit_code == 0, result.output
    assert app.config["SALON_BASE_URL"] == "http://127.0.0.1:5202"
    assert "http://127.0.0.1:5202/" in result.output


def test_mailbox_pages_do_not_exist_outside_the_demo(client):
    assert not [r for r in client.application.url_map.iter_rules() if r.endpoint.startswith("demo.")]
    assert client.get("/demo/mailbox").status_code == 404


def test_mailbox_shows_a_folded_sender_name_whole():
    # What the sender wrote for the demo fair: its name folded onto two encoded words inside "responsable".
    raw = (
        b"From: Coventis =?utf-8?q?=E2=80=94_rendez-vous_d=27affaires_de_l=27achat_res?=\r\n"
        b" =?utf-8?q?ponsable_=28d=C3=A9mo=29?= <no-reply@salon.localhost>\r\n"
        b"To: a@example.org\r\nSubject: =?utf-8?q?Salon_:_votre_agenda_est_publi=C3=A9?=\r\n\r\nBonjour\r\n"
    )
    assert "res ponsable" in str(BytesParser(policy=policy.default).parsebytes(raw)["From"])  # why
    shown = shown_headers(raw)
    assert (
        shown["From"]
        == "Coventis — rendez-vous d'affaires de l'achat responsable (démo) <no-reply@salon.localhost>"
    )
    assert (shown["To"], shown["Subject"]) == ("a@example.org", "Salon : votre agenda est publié")


def test_linkify_escapes_text_and_links_addresses():
    html = str(linkify("<b>Ouvrez http://127.0.0.1:5202/invitation/a.b?x=1&y=2.\nMerci"))
    assert html == (
        '&lt;b&gt;Ouvrez <a href="http://127.0.0.1:5202/invitation/a.b?x=1&amp;y=2">'
        "http://127.0.0.1:5202/invitation/a.b?x=1&amp;y=2</a>.\nMerci"
    )


@pytest.fixture()
def demo(tmp_path):
    """Run `salon demo` on a free, non-default port; yield its base URL and folder."""
    with running_demo(tmp_path) as base:
        yield base, tmp_path


def test_demo_catches_mail_and_its_links_point_to_the_demo(demo):
    base, tmp_path = demo
    assert f"read them at {base}/demo/mailbox" in (tmp_path / "demo.log").read_text()
    session = requests.Session()
    login = session.get(f"{base}/login", timeout=30)
    signed = session.post(
        f"{base}/login",
        data={"email": ORGANISER_EMAIL, "password": PASSWORD, "csrf_token": csrf_token(login.text)},
        timeout=30,
    )
    fair_id = re.search(r"/orga/fairs/(\d+)/", session.get(f"{base}/orga/", timeout=30).text).group(1)
    assert signed.status_code == 200
    page = session.get(f"{base}/orga/fairs/{fair_id}/organisers", timeout=30)
    invited = session.post(
        f"{base}/orga/fairs/{fair_id}/organisers",
        data={"email": "nouvelle@demo.example.org", "role": "organiser", "csrf_token": csrf_token(page.text)},
        timeout=30,
    )
    assert invited.status_code == 200

    def caught():  # noqa: ANN202
        box = requests.get(f"{base}/demo/mailbox", timeout=30).text
        return re.search(r'href="(/demo/mailbox/[^"]+)">[^<]*invitation', box)

    link = wait_for(caught, 60, "the invitation in the demo mailbox")
    message = requests.get(base + link.group(1), timeout=30)
    assert message.status_code == 200 and "nouvelle@demo.example.org" in message.text
    assert "Coventis — rendez-vous d'affaires de l'achat responsable (démo)" in html.unescape(message.text)
    urls = re.findall(r'href="(https?://[^"]+)"', message.text)
    assert urls and all(u.startswith(f"{base}/") for u in urls), urls
    invitation = next(u for u in urls if "/invitation" in u)
    opened = requests.get(invitation.replace("&amp;", "&"), timeout=30)
    assert opened.status_code == 200 and "Coventis" in opened.text
    outbox = session.get(f"{base}/orga/fairs/{fair_id}/messages?status=sent", timeout=30).text
    assert "nouvelle@demo.example.org" in outbox  # the real sender marked it sent


def test_demo_confirmation_link_of_a_new_registration_confirms(demo):
    base, tmp_path = demo
    # Whatever today's date, keep the demo fair open for registration (its deadline is a fixed date).
    with sqlite3.connect(tmp_path / "demo.sqlite3") as conn:
        conn.execute("UPDATE fairs SET registration_deadline = NULL WHERE slug = ?", (SLUG,))
    session = requests.Session()
    form = session.get(f"{base}/fairs/{SLUG}/register", timeout=30)
    sent = session.post(
        f"{base}/fairs/{SLUG}/register",
        data={
            "side": "supplier", "organisation_name": "Recyclerie du Lez", "siret": "",
            "full_name": "Alice Martin", "email": "alice@demo.example.org", "phone": "",
            "password": "Tilleul-bleu-du-Lez-2027", "password_again": "Tilleul-bleu-du-Lez-2027",
            "consent": "y", "csrf_token": csrf_token(form.text),
        },
        timeout=30,
    )  # fmt: skip
    assert sent.status_code == 200 and "/register/sent" in sent.url, sent.url

    def caught():  # noqa: ANN202
        box = requests.get(f"{base}/demo/mailbox", timeout=30).text
        return re.search(r'href="(/demo/mailbox/[^"]+)">[^<]*(?:Confirmez|adresse)', box)

    link = wait_for(caught, 60, "the confirmation e-mail in the demo mailbox")
    message = requests.get(base + link.group(1), timeout=30).text
    confirm = re.search(r'href="(http[^"]+/register/confirm/[^"]+)"', message).group(1)
    assert confirm.startswith(f"{base}/register/confirm/")
    opened = session.get(confirm.replace("&amp;", "&"), timeout=30)
    assert opened.status_code == 200 and "Votre adresse e-mail est confirmée." in opened.text
