"""The README's "Required fields" table (Use your own CRM data) marks as required exactly the columns the
data-quality gate requires (`salespulse.expectations.runner.required_columns`), and lists every canonical column."""

from pathlib import Path

from salespulse.expectations.runner import required_columns
from salespulse.transforms.schema import TABLES

README = Path(__file__).resolve().parents[1] / "README.md"


def required_fields_table() -> dict[tuple[str, str], str]:
    """(table, field) → its `required` cell, from the table after "**Required fields.**"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Use your own CRM data\n", 1)[1].split("\n## ", 1)[0]
    lines = section.split("**Required fields.**", 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| table | field | required |"))
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        table, fields, required = (cell.strip() for cell in line.strip("|").split("|")[:3])
        for field in fields.split(","):
            rows[(table, field.strip())] = required
    return rows


def test_every_column_the_gate_requires_is_listed_as_required():
    rows = required_fields_table()
    for table in TABLES:
        listed = {field for (name, field), required in rows.items() if name == table and required == "yes"}
        missing = [column for column in required_columns(table) if column not in listed]
        assert not missing, f"README Required fields: {table}.{', '.join(missing)} not listed as required"
        extra = listed - set(required_columns(table))
        assert not extra, f"README Required fields: {table}.{', '.join(sorted(extra))} is not required by the gate"


def test_every_canonical_column_is_in_the_table():
    rows = required_fields_table()
    for table in TABLES.values():
        absent = [column for column in table.columns if (table.name, column) not in rows]
        assert not absent, f"README Required fields: {table.name}.{', '.join(absent)} missing"
