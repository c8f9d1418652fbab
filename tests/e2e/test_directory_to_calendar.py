"""Issue 16's journey in Chromium, from a directory export to everyone's calendar.

A new organiser (given the right to create fairs with `salon organiser add`) creates a fair, imports a
CRESS directory export (Windows-1252, extra columns, French labels with commas, SIRETs with spaces, one
value mapped by hand), adds two buyers, invites everyone; two invitations are read from a real SMTP server
(aiosmtpd) and their links followed to set passwords; the organiser enters a buyer's wishes, solves,
publishes through the preview and moves a meeting. Each of its two participants receives an e-mail stating
the new time (Paris, in French) and table, whose invitation equals their subscription feed's event (UID,
SEQUENCE, DTSTART, LOCATION) for three calendar parsers. axe finds no serious or critical violation on any
page visited; a console error fails the test.
"""

from __future__ import annotations

import re
import time
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from salon import jobs
from salon.extensions import db as _db
from salon.models import Fair, Meeting, Organisation, Participant, Wish
from tests.e2e.conftest import watch_console
from tests.salon.calendar_parsers import PARSERS, by_uid, parse_many
from tests.salon.import_samples import directory_export
from tests.salon.mail_server import running_smtp_server

pytestmark = pytest.mark.e2e

FAIR = "Coventis Nîmes 2027"
ORGANISER = ("claire.martin@cress-occitanie.example", "Garrigue7 cigale tambour")
SUPPLIER = ("SCOP Bâtir Ensemble", "scop@example.org", "Brique7Sureau lagune")  # imported from the export
BUYER = ("Ville de Nîmes", "achats@nimes.example", "Olivier9 phare marelle")  # added by hand
BUYERS = ((BUYER[0], "Inès Martin", BUYER[1]), ("CHU de Nîmes", "Paul Roux", "achats@chu-nimes.example"))
WISHES = (
    (SUPPLIER[0], "Incontournable"),
    ("Régie de quartier Œuvre Sud", "Souhaité"),
    ("ESAT Mosaïque", "Si possible"),
)
# 10 June 2027 is a Thursday in summer time: 16:30 in Paris is 14:30 UTC.
FIRST_DAY, NEW_TIME, NEW_TIME_UTC, NEW_TABLE = "2027-06-10", "16:30", "2027-06-10T14:30:00Z", "7"
VENUE = "Parc des expositions, hall B"
FIELDS = ("uid", "sequence", "start_utc", "location")


class Mailbox:
    """The real SMTP server the outbox sender delivers to, read message by message."""

    def __init__(self, server, runner) -> None:  # noqa: ANN001
        self.server, self.runner, self.read = server, runner, 0

    def deliver(self, count: int) -> list[EmailMessage]:
        """Run `salon mail send` until `count` new messages reached the server; return them."""
        deadline = time.monotonic() + 120
        while len(self.server.inbox.envelopes) - self.read < count:
            assert time.monotonic() < deadline, f"{count} e-mails expected, {self.server.inbox.envelopes}"
            jobs.wait_all()  # mail a background job is still preparing
            result = self.runner.invoke(args=["mail", "send"])
            assert result.exit_code == 0, result.output
            if len(self.server.inbox.envelopes) - self.read < count:
                time.sleep(0.2)  # the next pass of the sender, as its timer would run it
        new = self.server.inbox.messages[self.read :]
        self.read = len(self.server.inbox.envelopes)
        assert len(new) == count, [m["Subject"] for m in new]
        return new


@pytest.fixture()
def mailbox(app, db, live_server, monkeypatch):
    """Links in e-mails point at the live server; the outbox is sent to a real aiosmtpd server."""
    monkeypatch.setitem(app.config, "SALON_BASE_URL", live_server)
    for server in running_smtp_server(app, monkeypatch):
        yield Mailbox(server, app.test_cli_runner())


def _menu(page, name: str) -> None:  # noqa: ANN001
    page.get_by_role("navigation", name="Menu du salon").get_by_role("link", name=name, exact=True).click()


def _flash(page, text: str) -> None:  # noqa: ANN001
    page.get_by_role("status").filter(has_text=text).first.wait_for()


def _new_organiser_creates_the_fair(page, axe_check, base: str) -> int:  # noqa: ANN001
    page.goto(f"{base}/login")
    axe_check(page)
    page.get_by_label("Adresse e-mail").fill(ORGANISER[0])
    page.get_by_label("Mot de passe", exact=True).fill(ORGANISER[1])
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Les salons que j'organise").wait_for()  # signing in lands here
    assert page.get_by_text("Vous n'organisez aucun salon pour l'instant.").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Créer un salon").click()
    page.get_by_label("Nom du salon").fill(FAIR)
    page.get_by_label("Modèle").select_option(label="Coventis")
    page.get_by_label("Premier jour").fill(FIRST_DAY)
    axe_check(page)
    page.get_by_role("button", name="Créer").click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    axe_check(page)
    fair_id = int(re.search(r"/orga/fairs/(\d+)/", page.url).group(1))
    _menu(page, "Paramètres")
    page.get_by_label("Lieu").fill(VENUE)
    page.get_by_role("button", name="Enregistrer").click()
    _flash(page, "Paramètres enregistrés.")
    return fair_id


def _import_directory_export(page, axe_check, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "annuaire-cress-occitanie.csv"
    path.write_bytes(directory_export(encoding="cp1252"))
    _menu(page, "Importer")
    axe_check(page)
    page.get_by_label("Fichier CSV ou Excel").set_input_files(str(path))
    page.get_by_role("button", name="Lire le fichier").click()
    page.get_by_role("heading", name="Colonnes du fichier").wait_for()
    assert page.get_by_label("Collège", exact=True).input_value() == ""  # an extra column, ignored
    assert page.get_by_label("Département", exact=True).input_value() == "departements"
    assert page.get_by_label("Secteur d'activité").input_value() == "sectors"
    axe_check(page)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_text("Aucune colonne ne donne ce champ : Profil (acheteur ou fournisseur).").wait_for()
    page.get_by_label("Profil des lignes qui n’en donnent pas").select_option(label="Fournisseur")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Valeurs du fichier").wait_for()
    axe_check(page)
    page.get_by_label("Peinture murale").select_option(label="Second œuvre, BTP")  # unknown: mapped by hand
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Vérifier et importer").wait_for()
    page.get_by_text("4 participants seront importés").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Importer 4 participants").click()
    _flash(page, "4 participants importés.")
    axe_check(page)


def _assert_imported_as_the_directory_meant() -> None:
    _db.session.expire_all()
    orgs = {o.name: o for o in _db.session.scalars(select(Organisation))}
    assert sorted(orgs) == ["ESAT Mosaïque", "Les Jardins d'Alès", "Régie de quartier Œuvre Sud", SUPPLIER[0]]
    regie, scop, esat = orgs["Régie de quartier Œuvre Sud"], orgs[SUPPLIER[0]], orgs["ESAT Mosaïque"]
    assert (regie.siret, regie.sectors) == ("73282932000074", ["restauration"])  # one label, with its comma
    assert (scop.sectors, sorted(scop.departements)) == (["btp"], ["30", "34"])
    assert (esat.sectors, esat.structure_types) == (["btp"], ["esus"])


def _add_buyers_by_hand(page, axe_check) -> None:  # noqa: ANN001
    for n, (name, contact, address) in enumerate(BUYERS):
        _menu(page, "Ajouter")
        if n == 0:
            axe_check(page)
        page.get_by_role("combobox", name="Profil").select_option(label="Acheteur")
        page.get_by_label("Nom de l'organisation").fill(name)
        page.get_by_label("Personne de contact").fill(contact)
        page.get_by_label("E-mail de contact").fill(address)
        page.get_by_role("button", name="Enregistrer").click()
        _flash(page, "Participant ajouté.")


def _invite_everyone(page, axe_check, mailbox: Mailbox, base: str) -> dict[str, str]:  # noqa: ANN001
    """Invite every participant without an account; return the link each address received."""
    _menu(page, "Liste")
    axe_check(page)
    page.get_by_role("button", name="Inviter tous ceux qui n’ont pas de compte").click()
    _flash(
        page,
        "6 invitations mises en file d’envoi : elles partiront au prochain passage de l’envoi des e-mails.",
    )
    axe_check(page)
    links = {}
    for message in mailbox.deliver(6):
        assert message["Subject"] == f"{FAIR} : votre accès au salon"
        text = message.get_body(("plain",)).get_content()
        links[message["To"]] = re.search(rf"{re.escape(base)}/invitations/\S+", text).group(0)
    assert sorted(links) == sorted(["regie@example.org", "scop@example.org", "jardins@example.org",
                                    "esat@example.org", BUYERS[0][2], BUYERS[1][2]])  # fmt: skip
    return links


def _agenda_without_an_account(browser, console_errors, axe_check, agendas, base: str) -> None:  # noqa: ANN001
    """An imported participant that never set a password follows its agenda e-mail's link: no sign-in."""
    texts = {m["To"]: m.get_body(("plain",)).get_content() for m in agendas}
    without = [t for to, t in sorted(texts.items()) if to not in (SUPPLIER[1], BUYER[1])]
    text = next(t for t in without if "Vos rendez-vous" in t)
    link = re.search(rf"Votre agenda en ligne \(sans mot de passe\) : ({re.escape(base)}/agenda/\S+)", text)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch_console(page, console_errors)
    page.goto(link.group(1))
    page.get_by_role("heading", name=re.compile("^Planning de ")).wait_for()
    assert "/login" not in page.url
    axe_check(page)
    rows = page.locator(".agenda__item")
    assert rows.count() >= 1 and re.search(r"\d\d:\d\d–\d\d:\d\d", rows.first.inner_text())
    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    events = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert len(events) == rows.count()
    context.close()


def _set_password(browser, console_errors, axe_check, link: str, name: str, password: str):  # noqa: ANN001, ANN202
    """Follow an invitation link in the invitee's own browser and choose a password; return the page."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    watch_console(page, console_errors)
    page.goto(link)
    page.get_by_role("heading", name=f"Votre accès à {FAIR}").wait_for()
    axe_check(page)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_label("Mot de passe, à nouveau").fill(password)
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_text(f"Bienvenue : vous agissez pour {name}").wait_for()
    axe_check(page)
    return page


def _next_phase(page, phase: str) -> None:  # noqa: ANN001
    page.get_by_role("button", name=f"Passer à la phase : {phase}").click()
    _flash(page, "Le salon a changé de phase.")


def _enter_wishes_for_the_buyer(page, axe_check) -> None:  # noqa: ANN001
    _menu(page, "Liste")
    page.get_by_role("link", name=BUYER[0], exact=True).click()
    page.get_by_role("link", name="Souhaits", exact=True).click()
    page.get_by_role("heading", name="Qui ce participant souhaite rencontrer").wait_for()
    axe_check(page)
    for target, priority in WISHES:
        page.get_by_label("Participant à rencontrer").select_option(label=target)
        page.get_by_label(priority, exact=True).check()
        page.get_by_role("button", name="Enregistrer le souhait").click()
        _flash(page, f"Souhait concernant {target} enregistré.")
    axe_check(page)


def _solve_and_publish(page, axe_check) -> int:  # noqa: ANN001
    """Compute from the scheduling page (which moves the fair there), publish; return the e-mails queued."""
    _menu(page, "Planification")
    page.get_by_text("Le planning se calcule en phase de planification").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Passer à la phase : planification").click()
    page.get_by_label("Temps de calcul maximal (secondes)").fill("5")
    page.get_by_role("button", name="Calculer un planning").click()
    page.get_by_role("button", name="Publier ce planning").wait_for(timeout=180_000)
    axe_check(page)
    page.get_by_role("button", name="Publier ce planning").click()
    page.get_by_role("heading", name=re.compile("ce qui va se passer")).wait_for()
    summary = page.locator("#publish-summary").inner_text()
    assert summary.startswith("3 nouveaux rendez-vous"), summary
    emails = int(re.search(r"(\d+)\s+e-mails? à mettre en file", summary).group(1))
    axe_check(page)
    page.get_by_role("button", name="Confirmer la publication").click()
    page.get_by_role("heading", name="Planning publié").wait_for(timeout=60_000)
    page.get_by_text(re.compile("attendent dans la file d’envoi")).wait_for()
    axe_check(page)
    return emails


def _subscription_link(page, axe_check, base: str) -> str:  # noqa: ANN001
    """As the participant, create the calendar subscription link; return it."""
    page.goto(f"{base}/p/")
    page.get_by_role("link", name="Mon calendrier").click()
    axe_check(page)
    page.get_by_role("button", name="Créer un lien d’abonnement").click()
    url = page.locator("#feed-url").input_value()
    assert url.startswith(f"{base}/cal/") and url.endswith(".ics")
    # Shown once: the whole link is in view to be copied, and revoking it is a button of touch size (measured
    # once the style sheets are in: on a loaded machine the fields exist before they are styled).
    page.wait_for_load_state("load")
    assert page.locator("#feed-url").evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.get_by_role("button", name="Révoquer le lien").bounding_box()["height"] >= 44
    return url


def _free_slot(fair_id: int, meeting: Meeting) -> int:
    """Return the id of the slot at NEW_TIME (Paris) on the first day, free for both participants."""
    fair = _db.session.get(Fair, fair_id)
    busy = {
        m.slot_id
        for m in _db.session.scalars(select(Meeting).where(Meeting.fair_id == fair_id))
        if {m.participant_a_id, m.participant_b_id} & {meeting.participant_a_id, meeting.participant_b_id}
    }
    [slot] = [s for s in fair.slots if s.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ") == NEW_TIME_UTC]
    assert slot.id not in busy
    return slot.id


def _move_the_meeting(page, axe_check, fair_id: int) -> tuple[Meeting, str]:  # noqa: ANN001
    """Move the buyer's meeting with the supplier to NEW_TIME, table NEW_TABLE; return it, its old place."""
    _menu(page, "Planning publié")
    names = sorted((SUPPLIER[0], BUYER[0]))  # the grid names a pair in either order: say both, "/" escaped
    pair = re.compile(rf"^({names[0]} \/ {names[1]}|{names[1]} \/ {names[0]})$")
    page.get_by_role("link", name=pair).click()
    page.get_by_role("heading", name=pair).wait_for()
    axe_check(page)
    meeting_id = int(re.search(r"/meetings/(\d+)$", page.url).group(1))
    meeting = _db.session.get(Meeting, meeting_id)
    was = meeting.slot.starts_at.astimezone(ZoneInfo("Europe/Paris"))
    old = f"jeudi 10 juin 2027 à {was:%H:%M}, Table {meeting.table.name}"
    page.get_by_label("Créneau").select_option(str(_free_slot(fair_id, meeting)))
    page.get_by_label("Table", exact=True).select_option(label=NEW_TABLE)
    page.get_by_role("button", name="Déplacer").click()
    _flash(page, "Rendez-vous déplacé : 2 e-mails annonçant la nouvelle heure et la nouvelle table")
    axe_check(page)
    _db.session.expire_all()
    return _db.session.get(Meeting, meeting_id), old


def _calendar_part(message: EmailMessage) -> bytes:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    return part.get_payload(decode=True)


def _assert_moved_mails_match_feeds(
    page, mails: list[EmailMessage], feeds: dict[str, str], uid: str, old: str
):  # noqa: ANN001, ANN202
    """Each mail states the new place in French, Paris time; its event equals the feed's in every parser."""
    new_when = f"jeudi 10 juin 2027 à {NEW_TIME}"
    location = f"{VENUE}, Table {NEW_TABLE}"
    by_address = {m["To"]: m for m in mails}
    assert sorted(by_address) == sorted(feeds)
    documents = []
    for address, other in ((SUPPLIER[1], BUYER[0]), (BUYER[1], SUPPLIER[0])):
        mail = by_address[address]
        assert mail["Subject"] == f"{FAIR} : rendez-vous avec {other} déplacé"
        text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert f"Quand : {new_when}\n" in text and f"Où : {location}\n" in text, text
        assert f"Auparavant : {old}" in text, text
        assert text.index(new_when) < text.index("Auparavant")  # the new place first: not the old one
        assert new_when in mail.get_body(("html",)).get_content()
        feed = page.request.get(feeds[address])
        assert feed.status == 200
        documents += [_calendar_part(mail), feed.body()]
    for parser in PARSERS:
        parsed = [by_uid(events) for events in parse_many(parser, documents)]
        for mail_events, feed_events in zip(parsed[0::2], parsed[1::2], strict=True):
            assert list(mail_events) == [uid], parser
            mail_event, feed_event = {"uid": uid, **mail_events[uid]}, {"uid": uid, **feed_events[uid]}
            assert {f: mail_event[f] for f in FIELDS} == {f: feed_event[f] for f in FIELDS}, parser
            assert (mail_event["sequence"], mail_event["start_utc"], mail_event["location"]) == (
                1,
                NEW_TIME_UTC,
                location,
            ), parser


def test_directory_export_to_everyones_calendar(
    live_server, page, browser, console_errors, axe_check, db, mailbox, tmp_path
):
    base = live_server
    page.context.set_default_timeout(30_000)  # a loaded 2-core CI machine
    made = mailbox.runner.invoke(
        args=["organiser", "add", ORGANISER[0], "--name", "Claire Martin"], input=f"{ORGANISER[1]}\n" * 2
    )
    assert made.exit_code == 0, made.output

    fair_id = _new_organiser_creates_the_fair(page, axe_check, base)
    _import_directory_export(page, axe_check, tmp_path)
    _assert_imported_as_the_directory_meant()
    _add_buyers_by_hand(page, axe_check)
    links = _invite_everyone(page, axe_check, mailbox, base)
    supplier = _set_password(browser, console_errors, axe_check, links[SUPPLIER[1]], SUPPLIER[0], SUPPLIER[2])
    buyer = _set_password(browser, console_errors, axe_check, links[BUYER[1]], BUYER[0], BUYER[2])

    _menu(page, "Tableau de bord")
    for phase in ("inscriptions", "souhaits"):
        _next_phase(page, phase)
    _enter_wishes_for_the_buyer(page, axe_check)
    _db.session.expire_all()
    buyer_id = _db.session.scalar(
        select(Participant.id).join(Organisation).where(Organisation.name == BUYER[0])
    )
    wishes = _db.session.scalars(select(Wish).where(Wish.source_id == buyer_id)).all()
    assert sorted((w.priority, w.by_organiser) for w in wishes) == [(1, True), (2, True), (3, True)]

    emails = _solve_and_publish(page, axe_check)
    agendas = mailbox.deliver(emails)
    assert {m["Subject"] for m in agendas} == {f"{FAIR} : votre agenda est publié"}
    assert {SUPPLIER[1], BUYER[1]} <= {m["To"] for m in agendas}
    _agenda_without_an_account(browser, console_errors, axe_check, agendas, base)
    feeds = {
        SUPPLIER[1]: _subscription_link(supplier, axe_check, base),
        BUYER[1]: _subscription_link(buyer, axe_check, base),
    }

    meeting, old = _move_the_meeting(page, axe_check, fair_id)
    assert (meeting.sequence, meeting.table.name) == (1, NEW_TABLE)
    _assert_moved_mails_match_feeds(page, mailbox.deliver(2), feeds, meeting.uid, old)
    for invitee in (supplier, buyer):
        invitee.context.close()
