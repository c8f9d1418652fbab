"""Exports as CSV or XLSX: cells a spreadsheet would run as a formula are neutralised with a leading quote."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from salon.extensions import db
from salon.models import Fair, Participant, Wish
from salon.services.import_columns import TEMPLATE_HEADERS

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with a quote."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def table_bytes(
    headers: list[str],
    rows: list[list[Any]],
    fmt: str,
    title: str = "Salon",
    more_sheets: Sequence[tuple[str, list[str], list[list[Any]]]] = (),
) -> bytes:
    """Return a CSV (UTF-8 with BOM, `;`) or XLSX file (and its other sheets), formulas neutralised."""
    if fmt == "xlsx":
        book = Workbook()
        book.remove(book.active)
        for name, head, body in [(title, headers, rows), *more_sheets]:
            sheet = book.create_sheet(name[:31])
            sheet.append(head)
            for row in body:
                sheet.append([neutralise(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def participants_table(fair: Fair) -> tuple[list[str], list[list[Any]]]:
    """Return the fair's participants as export rows (same columns as the template, plus status)."""
    headers = ["ID", *TEMPLATE_HEADERS.values(), "Statut", "Rdv min", "Rdv max"]
    side = {"buyer": "acheteur", "supplier": "fournisseur"}
    rows = []
    participants = db.session.scalars(
        select(Participant).where(Participant.fair_id == fair.id).order_by(Participant.id)
    )
    for p in participants:
        o = p.organisation
        contact = p.attendees[0].full_name if p.attendees else ""
        rows.append(
            [
                p.id,
                o.name,
                side[p.side],
                o.siret or "",
                o.contact_email,
                contact,
                o.contact_phone,
                o.city,
                o.postcode,
                ", ".join(o.structure_types or []),
                o.buyer_kind or "",
                ", ".join(o.sectors or []),
                ", ".join(o.departements or []),
                o.offer,
                o.needs,
                o.website,
                p.status,
                p.min_meetings,
                p.max_meetings or "",
            ]
        )
    return headers, rows


def wishes_table(fair: Fair) -> tuple[list[str], list[list[Any]]]:
    """Return the fair's wishes as export rows."""
    labels = {3: "incontournable", 2: "souhaité", 1: "si possible"}
    headers = ["De (ID)", "De", "Vers (ID)", "Vers", "Priorité", "Veto"]
    wishes = db.session.scalars(select(Wish).where(Wish.fair_id == fair.id).order_by(Wish.source_id, Wish.id))
    rows = [
        [
            w.source_id,
            w.source.organisation.name,
            w.target_id,
            w.target.organisation.name,
            labels.get(w.priority, ""),
            "oui" if w.veto else "",
        ]
        for w in wishes
    ]
    return headers, rows
