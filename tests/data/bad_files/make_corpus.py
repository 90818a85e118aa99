# ruff: noqa: E501 - the corpus bytes read best as one literal per file
"""Rewrite this corpus: `good/` (six valid tables) and one broken file per case, named <table>_<case>.csv.

Run from the repository root: `.venv/bin/python tests/data/bad_files/make_corpus.py`. The files are
committed so a reviewer can open each one; this script only documents how their bytes were made.
"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

HERE = Path(__file__).parent

GOOD = {
    "reps": [
        "rep_id,name,email,team,hired_on,left_on",
        "r1,Ana Pena,ana@example.com,north,2024-01-08,",
        "r2,Jurgen Muller,jurgen@example.com,north,2023-05-02,",
    ],
    "accounts": [
        "account_id,name,industry,country,created_on",
        "a1,Acme GmbH,manufacturing,DE,2024-02-01",
        "a2,Globex SA,retail,ES,2024-03-15",
    ],
    "leads": [
        "lead_id,source,owner_rep_id,status,account_id,created_at,converted_at",
        "l1,web,r1,converted,a1,2026-11-02T09:00:00Z,2026-11-10T10:00:00Z",
        "l2,event,r2,working,,2026-11-12T14:30:00Z,",
    ],
    "deals": [
        "deal_id,account_id,owner_rep_id,product,stage,currency,amount,expected_close_on,created_at,closed_at",
        "d1,a1,r1,Core,won,EUR,12500.50,2026-11-20,2026-11-10T10:00:00Z,2026-11-18T16:00:00Z",
        "d2,a2,r2,Core,proposal,EUR,8000,2026-12-05,2026-11-12T11:00:00Z,",
        "d3,a1,r1,Add-on,lost,EUR,1500,2026-11-19,2026-11-03T08:00:00Z,2026-11-17T12:00:00Z",
    ],
    "activities": [
        "activity_id,rep_id,type,deal_id,lead_id,due_at,completed_at",
        "t1,r1,call,d1,,2026-11-16T09:00:00Z,2026-11-16T09:20:00Z",
        "t2,r2,email,,l2,2026-11-17T10:00:00Z,",
    ],
    "orders": [
        "order_id,account_id,deal_id,product,currency,amount,ordered_at",
        "o1,a1,d1,Core,EUR,12500.50,2026-11-18T16:30:00Z",
    ],
}
DEALS = GOOD["deals"]


def text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def xlsx() -> bytes:
    """A real, minimal one-sheet workbook, as Excel's Save As .xlsx would leave it (renamed .csv)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="deals" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>deal_id</t></is></c><c r="B1" t="inlineStr"><is><t>amount</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>d1</t></is></c><c r="B2"><v>12500.5</v></c></row></sheetData></worksheet>',
    }
    path = HERE / "_tmp.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in parts.items():
            book.writestr(name, xml)
    data = path.read_bytes()
    path.unlink()
    return data


def broken() -> dict[str, bytes]:
    reps_accented = [
        "rep_id,name,email,team,hired_on,left_on",
        *(
            "r1,Ana Peña,ana@example.com,north,2024-01-08,",
            "r2,Jürgen Müller,jurgen@example.com,north,2023-05-02,",
            "r3,José Álvarez,jose@example.com,north,2022-09-12,",
        ),
    ]
    header, *rows = DEALS
    return {
        "deals_empty.csv": b"",
        "deals_whitespace.csv": b"\n   \n\t\r\n",
        "deals_semicolon.csv": text(
            [line.replace(",", ";").replace("12500.50", "12500,50") for line in DEALS]
        ).encode(),
        "deals_tab.csv": text([line.replace(",", "\t") for line in DEALS]).encode(),
        # Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-separated.
        "deals_utf16.csv": text([line.replace(",", "\t") for line in DEALS]).encode("utf-16"),
        "deals_cp1252.csv": text([header, rows[0].replace("Core", "Café – Premium"), *rows[1:]]).encode("cp1252"),
        "reps_latin1.csv": text(reps_accented).encode("latin-1"),
        # 0x81 is undefined in cp1252: only latin-1 decodes this file (it arrives as a C1 control character).
        "reps_latin1_c1.csv": text([*reps_accented, "r4,Zoë\x81,zoe@example.com,north,2021-01-04,"]).encode("latin-1"),
        "reps_bom.csv": text(reps_accented).encode("utf-8-sig"),
        "deals_truncated_quote.csv": (text([header, *rows[:2]]) + 'd3,a1,r1,"Add-on, extended').encode(),
        "deals_truncated_row.csv": (text([header, *rows[:2]]) + "d3,a1,r1,Add-on,lost").encode(),
        "deals_short_row.csv": text([header, rows[0], "d2,a2,r2,Core,proposal", rows[2]]).encode(),
        "deals_extra_field.csv": text(
            [header, rows[0], rows[2].replace("Add-on", "Add-on, extended"), rows[1]]
        ).encode(),
        "deals_stray_quote.csv": text([header, rows[0], rows[1].replace("Core", '"Core" extended'), rows[2]]).encode(),
        "deals_trailing_commas.csv": text([header, *(row + "," for row in rows)]).encode(),
        "deals_bad_values.csv": text(
            [header, rows[0].replace("12500.50", '"12.500,50 €"').replace("2026-11-20", "20/11/26")]
        ).encode(),
        "deals_renamed_column.csv": text([header.replace("amount", "Amount"), *rows]).encode(),
        "deals_renamed_columns.csv": text(
            [header.replace("deal_id", "Deal ID").replace("stage", "deal-stage"), *rows]
        ).encode(),
        "deals_missing_column.csv": text(
            [",".join(c for c in line.split(",")[:6] + line.split(",")[7:]) for line in DEALS]
        ).encode(),
        "deals_is_xlsx.csv": xlsx(),
        # An .xls (OLE2 compound file) starts with this signature; the rest is a sector of padding.
        "deals_is_xls.csv": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "deals_gzip.csv": gzip.compress(text(DEALS).encode(), mtime=0),
    }


def main() -> None:
    (HERE / "good").mkdir(exist_ok=True)
    for table, lines in GOOD.items():
        (HERE / "good" / f"{table}.csv").write_text(text(lines), encoding="utf-8")
    for name, data in broken().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
