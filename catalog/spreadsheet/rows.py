"""The rows under the header: :func:`parse` turns a grid into :class:`SheetRow` objects and problems."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .cells import (
    _WIDE,
    CellProblem,
    clean_block,
    join_broken,
    parse_audience_text,
    parse_channels,
    parse_five,
    parse_level_text,
    parse_method_text,
    parse_tick,
    split_code,
    strip_numbering,
)
from .header import _MAX_LENGTH, _NAME_MAX, _NOT_TICKS, FLAG_FIELDS, Problem, level_header, read_header

# --------------------------------------------------------------------------- the rows


@dataclass
class SheetRow:
    """One data row: the path of names under its domain and the columns the sheet has."""

    number: int  # as the spreadsheet numbers it (1-based, title and header rows included)
    domain: str = ""  # the 领域 cell, code removed; "" when the sheet has no such column
    domain_code: str = ""
    section: str = ""  # the latest section row above ("一、社会救助"), numbering removed
    names: list = field(default_factory=list)
    codes: list = field(default_factory=list)
    values: dict = field(default_factory=dict)

    @property
    def depth(self):
        return len(self.names)


@dataclass
class ParsedSheet:
    title: str = ""
    sheet_name: str = ""
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    ignored: list = field(default_factory=list)

    def column(self, key):
        return next((c for c in self.columns if c.key == key), None)

    def name_column(self, depth):
        return self.column(f"level{max(1, depth)}")

    @property
    def has(self):
        return {c.key for c in self.columns}

    @property
    def level_count(self):
        return sum(1 for c in self.columns if c.key.startswith("level") and c.key[5:].isascii() and c.key[5:].isdigit())


def _section_text(cells, columns):
    """The text of a row that only names a section ("一、社会救助"), else None.

    Such a row is merged across the table (every filled cell has the same
    text) or has text only in its 序号 cell.
    """
    filled = [(i, c.strip()) for i, c in enumerate(cells) if c.strip()]
    texts = {text for _i, text in filled}
    if len(texts) != 1:
        return None
    text = texts.pop()
    if text in _NOT_TICKS or not _WIDE.search(text):
        return None
    if len(filled) > 1:
        return text
    seq = next((c for c in columns if c.key == "seq"), None)
    return text if seq is not None and filled[0][0] == seq.index else None


def parse(grid):
    """Read a grid in the official layout (or one of its variants) into rows and problems."""
    sheet = ParsedSheet(sheet_name=grid.name)
    header_index, start, columns, ignored, problems = read_header(grid)
    sheet.columns, sheet.ignored, sheet.problems = columns, ignored, problems
    if header_index is None:
        return sheet
    title_parts = []
    for cells in grid.rows[:header_index]:
        for cell in cells:
            text = join_broken(cell)
            if text and text not in title_parts:
                title_parts.append(text)
    sheet.title = " ".join(title_parts)
    if problems:
        return sheet

    level_columns = sorted(
        (c for c in columns if c.key.startswith("level") and c.key[5:].isascii() and c.key[5:].isdigit()),
        key=lambda c: c.key,
    )
    domain_column = sheet.column("domain")
    previous_names, previous_domain, section = [], ("", ""), ""
    for index in range(start, len(grid.rows)):
        cells = grid.rows[index]
        number = index + 1
        if not any(c.strip() for c in cells):
            continue
        section_text = _section_text(cells, columns)
        if section_text is not None:
            section = strip_numbering(join_broken(section_text))
            previous_names = []
            continue
        row = SheetRow(number=number, section=section)
        # 领域: filled down when blank (merged cells saved as CSV leave only the first one).
        if domain_column is not None:
            text = join_broken(cells[domain_column.index])
            if text:
                name, code = split_code(text)
                if len(name) > _NAME_MAX:
                    sheet.problems.append(
                        Problem(_("领域名称超过 %(max)d 个字。") % {"max": _NAME_MAX}, number, domain_column)
                    )
                    continue
                row.domain, row.domain_code = name.removesuffix("领域") or name, code
                if (row.domain, row.domain_code) != previous_domain:
                    previous_names = []
                previous_domain = (row.domain, row.domain_code)
            else:
                row.domain, row.domain_code = previous_domain
        # The names of the path; a blank level above a filled one continues the row above.
        raw = [join_broken(cells[c.index]) for c in level_columns]
        deepest = max((i for i, text in enumerate(raw) if text), default=-1)
        other_filled = any(
            cells[c.index].strip() for c in columns if c.key not in ("seq", "domain") and c not in level_columns
        )
        if deepest < 0:
            if other_filled:
                sheet.problems.append(Problem(_("缺少事项名称。"), number, level_columns[0]))
            continue
        names, codes, broken = [], [], False
        for depth, text in enumerate(raw[: deepest + 1]):
            if not text:
                if depth < len(previous_names):
                    names.append(previous_names[depth][0])
                    codes.append(previous_names[depth][1])
                    continue
                sheet.problems.append(
                    Problem(
                        _("%(level)s为空，上方也没有可沿用的事项。") % {"level": level_header(depth + 1)},
                        number,
                        level_columns[depth],
                    )
                )
                broken = True
                break
            name, code = split_code(text)
            if not name or name.isdigit():
                sheet.problems.append(Problem(_("只有编码没有事项名称。"), number, level_columns[depth]))
                broken = True
                break
            if len(name) > _NAME_MAX:
                sheet.problems.append(
                    Problem(_("事项名称超过 %(max)d 个字。") % {"max": _NAME_MAX}, number, level_columns[depth])
                )
                broken = True
                break
            names.append(name)
            codes.append(code)
        if broken:
            continue
        previous_names = list(zip(names, codes))
        row.names, row.codes = names, codes
        _read_values(row, cells, columns, sheet.problems)
        sheet.rows.append(row)
    _check_duplicates(sheet)
    return sheet


def _read_values(row, cells, columns, problems):
    values = {}
    for column in columns:
        text = cells[column.index] if column.index < len(cells) else ""
        key = column.key
        try:
            if key in ("content_elements", "legal_basis"):
                values[key] = clean_block(text)
            elif key in ("time_limit_text", "responsible_body"):
                value = join_broken(text)
                if len(value) > _MAX_LENGTH[key]:
                    raise CellProblem(_("内容超过 %(max)d 个字。") % {"max": _MAX_LENGTH[key]})
                values[key] = value
            elif key == "channels":
                values[key] = parse_channels(text)
            elif key in FLAG_FIELDS:
                values[key] = values.get(key, False) | parse_tick(text, column.own_label)
            elif key == "level_other":
                parse_tick(text, column.own_label)  # 市级: read (so typos are reported) but not stored
            elif key == "audience_text":
                values.update(parse_audience_text(text))
            elif key == "method_text":
                values.update(parse_method_text(text))
            elif key == "level_text":
                for flag, on in parse_level_text(text).items():
                    values[flag] = values.get(flag, False) | on
            elif key == "five_disclosures":
                values[key] = parse_five(text)
        except CellProblem as problem:
            problems.append(Problem(str(problem), row.number, column))
    row.values = values


def _check_duplicates(sheet):
    seen = {}
    for row in sheet.rows:
        key = (row.domain or row.section, tuple(row.names))
        if key in seen:
            sheet.problems.append(
                Problem(
                    _("与第 %(other)d 行是同一事项“%(name)s”，同一事项只能出现一次。")
                    % {"other": seen[key], "name": "／".join(row.names)},
                    row.number,
                    sheet.name_column(row.depth),
                )
            )
        else:
            seen[key] = row.number
