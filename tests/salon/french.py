"""Find English message ids in what people read: page text, e-mails, CSV/XLSX exports, PDFs, calendars.

The ids come from the source (tests/salon/catalogue.py extracts them as Babel does); an id whose French text
is the same (such as "Association" or "Date") cannot tell the languages apart and is skipped.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.salon.catalogue import french_catalogue, source_messages

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
# Ids that are French words or names too, so finding them proves nothing.
ALSO_FRENCH = frozenset(
    {"Salon", "Organisation", "Description", "Contact", "Message", "Messages", "Type", "Plan"}
)
# Codes stored in the database that are not French words: shown to people, they are a code, not a word.
RAW_CODES = frozenset({
    "buyer", "supplier", "approved", "pending", "refused", "scheduled", "held", "no_show", "cancelled",
    "queued", "running", "done", "failed", "optimal", "feasible", "infeasible", "owner",
    "registration", "wishes", "scheduling", "published", "closed", "coverage", "weight", "breaks", "walk_in",
    "replacement", "no_follow_up", "follow_up_planned", "quote_requested", "contract_signed",
    "commerce_equitable", "bailleur_social", "grande_entreprise", "etablissement_public", "intercommunalite",
    "espaces_verts",
})  # fmt: skip
RAW_CODE = re.compile(r"(?<![\w@./-])(" + "|".join(sorted(RAW_CODES)) + r")(?![\w@/-])")
# Code columns: "Code", "... (code)", and the columns where the import template (issue 16's format) reads
# codes; the participants export keeps them for reuse, with the same values in words beside them.
# The import's reference lists, on purpose, the spellings files use (English ones too): "En anglais",
# "En-têtes acceptés", "Aussi accepté(s)" are data to match, not words of the interface.
CODE_COLUMN = re.compile(
    r"^(code|.*\(code\)|type de structure|type d'acheteur|secteurs|en anglais|en-têtes acceptés"
    r"|aussi acceptés?)$",
    re.IGNORECASE,
)
SKIPPED_TAGS = frozenset({"script", "style", "code", "pre", "template"})
VOID_TAGS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


@dataclass(frozen=True)
class Pattern:
    msgid: str
    key: str  # the id's longest literal word: a cheap test before the regular expression
    regex: re.Pattern[str]


def _literal(part: str) -> str:
    """Return the regular expression of a literal piece of an id: its words, any run of spaces between."""
    if not part:
        return ""
    core = r"\s+".join(re.escape(word) for word in part.split())
    if not core:
        return r"\s+"
    return (r"\s+" if part[0].isspace() else "") + core + (r"\s+" if part[-1].isspace() else "")


def _pattern(msgid: str) -> Pattern | None:
    literals = [part for part in PLACEHOLDER.split(msgid)]
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", " ".join(literals))
    if not words:
        return None
    # A value neither starts nor ends with a space, so "Table 1 : A" (French) is not "Table %(t)s: %(a)s".
    body = r"\S(?:.{0,198}?\S)?".join(_literal(part) for part in literals)
    return Pattern(msgid, max(words, key=len), re.compile(rf"(?<![\w-]){body}(?![\w-])"))


@cache
def library_messages() -> dict[str, str]:
    """Return the ids WTForms shows on our forms (its validation messages) with their French text."""
    import wtforms
    from babel.messages.pofile import read_po

    po = Path(wtforms.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "wtforms.po"
    with po.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if isinstance(m.id, str) and m.id and m.string}


@cache
def english_patterns() -> tuple[Pattern, ...]:
    """Return a pattern for every English id (ours and WTForms') whose French text differs."""
    french = {**library_messages(), **french_catalogue()}
    found = []
    for msgid in [*source_messages(), *library_messages()]:
        text = french.get(msgid, "")
        if " ".join(text.split()) == " ".join(msgid.split()) or msgid in ALSO_FRENCH:
            continue
        pattern = _pattern(msgid)
        if pattern is not None:
            found.append(pattern)
    return tuple(found)


def english_in(text: str) -> list[str]:
    """Return the English ids, and the stored codes ("code: buyer"), found in a text."""
    flat = " ".join(text.split())
    found = [p.msgid for p in english_patterns() if p.key in flat and p.regex.search(flat)]
    return found + [f"code: {c}" for c in sorted(set(RAW_CODE.findall(flat)))]


class _Visible(HTMLParser):
    """Collect what a person reads or hears: text, and alt, title, aria-label, placeholder, button values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        other_language = tag != "html" and a.get("lang", "fr")[:2] not in ("fr", "")  # e.g. "English" link
        if (tag in SKIPPED_TAGS or other_language) and tag not in VOID_TAGS:
            self.skipping.append(tag)
        if self.skipping:
            return
        self.parts.extend(a[name] for name in READ_ATTRIBUTES if a.get(name))
        if tag == "input" and a.get("type") in ("submit", "button"):
            self.parts.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """Return the text of an HTML page as people read it (code and technical detail left out)."""
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def pdf_text(data: bytes) -> str:
    """Return the text of a PDF (pdftotext, from poppler-utils)."""
    binary = shutil.which("pdftotext")
    if binary is None:
        reason = "pdftotext is not installed (poppler-utils, scripts/system-packages.sh)"
        if os.environ.get("SALON_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    done = subprocess.run([binary, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def table_text(rows: list[list]) -> str:
    """Return the cells of a table, but its code columns ("Code", "... (code)": codes kept for reuse)."""
    header = [str(v or "") for v in rows[0]] if rows else []
    keep = [i for i, name in enumerate(header) if not CODE_COLUMN.match(name.strip())]
    return " | ".join(str(row[i]) for row in rows for i in keep if i < len(row) and row[i] not in (None, ""))


def xlsx_text(data: bytes) -> str:
    """Return the cells of every sheet of a workbook, but code columns."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(table_text([list(r) for r in sheet.iter_rows(values_only=True)]) for sheet in book)


def csv_text(text: str) -> str:
    """Return the cells of a CSV file (";" or "," separated), but code columns."""
    import csv

    delimiter = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    return table_text(list(csv.reader(io.StringIO(text), delimiter=delimiter)))


def calendar_text(data: str) -> str:
    """Return an .ics file's values, lines unfolded and escapes undone."""
    unfolded = re.sub(r"\r?\n[ \t]", "", data)
    values = [line.split(":", 1)[1] for line in unfolded.splitlines() if ":" in line]
    return " ".join(v.replace("\\n", " ").replace("\\,", ",").replace("\\;", ";") for v in values)


def readable_text(mimetype: str, data: bytes) -> str | None:
    """Return what people read in a response body, by type; None for what they do not read (images...)."""
    if mimetype == "text/html":
        return visible_text(data.decode("utf-8"))
    if mimetype == "application/pdf":
        return pdf_text(data)
    if mimetype.endswith("spreadsheetml.sheet"):
        return xlsx_text(data)
    if mimetype == "text/calendar":
        return calendar_text(data.decode("utf-8"))
    if mimetype == "text/csv":
        return csv_text(data.decode("utf-8-sig"))
    if mimetype == "text/plain":
        return data.decode("utf-8-sig")
    return None
