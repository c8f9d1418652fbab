"""Import files of our own making, shaped like the usual directory exports (CRESS, IAE, Handeco...)."""

from __future__ import annotations

import io

from openpyxl import Workbook

DIRECTORY_HEADER = ["Raison sociale", "N° SIRET", "Collège", "Département", "Secteur d'activité",
                    "Type de structure", "Courriel", "Nom", "Prénom", "Site web", "Code NAF"]  # fmt: skip
DIRECTORY_ROWS = [
    ["Régie de quartier Œuvre Sud", "732 829 320 00074", "Entreprises", "34", "Restauration, traiteur",
     "Entreprise d'insertion", "regie@example.org", "Martin", "Zoé", "www.regie.example.org", "56.21Z"],
    ["SCOP Bâtir Ensemble", "", "Coopératives", "Hérault (34), 30", "Second œuvre BTP", "SCOP SA",
     "scop@example.org", "Durand", "Léa", "https://scop.example.org", "43.34Z"],
    ["Les Jardins d'Alès", "", "Associations", "30", "Espaces verts", "Atelier et chantier d'insertion, "
     "Association loi 1901", "jardins@example.org", "", "", "", "81.30Z"],
    ["ESAT Mosaïque", "", "Médico-social", "34", "Peinture murale", "Entreprise ESUS", "esat@example.org",
     "", "", "", ""],
]  # fmt: skip
# What the organiser chooses for it: the profile of every row, and the one value no synonym knows.
DIRECTORY_DOCUMENT = {"side": "supplier", "values": {"sectors": {"Peinture murale": "btp"}}}


def directory_export(encoding: str = "cp1252", end: str = "\r\n") -> bytes:
    """Return a CRESS-like CSV export: title line, extra columns, French labels with commas, spaced SIRET."""
    lines = ["Annuaire des structures de l'ESS — CRESS Occitanie", ";".join(DIRECTORY_HEADER)]
    lines += [";".join(f'"{cell}"' if ";" in cell else cell for cell in row) for row in DIRECTORY_ROWS]
    return end.join(lines).encode(encoding) + end.encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """Return an XLSX file of these rows."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
