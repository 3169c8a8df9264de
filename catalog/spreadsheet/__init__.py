"""The official catalog table layout: reading it in all its real-world variants, writing it.

Counties publish their catalogs as spreadsheets with a two-row header::

    序号 | 领域 | 公开事项〔一级事项 | 二级事项〕 | 公开内容（要素） | 公开依据 | 公开时限 |
    公开主体 | 公开渠道和载体 | 公开对象〔全社会 | 特定群体〕 | 公开方式〔主动 | 依申请〕 |
    公开层级〔县级 | 乡级〕

This module knows only the layout. It touches no database: :func:`parse` turns a
grid of cells into :class:`SheetRow` objects (names split from their numeric
codes, ticks read as booleans, channels read into ``Channel`` values) plus every
problem found, each naming the row as the spreadsheet numbers it and the column
by its header. ``catalog.importer`` decides what the rows mean for the database.

Decisions where the official layout is silent (also in the README):

- A 领域 column follows 序号 in every file we write, because one file may hold
  several domains. When a file has no 领域 column, the domain comes from a
  section row ("一、社会救助"), the title row above the header ("XX县社会救助领域
  基层政务公开标准目录") or the sheet name, in that order.
- A 三级事项 (and deeper) sub-column appears only when the catalog is that deep;
  a 五公开类别 column only when some entry has a class.
- An entry's numeric code is written appended to its name ("审核信息120002003"),
  the way the counties that number their entries publish it, so the code
  survives a round trip without an extra column.

The package follows the work: :mod:`.files` reads a file into a grid, :mod:`.cells`
is the vocabulary of single cells, :mod:`.header` finds the header and its columns,
:mod:`.rows` reads the rows under it (:func:`parse`), :mod:`.writing` writes the
layout. Callers import from ``catalog.spreadsheet``.
"""

from .cells import (
    TICK,
    CellProblem,
    clean_block,
    format_channels,
    join_broken,
    parse_audience_text,
    parse_channels,
    parse_five,
    parse_level_text,
    parse_method_text,
    parse_tick,
    split_code,
    strip_numbering,
    with_code,
)
from .files import Grid, SpreadsheetError, read_csv, read_xlsx
from .header import FLAG_FIELDS, LEVEL_WORDS, MAX_LEVELS, TEXT_FIELDS, Column, Problem, level_header, read_header
from .rows import ParsedSheet, SheetRow, parse
from .writing import GROUP_OF, header_rows, write_csv, write_xlsx

__all__ = [
    "FLAG_FIELDS",
    "GROUP_OF",
    "LEVEL_WORDS",
    "MAX_LEVELS",
    "TEXT_FIELDS",
    "TICK",
    "CellProblem",
    "Column",
    "Grid",
    "ParsedSheet",
    "Problem",
    "SheetRow",
    "SpreadsheetError",
    "clean_block",
    "format_channels",
    "header_rows",
    "join_broken",
    "level_header",
    "parse",
    "parse_audience_text",
    "parse_channels",
    "parse_five",
    "parse_level_text",
    "parse_method_text",
    "parse_tick",
    "read_csv",
    "read_header",
    "read_xlsx",
    "split_code",
    "strip_numbering",
    "with_code",
    "write_csv",
    "write_xlsx",
]
