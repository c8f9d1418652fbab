"""The import pages step by step: upload, columns, values, check; each refusal with its status, no change."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from bench.import_bomb import xlsx_bomb
from salon.models import ImportMapping, ImportUpload, Organisation, Participant
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.import_samples import directory_export, xlsx_bytes
from tests.security.crawl import forms_of


def setup(client, db, **fair_fields):
    user = make_user(can_create_fairs=True)
    fair = make_fair(organiser=user, **fair_fields)
    db.session.commit()
    login(client, user)
    return fair


def counts(db):
    return tuple(
        db.session.scalar(select(func.count(m.id))) for m in (Participant, Organisation, ImportUpload)
    )


def upload(client, fair, data, name="annuaire.csv"):
    return client.post(
        f"/orga/fairs/{fair.id}/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def form_values(client, url):
    """Return what the page's last form posting to itself would post as it is (its selects as selected)."""
    html = client.get(url).get_data(as_text=True)
    form = [f for f in forms_of(html, url) if f.action == url][-1]
    selects = dict.fromkeys(name for name, options in form.fields.items() if isinstance(options, list))
    for name, options in re.findall(r'<select id="\w+" name="(\w+)"[^>]*>(.*?)</select>', html, re.S):
        if name in selects:
            chosen = re.search(r'<option selected value="([^"]*)"', options)
            selects[name] = chosen.group(1) if chosen else ""
    return {**form.hidden, **form.values, **selects}


def columns(client, fair, data, name="annuaire.csv", **changes):
    """Upload a file and post its columns step as matched, with changes; return (response, upload id)."""
    response = upload(client, fair, data, name)
    assert response.status_code == 303, response.get_data(as_text=True)
    url = response.headers["Location"]
    return client.post(url, data=form_values(client, url) | changes), int(url.split("/")[-2])


def step_url(fair, upload_id, step):
    return f"/orga/fairs/{fair.id}/import/{upload_id}/{step}"


def test_directory_export_through_the_mapping_and_value_steps(client, db):
    fair = setup(client, db)
    response = upload(client, fair, directory_export())
    url = response.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert 'for="column_2">Collège</label>' in page and 'for="column_0">Raison sociale</label>' in page
    assert "732 829 320 00074" in page  # first values beside each column, and the preview
    matched = form_values(client, url)
    assert [matched[f"column_{i}"] for i in range(11)] == [
        "name",
        "siret",
        "",
        "departements",
        "sectors",
        "structure_types",
        "contact_email",
        "contact_last_name",
        "contact_first_name",
        "website",
        "",
    ]
    refused = client.post(url, data=matched)
    assert refused.status_code == 422
    assert "Aucune colonne ne donne ce champ : Profil (acheteur ou fournisseur)." in refused.get_data(
        as_text=True
    )
    response = client.post(url, data=matched | {"side": "supplier"})
    assert response.status_code == 303
    values_url = response.headers["Location"]
    page = client.get(values_url).get_data(as_text=True)
    assert page.count("Peinture murale</label>") == 1
    assert (
        '<optgroup label="Suggestions">\n            <option value="btp">Second œuvre, BTP</option>' in page
    )
    assert "Restauration, traiteur → Restauration, traiteur" in page  # recognised, shown for checking
    assert client.post(values_url, data={"value_0": ""}).status_code == 422
    assert counts(db) == (0, 0, 1)
    response = client.post(values_url, data={"value_0": "btp"})
    check_url = response.headers["Location"]
    page = client.get(check_url).get_data(as_text=True)
    assert "4 participants seront importés : 4 nouvelles organisations" in page
    response = client.post(check_url)
    assert (response.status_code, response.headers["Location"]) == (
        303,
        f"/orga/fairs/{fair.id}/participants",
    )
    assert counts(db) == (4, 4, 0)
    saved = db.session.scalar(select(ImportMapping))
    assert (saved.columns["college"], saved.values) == ("", {"sectors": {"peinture murale": ["btp"]}})


def test_unmapped_required_field_refused_with_422(client, db):
    fair = setup(client, db)
    data = "Raison sociale;Profil;Ville\nESAT;fournisseur;Alès\n".encode()
    response, _ = columns(client, fair, data)
    assert response.status_code == 422
    assert "Aucune colonne ne donne ce champ : E-mail de contact." in response.get_data(as_text=True)
    assert counts(db) == (0, 0, 1)


def test_unknown_value_left_unmapped_refused_with_422(client, db):
    fair = setup(client, db)
    data = b"Raison sociale;Profil;Courriel;Secteur\nESAT;fournisseur;e@example.org;Plomberie\n"
    response, upload_id = columns(client, fair, data)
    assert response.status_code == 303
    response = client.post(step_url(fair, upload_id, "values"), data={})
    assert response.status_code == 422
    assert "Choisissez une valeur, ou écartez-la." in response.get_data(as_text=True)
    response = client.post(step_url(fair, upload_id, "check"))
    assert response.status_code == 422
    assert "Choisissez une valeur pour Plomberie." in response.get_data(as_text=True)
    assert counts(db) == (0, 0, 1)


def test_utf16_and_cr_only_files_accepted(client, db):
    fair = setup(client, db)
    utf16 = "Raison sociale\tProfil\tCourriel\r\nESAT Sud\tfournisseur\tsud@example.org\r\n".encode("utf-16")
    cr_only = "Raison sociale;Profil;Courriel\rESAT Nord;fournisseur;nord@example.org\r".encode("cp1252")
    for data in (utf16, cr_only):
        response, upload_id = columns(client, fair, data)
        assert response.status_code == 303
        assert client.post(step_url(fair, upload_id, "values")).status_code == 303
        assert client.post(step_url(fair, upload_id, "check")).status_code == 303
    names = db.session.scalars(select(Organisation.name).order_by(Organisation.id)).all()
    assert names == ["ESAT Sud", "ESAT Nord"]


def test_xlsx_zip_bomb_refused_at_upload_with_422(client, db):
    fair = setup(client, db)
    response = upload(client, fair, xlsx_bomb(1_000_000), "annuaire.xlsx")
    assert response.status_code == 422
    assert "Ce fichier Excel décompressé dépasse 32 Mo" in response.get_data(as_text=True)
    assert counts(db) == (0, 0, 0)


def test_over_long_fields_and_javascript_website_refused_at_import_with_422(client, db):
    fair = setup(client, db)
    rows = [
        ["Raison sociale", "Profil", "Courriel", "Site web", "Offre"],
        ["x" * 201, "fournisseur", "a@example.org", "https://a.example.org", ""],
        ["ESAT", "fournisseur", "b@example.org", "javascript:alert(document.cookie)", "o" * 4001],
    ]
    response, upload_id = columns(client, fair, xlsx_bytes(rows), "p.xlsx")
    assert client.post(step_url(fair, upload_id, "values")).status_code == 303
    page = client.get(step_url(fair, upload_id, "check")).get_data(as_text=True)
    assert "Trop long : 200 caractères au plus." in page and 'name="import"' not in page
    response = client.post(step_url(fair, upload_id, "check"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<td>2</td><td>Raison sociale</td><td>Trop long : 200 caractères au plus.</td>" in page
    assert "<td>3</td><td>Site web</td><td>Saisissez une adresse complète" in page
    assert "<td>3</td><td>Offre</td><td>Trop long : 4000 caractères au plus.</td>" in page
    assert "javascript:alert" not in page.replace("&#34;", "")
    assert counts(db) == (0, 0, 1)


def test_known_organisation_shown_in_the_preview_and_reused(client, db):
    fair = setup(client, db)
    organiser = db.session.get(type(fair), fair.id).organisers[0].user
    last_year = make_fair(organiser=organiser)
    known = make_participant(last_year, "supplier", name="Régie Œuvre Sud (fiche 2026)").organisation
    known.siret = "73282932000074"
    db.session.commit()
    response, upload_id = columns(client, fair, directory_export(), side="supplier")
    client.post(step_url(fair, upload_id, "values"), data={"value_0": "-"})
    page = client.get(step_url(fair, upload_id, "check")).get_data(as_text=True)
    assert "3 nouvelles organisations et 1 organisation déjà connue de vos salons" in page
    assert "<td>3</td><td>Régie de quartier Œuvre Sud</td><td>Régie Œuvre Sud (fiche 2026)</td>" in page
    client.post(step_url(fair, upload_id, "check"))
    assert counts(db) == (5, 4, 0)


def test_header_row_chosen_again(client, db):
    fair = setup(client, db)
    data = xlsx_bytes([["Export", "du 3 mars"], ["Raison sociale", "Courriel"], ["ESAT", "e@example.org"]])
    response = upload(client, fair, data, "p.xlsx")
    url = response.headers["Location"]
    assert form_values(client, url)["column_0"] == "name"
    response = client.post(url, data={"step": "header", "header": "0"})
    assert response.status_code == 303
    assert form_values(client, url)["column_0"] == ""
    assert client.post(url, data={"step": "header", "header": "9"}).status_code == 422


def test_abandon_deletes_the_file(client, db):
    fair = setup(client, db)
    response, upload_id = columns(client, fair, directory_export())
    response = client.post(step_url(fair, upload_id, "abandon"))
    assert (response.status_code, counts(db)) == (303, (0, 0, 0))
    assert client.get(step_url(fair, upload_id, "columns")).status_code == 404


def test_import_refused_when_fair_closed(client, db):
    fair = setup(client, db, phase="closed")
    response, upload_id = columns(client, fair, b"Nom;Profil;E-mail\nA;acheteur;a@example.org\n")
    client.post(step_url(fair, upload_id, "values"))
    response = client.post(step_url(fair, upload_id, "check"))
    assert response.status_code == 422
    assert "Le salon est clos." in response.get_data(as_text=True)
    assert counts(db) == (0, 0, 1)


def test_import_page_lists_every_accepted_header_and_value(client, db):
    fair = setup(client, db)
    page = client.get(f"/orga/fairs/{fair.id}/import").get_data(as_text=True)
    for text in (
        "Raison sociale",
        "N° SIRET",
        "Secteur d&#39;activité",
        "Entreprise agréée ESUS",
        "Entreprise ESUS",
        "Second œuvre, BTP",
        "Restauration, traiteur",
        "34 – Hérault",
        "Occitanie",
        "Exposant",
    ):
        assert text in page, text


def test_file_text_escaped_on_every_step(client, db):
    fair = setup(client, db)
    data = "Raison sociale;Profil;Courriel;Secteur;<script>alert(1)</script>\n"
    data += "ESAT;fournisseur;e@example.org;<img src=x onerror=alert(2)>;x\n"
    response, upload_id = columns(client, fair, data.encode())
    pages = [
        client.get(step_url(fair, upload_id, step)).get_data(as_text=True) for step in ("columns", "values")
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0] and "<script>alert(1)" not in pages[0]
    assert "&lt;img src=x onerror=alert(2)&gt;" in pages[1] and "<img src=x" not in pages[1]


def test_one_field_given_to_two_columns_refused_with_422(client, db):
    fair = setup(client, db)
    data = "Raison sociale;Profil;Courriel;Ville\nESAT;fournisseur;e@example.org;Alès\n".encode()
    response, _ = columns(client, fair, data, column_3="name")
    assert response.status_code == 422
    assert "Plusieurs colonnes sont attribuées à Nom de l&#39;organisation." in response.get_data(
        as_text=True
    )
    assert counts(db) == (0, 0, 1)


def test_a_file_refused_at_the_check_comes_back_corrected_without_choosing_again(client, db):
    """The values page says the choices are kept for the next files: they are, even when the check fails."""
    fair = setup(client, db)
    header = "Raison sociale;Profil;Courriel;;\r\n"
    wrong = header + "Ville de Villeurbanne;Mairie;achats@villeurbanne.example;;\r\n"
    wrong += "Propreté Plus;Fournisseur;pp.example;;\r\n"
    response, upload_id = columns(client, fair, wrong.encode("cp1252"))
    assert response.headers["Location"].endswith("/values")
    assert client.post(step_url(fair, upload_id, "values"), data={"value_0": "buyer"}).status_code == 303
    page = client.get(step_url(fair, upload_id, "check")).get_data(as_text=True)
    assert "Le fichier n’a pas été importé : 1 erreur." in page and "(s)" not in page
    client.post(step_url(fair, upload_id, "abandon"))
    fixed = wrong.replace(";pp.example;", ";contact@pp.example;").encode("utf-8-sig")
    response, upload_id = columns(client, fair, fixed)
    page = client.get(step_url(fair, upload_id, "values")).get_data(as_text=True)
    assert '<option value="buyer" selected>' in page  # "Mairie" is a buyer, as chosen before
    assert client.post(step_url(fair, upload_id, "values"), data={"value_0": "buyer"}).status_code == 303
    page = client.get(step_url(fair, upload_id, "check")).get_data(as_text=True)
    assert "2 participants seront importés : 2 nouvelles organisations." in page
    response = client.post(step_url(fair, upload_id, "check"), follow_redirects=True)
    assert "2 participants importés." in response.get_data(as_text=True)
    one = (header + "Mairie d’Alès;Mairie;achats@ales.example;;\r\n").encode("cp1252")
    response, upload_id = columns(client, fair, one)
    assert client.post(step_url(fair, upload_id, "values"), data={"value_0": "buyer"}).status_code == 303
    page = client.get(step_url(fair, upload_id, "check")).get_data(as_text=True)
    assert (
        "1 participant sera importé : 1 nouvelle organisation." in page and "Importer 1 participant<" in page
    )
    response = client.post(step_url(fair, upload_id, "check"), follow_redirects=True)
    assert "1 participant importé." in response.get_data(as_text=True)
    sides = db.session.execute(
        select(Organisation.name, Participant.side).join(Participant.organisation)
    ).all()
    assert sorted(sides) == [
        ("Mairie d’Alès", "buyer"),
        ("Propreté Plus", "supplier"),
        ("Ville de Villeurbanne", "buyer"),
    ]
