"""Exports as CSV or XLSX: cells a spreadsheet would run as a formula are neutralised with a leading quote."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select

from salon import domain
from salon.extensions import db
from salon.labels import (
    MEETING_STATUS_LABELS,
    PARTICIPANT_STATUS_LABELS,
    PRIORITY_LABELS,
    label,
    type_label,
    types_label,
)
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
            for cells in sheet.iter_rows(min_row=2):
                for cell in cells:
                    if cell.is_date:  # a real date Excel sorts and filters, written as French readers expect
                        cell.number_format = "DD/MM/YYYY"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def participants_table(fair: Fair) -> tuple[list[str], list[list[Any]]]:
    """Return the fair's participants as export rows.

    The import template's columns come first, with the codes the import reads; then the status, the limits,
    and those codes in words.
    """
    headers = ["ID", *TEMPLATE_HEADERS.values(), _("Status"), _("Minimum meetings"), _("Maximum meetings"),
               _("Structure types, in words"), _("Kind of buyer, in words"), _("Sectors, in words"),
               _("Status (code)")]  # fmt: skip
    side = {"buyer": "acheteur", "supplier": "fournisseur"}  # the import's words for the Profil column
    rows = []
    participants = db.session.scalars(
        select(Participant).where(Participant.fair_id == fair.id).order_by(Participant.id)
    )
    for p in participants:
        o = p.organisation
        contact = p.attendees[0].full_name if p.attendees else ""
        template = [
            p.id, o.name, side[p.side], o.siret or "", o.contact_email, contact, o.contact_phone, o.city,
            o.postcode, ", ".join(o.structure_types or []), o.buyer_kind or "", ", ".join(o.sectors or []),
            ", ".join(o.departements or []), o.offer, o.needs, o.website,
        ]  # fmt: skip
        words = [
            types_label(o.structure_types),
            type_label(o.buyer_kind) if o.buyer_kind else "",
            " ; ".join(label(domain.SECTOR_LABELS, c) for c in o.sectors or []),  # labels may hold commas
        ]
        status = label(PARTICIPANT_STATUS_LABELS, p.status)
        rows.append([*template, status, p.min_meetings, p.max_meetings or "", *words, p.status])
    return headers, rows


def meetings_table(fair: Fair) -> tuple[list[str], list[list[Any]]]:
    """Return the published meetings (or, before publication, the latest draft) as export rows.

    Times are in the fair's time zone; the status is in words, its code in the last column.
    """
    from salon.services.printouts import meeting_lines

    zone = ZoneInfo(fair.timezone)
    lines, _published = meeting_lines(fair)
    headers = [_("Date"), _("Start"), _("End"), _("Table"), _("Buyer"), _("ESS supplier"), _("Status"),
               _("Calendar UID"), _("Status (code)")]  # fmt: skip
    rows = [
        [
            ln.slot.starts_at.astimezone(zone).date(),
            ln.slot.starts_at.astimezone(zone).strftime("%H:%M"),
            ln.slot.ends_at.astimezone(zone).strftime("%H:%M"),
            ln.table.name,
            ln.buyer.organisation.name,
            ln.supplier.organisation.name,
            label(MEETING_STATUS_LABELS, ln.status),
            ln.uid,
            ln.status,
        ]
        for ln in lines
    ]
    return headers, rows


def wishes_table(fair: Fair) -> tuple[list[str], list[list[Any]]]:
    """Return the fair's wishes as export rows."""
    headers = [
        _("From (ID)"),
        _("From (organisation)"),
        _("To (ID)"),
        _("To (organisation)"),
        _("Priority"),
        _("Veto"),
    ]
    wishes = db.session.scalars(select(Wish).where(Wish.fair_id == fair.id).order_by(Wish.source_id, Wish.id))
    rows = [
        [
            w.source_id,
            w.source.organisation.name,
            w.target_id,
            w.target.organisation.name,
            label(PRIORITY_LABELS, w.priority) if w.priority else "",
            _("yes") if w.veto else "",
        ]
        for w in wishes
    ]
    return headers, rows
