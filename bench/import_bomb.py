"""Zip bombs against the participant import: what reading them costs (time, memory, rows and bytes read).

Usage: .venv/bin/python -m bench.import_bomb [-o bench/reports/import.md]

Each case runs in a child process of its own (its peak RSS is the case's alone): a small XLSX that
unpacks to millions of rows, the same with a zip directory that lies about the size, a sheet of short
rows under the part cap, a single far-away row that openpyxl pads with empty rows, a shared-strings part
that lies about its size, and for comparison an honest 5,000-row directory export. The builders are used
by tests/salon/services/test_import_reading.py too.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

from bench.common import REPO_ROOT, command_line, md_table, report_header

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHORT_ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'


def _package(zf: zipfile.ZipFile, shared: bool) -> None:
    """Write the parts every workbook needs: content types, relationships, the workbook."""
    strings = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
    zf.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
        f"{strings if shared else ''}</Types>",
    )
    zf.writestr(
        "_rels/.rels",
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
    )
    zf.writestr(
        "xl/workbook.xml",
        f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets><sheet name="Participants" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
    )
    rel = f'<Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
    zf.writestr(
        "xl/_rels/workbook.xml.rels",
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/worksheet" '
        f'Target="worksheets/sheet1.xml"/>{rel if shared else ""}</Relationships>',
    )


def xlsx_bomb(rows: int, row: bytes = SHORT_ROW, declare: int | None = None, dimension: str = "A1") -> bytes:
    """Return an XLSX whose sheet repeats `row` (streamed into the zip); `declare` fakes its unpacked size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _package(zf, shared=False)
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode())
            block = row * 10_000
            for _ in range(rows // 10_000):
                sheet.write(block)
            sheet.write(row * (rows % 10_000) + b"</sheetData></worksheet>")
        if declare is not None:  # the central directory now lies; the data stays as it is
            zf.getinfo("xl/worksheets/sheet1.xml").file_size = declare
    return out.getvalue()


def xlsx_shared_strings_bomb(size: int, declare: int) -> bytes:
    """Return an XLSX whose one shared string is `size` bytes, its part declared as `declare` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _package(zf, shared=True)
        zf.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
            "</sheetData></worksheet>",
        )
        with zf.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode())
            for _ in range(size // 1_000_000):
                strings.write(b"x" * 1_000_000)
            strings.write(b"</t></si></sst>")
        zf.getinfo("xl/sharedStrings.xml").file_size = declare
    return out.getvalue()


def far_row_bomb(row_number: int = 1_048_576) -> bytes:
    """Return an XLSX with a header row and one row far below, which openpyxl pads with empty rows."""
    far = f'<row r="{row_number}"><c r="A{row_number}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    return xlsx_bomb(1, row=b'<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row>' + far)


def directory_export(rows: int = 5000) -> bytes:
    """Return an honest XLSX directory export: a title row, 12 columns, `rows` suppliers."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Annuaire")
    sheet.append(["Annuaire des structures de l'ESS"])
    sheet.append(["Raison sociale", "SIRET", "Collège", "Département", "Secteur d'activité",
                  "Type de structure", "Courriel", "Nom", "Prénom", "Téléphone", "Site web",
                  "Code NAF"])  # fmt: skip
    for i in range(rows):
        sheet.append([f"Structure {i}", "", "Entreprises", "34", "Restauration, traiteur",
                      "Entreprise d'insertion", f"contact{i}@example.org", "Martin", "Zoé", "0467000000",
                      "https://example.org", "56.21Z"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CASES = {
    "honest bomb: 3,000,000 rows": lambda: xlsx_bomb(3_000_000),
    "lying bomb: 3,000,000 rows declared 1 MB": lambda: xlsx_bomb(3_000_000, declare=1_000_000),
    "600,000 rows under the part cap": lambda: xlsx_bomb(600_000),
    "one row at 1,048,576": far_row_bomb,
    "shared string of 200 MB declared 1 kB": lambda: xlsx_shared_strings_bomb(200_000_000, 1_000),
    "honest export: 5,000 rows x 12 columns": directory_export,
}


def run_case(name: str) -> dict:
    """Read one case's file through the import; return what it cost and how it ended."""
    from salon import create_app
    from salon.services.import_table import ImportRejected, ReadStats, read_rows

    data = CASES[name]()
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, config_object="config.TestConfig")

    def read(stats: ReadStats) -> str:
        try:
            return f"read: {len(read_rows('bomb.xlsx', data, stats))} non-empty rows"
        except ImportRejected as exc:
            return "refused: " + exc.problems[0].message

    with app.test_request_context():
        stats = ReadStats()
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = read(stats)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        tracemalloc.start()  # a second reading, traced (tracing slows it down: not timed)
        read(ReadStats())
        _size, peak = tracemalloc.get_traced_memory()
    return {
        "case": name,
        "file_kb": len(data) / 1024,
        "seconds": wall,
        "cpu_seconds": cpu,
        "python_peak_mb": peak / 2**20,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rows_read": stats.rows,
        "unpacked_kb": stats.unpacked_bytes / 1024,
        "outcome": outcome,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=None)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case)))
        return
    results = []
    for name in CASES:
        child = subprocess.run(
            [sys.executable, "-m", "bench.import_bomb", "--case", name],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(results[-1], file=sys.stderr)
    _write(results, args.output)


def _write(results: list[dict], output: Path | None) -> None:
    from salon.services import import_table as caps

    lines = report_header("Participant import: zip bombs and caps", command_line())
    lines += [
        f"Caps: {caps.MAX_BYTES // 2**20} MB per file, {caps.MAX_PART_BYTES // 2**20} MB unpacked per part "
        f"(declared sizes checked before reading; bytes counted while reading), {caps.MAX_ROWS_READ:,} rows "
        f"read ({caps.MAX_ROWS:,} participant rows), {caps.MAX_COLUMNS} columns.",
        "",
        "Wall and CPU seconds of one reading; Python peak: tracemalloc's peak during a second, traced "
        "reading; "
        "RSS: the child process's peak resident memory (the interpreter and Salon's imports included, "
        "about 100 MB before reading anything). Rows read count empty rows too; unpacked: XLSX bytes "
        "decompressed, every part together.",
        "",
    ]
    keys = ["case", "file_kb", "seconds", "cpu_seconds", "python_peak_mb", "rss_mb", "rows_read",
            "unpacked_kb", "outcome"]  # fmt: skip
    headers = ["case", "file (kB)", "wall s", "CPU s", "Python peak (MB)", "RSS (MB)", "rows read",
               "unpacked (kB)", "outcome"]  # fmt: skip
    lines += md_table(headers, ([r[k] for k in keys] for r in results))
    bombs = [r for r in results if r["outcome"].startswith("refused")]
    lines += [
        "",
        f"**Every bomb refused after reading at most {max(r['rows_read'] for r in bombs):,} rows and "
        f"{max(r['unpacked_kb'] for r in bombs):,.0f} kB unpacked, in at most "
        f"{max(r['cpu_seconds'] for r in bombs):.2f} CPU seconds and "
        f"{max(r['python_peak_mb'] for r in bombs):.1f} MB of Python memory.** The tests "
        "(tests/salon/services/test_import_reading.py) assert the rows and bytes read, not the times.",
    ]
    text = "\n".join(lines) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
