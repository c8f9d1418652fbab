"""PostgreSQL under concurrent requests: an import confirmed several times at once goes in exactly once."""

from __future__ import annotations

import pytest

from salon.extensions import db
from salon.models import ImportUpload, Participant
from salon.services import import_uploads
from tests.factories import PASSWORD, make_fair, make_user
from tests.security.live import at_once, post, sign_in
from tests.security.test_concurrency_pg import _count, _statuses, live, pg_database  # noqa: F401  (fixtures)

pytestmark = pytest.mark.postgres
FILE = "Raison sociale;Profil;Courriel\n" + "".join(
    f"ESAT {i};fournisseur;esat{i}@example.org\n" for i in range(30)
)


def test_import_confirmed_five_times_at_once_goes_in_once(live):  # noqa: F811
    with live.app.test_request_context():
        organiser = make_user(can_create_fairs=True)
        fair = make_fair(organiser=organiser)
        upload = import_uploads.start_upload(fair, organiser, "annuaire.csv", FILE.encode())
        db.session.commit()
        fair_id, upload_id, email = fair.id, upload.id, organiser.email
    cookies = sign_in(live, email, PASSWORD)
    path = f"/orga/fairs/{fair_id}/import/{upload_id}/check"
    results = at_once([post(live, path, cookies, {}) for _ in range(5)])
    # The first imports; the others find it done and land on the participants list too (a double click).
    assert _statuses(results) == [303] * 5
    assert _count(live.app, Participant, fair_id=fair_id) == 30
    assert _count(live.app, ImportUpload) == 0
