"""A built wheel carries the compiled catalogues, templates and static files; it runs read-only."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Runs inside the installed copy: no write anywhere under it, a French home page.
SCRIPT = """
import sys, salon
from salon import create_app
from salon.extensions import db
assert salon.__file__.startswith(sys.argv[1]), salon.__file__
app = create_app()
with app.app_context():
    db.create_all()
response = app.test_client().get("/")
page = response.get_data(as_text=True)
assert response.status_code == 200, response.status_code
assert "Rendez-vous d'affaires de l'économie sociale et solidaire" in page
assert '<link rel="stylesheet" href="/static/css/salon.css' in page
assert app.test_client().get("/static/css/salon.css").status_code == 200
print("french page served from", salon.__file__)
"""


def _listing(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Return every file and folder under `folder` with its size, modification time and mode."""
    found = {}
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        found[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns, info.st_mode)
    return found


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, **kwargs)
    assert result.returncode == 0, (command, result.stdout[-3000:], result.stderr[-3000:])
    return result


@pytest.fixture()
def workspace():
    """A folder every user may enter (the read-only run may be as `nobody`)."""
    with tempfile.TemporaryDirectory(prefix="salon-install-") as folder:
        os.chmod(folder, 0o755)  # noqa: S103  (a throwaway test folder `nobody` must enter)
        yield Path(folder)
        subprocess.run(["chmod", "-R", "u+w", folder], check=False)


def test_wheel_runs_from_a_read_only_install(workspace):
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(workspace / "dist"), str(ROOT)])
    [wheel] = (workspace / "dist").glob("salon-*.whl")
    site = workspace / "site"
    _run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)])
    catalogues = sorted(
        p.parent.parent.parent.name for p in site.glob("salon/translations/*/fr/LC_MESSAGES/*.mo")
    )
    assert catalogues == sorted(p.name for p in (ROOT / "salon" / "translations").iterdir() if p.is_dir())
    database = workspace / "db"
    database.mkdir()
    os.chmod(database, 0o777)  # noqa: S103  (the throwaway database folder `nobody` writes in)
    subprocess.run(["chmod", "-R", "a-w", str(site)], check=True)
    before = _listing(site)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(database), "PYTHONPATH": str(site),
           "PYTHONDONTWRITEBYTECODE": "1", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": f"sqlite:///{database}/salon.sqlite3"}  # fmt: skip
    # root ignores file modes: run as `nobody` when possible; the listing shows any write either way.
    as_nobody = (
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if os.geteuid() == 0 else []
    )
    result = _run([*as_nobody, sys.executable, "-c", SCRIPT, str(site)], env=env, cwd=str(database))
    assert "french page served from" in result.stdout
    assert _listing(site) == before
    assert not (site / "instance").exists()
