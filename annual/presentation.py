"""A report laid out for reading: the page, the PDF and the spreadsheet all walk these structures.

Each function returns rows of (label, values) in the order of the official
template, with the exact labels of :mod:`annual.tables`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import tables
from .tables import TOTAL


@dataclass
class T2Block:
    heading: str
    columns: list
    rows: list = field(default_factory=list)  # (label, [values])


def table2_blocks(data):
    t2 = data.get("table2") or {}
    first = T2Block(str(tables.T2_DOCUMENT_BLOCK), [str(label) for _k, label in tables.T2_DOCUMENT_COLUMNS])
    for key, label in tables.T2_DOCUMENT_ROWS:
        row = t2.get(key) or {}
        first.rows.append((str(label), [row.get(col, 0) for col, _l in tables.T2_DOCUMENT_COLUMNS]))
    blocks = [first]
    for heading, column, rows in tables.T2_FIGURE_BLOCKS:
        block = T2Block(str(heading), [str(column)])
        for key, label in rows:
            block.rows.append((str(label), [t2.get(key, 0)]))
        blocks.append(block)
    return blocks


@dataclass
class T3Row:
    key: str
    label: str
    kind: str
    values: list | None


def table3_rows(data):
    t3 = data.get("table3") or {}
    rows = []
    for row in tables.T3_ROWS:
        values = None
        if row.has_numbers:
            cells = t3.get(row.key) or {}
            values = [cells.get(col, "") for col in tables.COLUMN_KEYS]
        rows.append(T3Row(row.key, str(row.label), row.kind, values))
    return rows


def table3_columns():
    """(natural person label, [legal-person kinds], total label)."""
    labels = dict(tables.T3_COLUMNS)
    return (
        str(labels["natural"]),
        [str(labels[c]) for c in tables.CATEGORY_KEYS if c != "natural"],
        str(labels[TOTAL]),
    )


def table4_groups(data):
    t4 = data.get("table4") or {}
    result = []
    for key, label in tables.T4_GROUPS:
        cells = t4.get(key) or {}
        result.append((key, str(label), [cells.get(col, 0) for col, _l in tables.T4_COLUMNS]))
    return result


def paragraphs(text):
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def context(report):
    data = report.data or {}
    natural, legal, total = table3_columns()
    return {
        "report": report,
        "sections": {n: str(title) for n, title in tables.SECTION_TITLES.items()},
        "overview": paragraphs(report.overview),
        "problems_text": paragraphs(report.problems),
        "other_matters": paragraphs(report.other_matters),
        "t2_item_content": str(tables.T2_ITEM_CONTENT),
        "t2_blocks": table2_blocks(data),
        "t3_note": str(tables.T3_BALANCE_NOTE),
        "t3_applicants": str(tables.T3_APPLICANTS),
        "t3_legal_persons": str(tables.T3_LEGAL_PERSONS),
        "t3_natural": natural,
        "t3_legal_kinds": legal,
        "t3_total": total,
        "t3_rows": table3_rows(data),
        "t4_reconsideration": str(tables.T4_RECONSIDERATION),
        "t4_litigation": str(tables.T4_LITIGATION),
        "t4_groups": table4_groups(data),
        "t4_columns": [str(label) for _k, label in tables.T4_COLUMNS],
    }
