"""Reading import files: every usual encoding, separator and line end; XLSX within caps, zip bombs refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from bench.import_bomb import far_row_bomb, xlsx_bomb, xlsx_shared_strings_bomb
from salon.services import import_table
from salon.services.import_table import ImportRejected, ReadStats, read_rows

ROWS = [
    ["Raison sociale", "Courriel"],
    ["Régie Œuvre", "regie@example.org"],
    ["SCOP Bâtir", "scop@example.org"],
]
EXPECTED = [(1, ROWS[0]), (2, ROWS[1]), (3, ROWS[2])]


@pytest.fixture(autouse=True)
def _request(app):
    """Refusals are translated: read inside a request."""
    with app.test_request_context():
        yield


def text(separator: str = ";", end: str = "\r\n") -> str:
    return end.join(separator.join(row) for row in ROWS) + end


def refusal(name: str, data: bytes, stats: ReadStats | None = None) -> str:
    with pytest.raises(ImportRejected) as err:
        read_rows(name, data, stats)
    (problem,) = err.value.problems
    return problem.message


@pytest.mark.parametrize(
    "data",
    [
        text().encode("utf-8"),
        b"\xef\xbb\xbf" + text().encode("utf-8"),
        text().encode("utf-16"),  # with its BOM, little-endian here
        b"\xfe\xff" + text().encode("utf-16-be"),
        text().encode("cp1252"),
        text(end="\r").encode("utf-8"),  # old Mac line ends
        text(end="\n").encode("cp1252"),
        text(separator=",").encode("utf-8"),
        text(separator="\t", end="\r").encode("utf-16"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "cp1252", "cr-only", "lf", "comma", "tab-cr-utf16"],
)
def test_csv_read_in_every_usual_encoding_separator_and_line_end(data):
    assert read_rows("annuaire.csv", data) == EXPECTED


def test_csv_keeps_quoted_separators_and_line_breaks_and_real_row_numbers():
    data = b'Nom;Offre\r\n\r\n"A; B";"ligne 1\nligne 2"\r\n;;\r\nC;\r\n'
    assert read_rows("p.csv", data) == [(1, ["Nom", "Offre"]), (3, ["A; B", "ligne 1\nligne 2"]), (5, ["C"])]


def test_separator_found_below_a_title_line():
    data = "Annuaire CRESS, export du 3 mars\nNom;Courriel;Ville\nA;a@example.org;Alès\n".encode()
    assert read_rows("p.csv", data)[1] == (2, ["Nom", "Courriel", "Ville"])


def test_xlsx_read_with_numbers_dates_and_a_title_row():
    book = Workbook()
    book.active.append(["Annuaire"])
    book.active.append([])
    book.active.append(["Raison sociale", "SIRET", "Dépt", "Créée le"])
    book.active.append(["SCOP Bâtir", 73282932000074, 34.0, __import__("datetime").datetime(2001, 5, 3)])
    out = io.BytesIO()
    book.save(out)
    stats = ReadStats()
    rows = read_rows("p.xlsx", out.getvalue(), stats)
    assert rows == [
        (1, ["Annuaire"]),
        (3, ["Raison sociale", "SIRET", "Dépt", "Créée le"]),
        (4, ["SCOP Bâtir", "73282932000074", "34", "2001-05-03"]),
    ]
    assert (stats.rows, stats.unpacked_bytes > 0) == (4, True)


def test_refusals_of_unreadable_files():
    assert "Encodage" in refusal("p.csv", b"Nom;Ville\n" + b"\x81\x8d;\n")
    assert "2 Mo" in refusal("p.csv", b"x" * (import_table.MAX_BYTES + 1))
    assert "Excel" in refusal("p.xlsx", b"PK\x03\x04broken")
    assert "CSV" in refusal("p.csv", b'Nom\n"' + b"x" * 200_000 + b'"\n')  # a cell past csv's limit
    assert "vide" in refusal("p.csv", b";;\r\n;\r\n")
    assert ".xlsx" in refusal("p.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


def test_too_many_columns_refused():
    header = ";".join(f"c{i}" for i in range(import_table.MAX_COLUMNS + 1))
    assert "colonnes" in refusal("p.csv", header.encode())


def test_too_many_rows_refused_while_reading():
    data = ("Nom\n" + "x\n" * (import_table.MAX_ROWS_READ + 5)).encode()
    stats = ReadStats()
    assert "Trop de lignes" in refusal("p.csv", data, stats)
    assert stats.rows == import_table.MAX_ROWS_READ + 1


def test_xlsx_bomb_refused_before_reading_from_the_declared_sizes():
    bomb = xlsx_bomb(1_000_000)  # 47 MB of rows in about 150 kB
    assert len(bomb) < 200_000
    stats = ReadStats()
    assert "32 Mo" in refusal("bomb.xlsx", bomb, stats)
    assert (stats.rows, stats.unpacked_bytes) == (0, 0)


def test_xlsx_bomb_whose_zip_lies_about_sizes_stops_at_the_row_cap():
    bomb = xlsx_bomb(1_000_000, declare=1_000_000)
    stats = ReadStats()
    assert "Trop de lignes" in refusal("bomb.xlsx", bomb, stats)
    assert stats.rows == import_table.MAX_ROWS_READ + 1
    assert stats.unpacked_bytes < 1_000_000  # about 47 bytes per row read, far under MAX_PART_BYTES


def test_xlsx_rows_under_the_part_cap_stop_at_the_row_cap():
    stats = ReadStats()
    assert "Trop de lignes" in refusal("bomb.xlsx", xlsx_bomb(300_000), stats)
    assert stats.rows == import_table.MAX_ROWS_READ + 1
    assert stats.unpacked_bytes < 1_000_000


def test_xlsx_far_row_padded_with_empty_rows_stops_at_the_row_cap():
    stats = ReadStats()
    assert "Trop de lignes" in refusal("bomb.xlsx", far_row_bomb(), stats)
    assert stats.rows == import_table.MAX_ROWS_READ + 1


def test_xlsx_shared_strings_lying_about_their_size_refused_after_the_declared_bytes():
    stats = ReadStats()
    assert "Excel" in refusal("bomb.xlsx", xlsx_shared_strings_bomb(50_000_000, declare=1_000), stats)
    assert stats.unpacked_bytes <= 1_000
    assert stats.rows == 0


def test_xlsx_dimension_claiming_few_rows_does_not_hide_the_others():
    bomb = xlsx_bomb(40, dimension="A1:A2")
    assert len(read_rows("p.xlsx", bomb)) == 40


def test_capped_stream_refuses_a_part_growing_past_the_cap(monkeypatch):
    monkeypatch.setattr(import_table, "MAX_PART_BYTES", 10)
    stream = import_table._CappedStream(io.BytesIO(b"x" * 25), ReadStats())
    assert stream.read(4) == b"xxxx"
    with pytest.raises(import_table._PartTooLarge):
        stream.read()
    assert stream.size == 11
