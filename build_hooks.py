"""Build steps of the package (setuptools commands named in pyproject.toml).

- The French catalogues are compiled (.po -> .mo) when the package is built or installed, never by the
  running app: gunicorn workers would race each other and a read-only install could not start.
- templates/ and static/ sit beside salon/ in the repository; a wheel carries them inside the package
  (salon/templates, salon/static), where create_app looks first.

Editable installs compile in place (the source tree is what runs).
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools.command.build_py import build_py as _build_py
from setuptools.command.sdist import sdist as _sdist

ROOT = Path(__file__).resolve().parent
WEB_FOLDERS = ("templates", "static")


def _compile(folder: Path, target: Path | None = None) -> int:
    """Compile the catalogues with salon/catalogues.py, loaded by path (Salon's dependencies are absent)."""
    spec = importlib.util.spec_from_file_location("_salon_catalogues", ROOT / "salon" / "catalogues.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compile_catalogues(folder, target)


class build_py(_build_py):  # noqa: N801  (setuptools' command name)
    """Build the package, then add the compiled catalogues and the web folders to it."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            _compile(ROOT / "salon" / "translations")
            return
        package = Path(self.build_lib) / "salon"
        _compile(ROOT / "salon" / "translations", package / "translations")
        for name in WEB_FOLDERS:
            shutil.copytree(ROOT / name, package / name, dirs_exist_ok=True)


class sdist(_sdist):  # noqa: N801  (setuptools' command name)
    """Ship the compiled catalogues in the source archive too."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        translations = Path(base_dir) / "salon" / "translations"
        _compile(translations, translations)
