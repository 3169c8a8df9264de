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
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.exports import safe_cell, safe_row

from .models import Channel, FiveDisclosures

# --------------------------------------------------------------------------- reading a file


class SpreadsheetError(Exception):
    """The file cannot be read at all (not a spreadsheet, unknown encoding)."""


@dataclass
class Grid:
    """The cells of one sheet as text, merged ranges already filled with their value."""

    rows: list
    name: str = ""


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_xlsx(data):
    """The first sheet of an .xlsx file, merged cells filled from their top-left cell."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise SpreadsheetError(
            _("无法读取 Excel 文件（%(error)s），请确认文件是 .xlsx 格式。") % {"error": exc}
        ) from exc
    sheet = book.worksheets[0]
    width, height = sheet.max_column, sheet.max_row
    rows = [
        [_cell_text(v) for v in row]
        for row in sheet.iter_rows(min_row=1, max_row=height, min_col=1, max_col=width, values_only=True)
    ]
    for merged in sheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, height)):
            for c in range(merged.min_col - 1, min(merged.max_col, width)):
                rows[r][c] = value
    return Grid(rows=rows, name=sheet.title or "")


def read_csv(data):
    """A CSV file in UTF-8 (with or without BOM) or GBK, as Chinese Excel saves it."""
    if isinstance(data, str):
        text = data
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes almost anything
            raise SpreadsheetError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码。"))
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise SpreadsheetError(_("无法读取 CSV 文件（%(error)s）。") % {"error": exc}) from exc
    width = max((len(r) for r in rows), default=0)
    return Grid(rows=[r + [""] * (width - len(r)) for r in rows])


# --------------------------------------------------------------------------- normalising cells

_LINE_BREAK = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000]*")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f（）《》“”、，。；：]")


def join_broken(text):
    """Undo line feeds typed into the middle of a word: "政策\\n法规\\n文件" → 政策法规文件.

    Between two Latin letters or digits the break becomes a space, anywhere
    else (Chinese text) it disappears.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" not in text:
        return re.sub(r"\s+", " ", text)

    def glue(match):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return "" if _WIDE.match(before) or _WIDE.match(after) else " "

    return re.sub(r"[ \t\u3000]+", " ", _LINE_BREAK.sub(glue, text)).strip()


def clean_block(text):
    """Multi-line text (content elements, legal basis): keep the lines, trim each."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def _header(text):
    """Header cells compared without spaces, line feeds or bracket styles."""
    text = re.sub(r"\s+", "", text or "")
    return text.translate(str.maketrans({"(": "（", ")": "）", "[": "〔", "]": "〕", "【": "〔", "】": "〕"}))


_CODE = re.compile(r"^(.*?\D)\s*(\d{6,20})$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])\s*")


def split_code(text):
    """ "最低生活保障120002000" → ("最低生活保障", "120002000"); names without a code unchanged."""
    match = _CODE.match(text)
    if match:
        return match.group(1).strip(), match.group(2)
    return text, ""


def with_code(name, code):
    return f"{name}{code}" if code else name


def strip_numbering(text):
    """ "一、社会救助" → 社会救助, for section rows that name a domain."""
    return _NUMBERING.sub("", text or "").strip()


TICK = "√"
_TRUE_TICKS = {"√", "✓", "✔", "☑", "■", "●", "是", "Y", "y", "YES", "yes", "Yes", "TRUE", "True", "true"}
_FALSE_TICKS = {"", "否", "×", "✗", "✕", "□", "☐", "○", "-", "—", "－", "/", "／", "无", "FALSE", "False", "false"}


# Channel names in the fixed vocabulary, plus the shorter forms tables use.
_CHANNEL_NAMES = {str(label): value for value, label in Channel.choices}
_CHANNEL_NAMES.update(
    {
        "政府门户网站": Channel.WEBSITE,
        "门户网站": Channel.WEBSITE,
        "政务新媒体": Channel.SOCIAL,
        "发布会": Channel.CONFERENCE,
        "新闻发布会": Channel.CONFERENCE,
        "听证会": Channel.CONFERENCE,
        "发布会、听证会": Channel.CONFERENCE,
        "广播": Channel.BROADCAST,
        "电视": Channel.BROADCAST,
        "查阅点": Channel.READING_POINT,
        "政务服务大厅": Channel.SERVICE_CENTER,
        "便民服务中心": Channel.SERVICE_STATION,
        "入户": Channel.DOOR_TO_DOOR,
        "现场": Channel.DOOR_TO_DOOR,
        "社区/企事业单位/村公示栏": Channel.NOTICE_BOARD,
        "公示栏（电子屏）": Channel.NOTICE_BOARD,
        "公示栏": Channel.NOTICE_BOARD,
        "村务公开栏": Channel.NOTICE_BOARD,
        "电子屏": Channel.NOTICE_BOARD,
        "其它": Channel.OTHER,
        # Written this way in most published tables (issue 13): the 、 is part of the name, not a separator.
        "社区/企事业单位、村公示栏（电子屏）": Channel.NOTICE_BOARD,
        "社区/企事业单位、村公示栏": Channel.NOTICE_BOARD,
        "部门网站": Channel.WEBSITE,
        "区政府门户网站": Channel.WEBSITE,
        "县政府门户网站": Channel.WEBSITE,
        "政府信息公开专栏": Channel.WEBSITE,
        "管理部门网站": Channel.WEBSITE,
        # Domain platforms some guidelines add to the list (重大建设项目, 公共资源交易): "其他" in the vocabulary.
        "投资项目在线审批监管平台": Channel.OTHER,
        "公共资源交易平台": Channel.OTHER,
        "信用中国网站": Channel.OTHER,
        "招投标公共服务平台": Channel.OTHER,
        "招标投标公共服务平台": Channel.OTHER,
        "全国公共资源交易平台": Channel.OTHER,
        "省网上办事大厅": Channel.OTHER,
        "党群服务中心": Channel.OTHER,
        "政务服务网": Channel.OTHER,
        "山东政务服务网": Channel.OTHER,
        "政府服务中心": Channel.SERVICE_CENTER,
        "嘎查（社区）公示栏": Channel.NOTICE_BOARD,
        "村（社区）公示栏": Channel.NOTICE_BOARD,
        "广播电台": Channel.BROADCAST,
        "入户/现场宣传": Channel.DOOR_TO_DOOR,
        "纸质载体": Channel.PRINT,
        "社区/企事业单位/存公示栏（电子屏）": Channel.NOTICE_BOARD,  # 存 for 村: a slip in a published table
    }
)
_CHANNEL_KEYS = sorted(((_header(k), v) for k, v in _CHANNEL_NAMES.items()), key=lambda kv: -len(kv[0]))
_ON_MARKS = "■☑√✓✔●▄"
# 口 (the character) is typed for □ in many published tables; no channel name starts with it.
_OFF_MARKS = "□☐○口"
_CHANNEL_SEPARATORS = "、，,;；。 /／"
_NOTE = re.compile(r"(?:注|备注|说明)[：:]")


class CellProblem(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def parse_tick(text, own_label=""):
    value = re.sub(r"\s+", "", text or "")
    if value in _TRUE_TICKS or (own_label and value == own_label):
        return True
    if value in _FALSE_TICKS:
        return False
    raise CellProblem(_("无法识别的勾选标记“%(value)s”，请用 √、■、●、“是”或留空") % {"value": text.strip()})


def parse_channels(text):
    """ "■政府网站 □政府公报 ■两微一端" or "政府网站、两微一端" → [website, social].

    With ■/□ marks, only the marked names count; a plain list names the ticked ones.
    """
    source = _header(join_broken(text))
    chosen = set()
    i = 0
    while i < len(source):
        char = source[i]
        if _NOTE.match(source, i):
            break  # "注：有关公开信息可推送…": a remark under the ticks, not a channel
        if char in _CHANNEL_SEPARATORS:
            i += 1
            continue
        ticked = True
        if char in _ON_MARKS or char in _OFF_MARKS:
            ticked = char in _ON_MARKS
            i += 1
            if i >= len(source):
                break
        for key, value in _CHANNEL_KEYS:
            if source.startswith(key, i):
                i += len(key)
                if value == Channel.OTHER and i < len(source) and source[i] in "（(：:":
                    # 其他（乡镇公众号）: the note belongs to 其他.
                    close = source.find("）", i)
                    i = len(source) if close < 0 else close + 1
                elif value == Channel.OTHER:
                    # 其他法律服务网: the name of the other channel belongs to 其他 too.
                    while (
                        i < len(source)
                        and source[i] not in _CHANNEL_SEPARATORS + _ON_MARKS + _OFF_MARKS
                        and not _NOTE.match(source, i)
                    ):
                        i += 1
                if ticked:
                    chosen.add(value)
                break
        else:
            rest = re.split(f"[{re.escape(_CHANNEL_SEPARATORS + _ON_MARKS + _OFF_MARKS)}]", source[i:])[0]
            raise CellProblem(
                _("无法识别的公开渠道“%(name)s”；可用的渠道：%(names)s")
                % {"name": rest or source[i:], "names": "、".join(str(label) for label in Channel.labels)}
            )
    return [value for value in Channel.values if value in chosen]


def format_channels(values):
    """All thirteen channels, ■ ticked and □ not, as published tables show them."""
    chosen = set(values or [])
    return " ".join(("■" if value in chosen else "□") + str(label) for value, label in Channel.choices)


def parse_audience_text(text):
    value = _header(text)
    if not value:
        return {"audience_public": False, "audience_specific": False}
    public = "全社会" in value or "社会公众" in value
    specific = any(word in value for word in ("特定群体", "特定群众", "特定对象"))
    if not (public or specific):
        raise CellProblem(_("无法识别的公开对象“%(value)s”，应为“全社会”或“特定群体”") % {"value": text.strip()})
    return {"audience_public": public, "audience_specific": specific}


def parse_method_text(text):
    value = _header(text)
    if not value:
        return {"proactive": False, "on_request": False}
    on_request = "依申请" in value
    proactive = "主动" in value
    if not (proactive or on_request):
        raise CellProblem(_("无法识别的公开方式“%(value)s”，应为“主动”或“依申请”") % {"value": text.strip()})
    return {"proactive": proactive, "on_request": on_request}


def _level_of(word):
    """Which catalog level a header or cell names: {"county", "township"}, empty for 市级/省级."""
    found = set()
    if "县" in word or "区级" in word.replace("社区", ""):
        found.add("county")
    if any(part in word for part in ("乡", "镇", "村", "街道", "社区")):
        found.add("township")
    return found


def parse_level_text(text):
    value = _header(text)
    if not value:
        return {"level_county": False, "level_township": False}
    levels = _level_of(value)
    if not levels and not any(word in value for word in ("市", "省")):
        raise CellProblem(_("无法识别的公开层级“%(value)s”，应为“县级”“乡级”或两者") % {"value": text.strip()})
    return {"level_county": "county" in levels, "level_township": "township" in levels}


_FIVE = {}
for _value, _label in FiveDisclosures.choices:
    _FIVE[str(_label)] = _value
    _FIVE[str(_label).removesuffix("公开")] = _value


def parse_five(text):
    value = _header(text)
    if not value:
        return ""
    if value in _FIVE:
        return _FIVE[value]
    raise CellProblem(
        _("无法识别的五公开类别“%(value)s”，应为%(names)s之一")
        % {"value": text.strip(), "names": "、".join(str(label) for label in FiveDisclosures.labels)}
    )


# --------------------------------------------------------------------------- the header

LEVEL_WORDS = "一二三四五六七八九"
MAX_LEVELS = len(LEVEL_WORDS)


def level_header(depth):
    """一级事项 for depth 1, 二级事项 for 2 …"""
    return f"{LEVEL_WORDS[depth - 1]}级事项"


# Keys of the columns; the text columns are also CatalogEntry field names.
TEXT_FIELDS = {
    "content_elements": ("公开内容（要素）", "公开内容", "公开要素", "公开内容（要素、标准）"),
    "legal_basis": ("公开依据",),
    "time_limit_text": ("公开时限",),
    "responsible_body": ("公开主体", "公开责任主体", "责任主体"),
}
FLAG_FIELDS = ("audience_public", "audience_specific", "proactive", "on_request", "level_county", "level_township")
_MAX_LENGTH = {"time_limit_text": 300, "responsible_body": 300}
_NAME_MAX = 200


@dataclass
class Column:
    index: int
    key: str
    label: str
    own_label: str = ""  # the sub-column's own word, accepted as a tick ("主动" under 主动)

    @property
    def letter(self):
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.index + 1)


@dataclass
class Problem:
    """Something in the file that cannot be read: where, and what is wrong."""

    message: str
    row: int | None = None
    column: Column | None = None

    def __str__(self):
        if self.row and self.column:
            return _("第 %(row)d 行 %(letter)s 列“%(column)s”：%(message)s") % {
                "row": self.row,
                "letter": self.column.letter,
                "column": self.column.label,
                "message": self.message,
            }
        if self.row:
            return _("第 %(row)d 行：%(message)s") % {"row": self.row, "message": self.message}
        if self.column:
            return _("“%(column)s”列：%(message)s") % {"column": self.column.label, "message": self.message}
        return str(self.message)


_GROUPED = ("公开事项", "公开对象", "公开方式", "公开层级")
_ITEM_HEADERS = ("公开事项", "事项名称", "公开事项名称")
_NOT_TICKS = _TRUE_TICKS | _FALSE_TICKS


def _group_of(text):
    if text in _ITEM_HEADERS:
        return "公开事项"
    return text if text in _GROUPED else None


def _level_depth(text):
    for depth in range(1, MAX_LEVELS + 1):
        word = LEVEL_WORDS[depth - 1]
        if text in (level_header(depth), f"{word}级目录", f"{word}级事项名称"):
            return depth
    return None


def _classify_sub(group, sub, standalone=False):
    """The key of a sub-column of 公开对象 / 公开方式 / 公开层级 (or of the same word standing alone)."""
    if not sub:
        return (
            None
            if standalone
            else ({"公开对象": "audience_text", "公开方式": "method_text", "公开层级": "level_text"}[group], "")
        )
    if group == "公开对象":
        if sub in ("全社会", "社会公众", "不特定对象"):
            return "audience_public", sub
        if sub in ("特定群体", "特定群众", "特定对象"):
            return "audience_specific", sub
    elif group == "公开方式":
        if sub in ("主动", "主动公开"):
            return "proactive", sub
        if sub in ("依申请", "依申请公开"):
            return "on_request", sub
    elif group == "公开层级":
        if standalone and not sub.endswith("级"):
            return None
        levels = _level_of(sub)
        if levels == {"county"}:
            return "level_county", sub
        if levels == {"township"}:
            return "level_township", sub
        if not levels and any(word in sub for word in ("市", "省")):
            return "level_other", sub
        if levels and not standalone:
            return "level_text", ""  # 县级/乡级 in one sub-column: the cell names the level
    return None


def _classify(group, sub):
    """(key, own label) for a column whose header reads ``group`` over ``sub``; None if unknown."""
    grouped = _group_of(group)
    if grouped == "公开事项":
        if not sub:
            return "level1", ""
        depth = _level_depth(sub)
        return (f"level{depth}", "") if depth else None
    if grouped is not None:
        return _classify_sub(grouped, sub)
    whole = sub or group
    depth = _level_depth(whole)
    if depth:
        return f"level{depth}", ""
    for standalone_group in ("公开对象", "公开方式", "公开层级"):
        found = _classify_sub(standalone_group, whole, standalone=True)
        if found:
            return found
    if whole in ("序号", "编号"):
        return "seq", ""
    if whole in ("领域", "所属领域", "公开领域", "事项领域", "领域名称"):
        return "domain", ""
    for key, names in TEXT_FIELDS.items():
        if whole in names:
            return key, ""
    if whole.startswith("公开渠道") or whole == "公开载体":
        return "channels", ""
    if whole in ("五公开类别", "五公开", "五公开分类"):
        return "five_disclosures", ""
    return None


def _is_header_row(cells):
    names = {_header(c) for c in cells if c.strip()}
    known = sum(1 for name in names if _classify(name, "") is not None)
    return any(_group_of(n) == "公开事项" or _level_depth(n) == 1 for n in names) and known >= 2


def _is_sub_header_row(cells, above):
    """Row 2 of a two-row header: each filled cell repeats the cell above (a merge) or is a sub-column word."""
    found_sub = False
    for cell, over in zip(cells, above):
        name, over = _header(cell), _header(over)
        if not name or name == over:
            continue
        if _level_depth(name) or any(_classify_sub(g, name, standalone=True) for g in ("公开对象", "公开方式")):
            found_sub = True
        elif _level_of(name) and name.endswith("级") or any(w in name for w in ("市级", "省级")):
            found_sub = True
        else:
            return False
    return found_sub


def _label(group, sub):
    return f"{group}〔{sub}〕" if group and sub else (sub or group)


def read_header(grid):
    """Find the header rows: returns (header row index, data start index, columns, ignored labels, problems)."""
    for index, cells in enumerate(grid.rows[:30]):
        if _is_header_row(cells):
            break
    else:
        return (
            None,
            None,
            [],
            [],
            [Problem(_("没有找到表头：表格应有“公开事项”（或“一级事项”）和“公开时限”“公开主体”等列。"))],
        )
    first = [_header(c) for c in grid.rows[index]]
    has_sub = index + 1 < len(grid.rows) and _is_sub_header_row(grid.rows[index + 1], grid.rows[index])
    second = [_header(c) for c in grid.rows[index + 1]] if has_sub else [""] * len(first)
    columns, ignored, problems = [], [], []
    previous_group = ""
    for col, (group, sub) in enumerate(zip(first, second)):
        if group == sub:
            sub = ""  # a single column merged over both header rows
        if not group and sub and _group_of(previous_group):
            group = previous_group  # CSV: the group's name stands only above its first sub-column
        if group:
            previous_group = group
        if not group and not sub:
            continue
        found = _classify(group, sub)
        label = _label(group, sub)
        if found is None:
            ignored.append(label)
            continue
        key, own = found
        columns.append(Column(index=col, key=key, label=label, own_label=own))
    keys = [c.key for c in columns]
    for key in set(keys):
        if keys.count(key) > 1 and key not in ("level_county", "level_township", "level_other", "seq"):
            dupes = [c for c in columns if c.key == key]
            problems.append(Problem(_("表头中有重复的列“%(label)s”。") % {"label": dupes[1].label}, column=dupes[1]))
    levels = sorted(int(k[5:]) for k in keys if k.startswith("level") and k[5:].isascii() and k[5:].isdigit())
    if not levels or levels[0] != 1:
        problems.append(Problem(_("表头缺少“一级事项”列。")))
    elif levels != list(range(1, len(levels) + 1)):
        problems.append(
            Problem(_("事项层级列不连续：有%(last)s却缺少中间的层级。") % {"last": level_header(levels[-1])})
        )
    return index, index + (2 if has_sub else 1), columns, ignored, problems


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


# --------------------------------------------------------------------------- writing

# Sub-columns and the group above them; any other header spans both header rows.
GROUP_OF = {
    **{level_header(d): "公开事项" for d in range(1, MAX_LEVELS + 1)},
    "全社会": "公开对象",
    "特定群体": "公开对象",
    "主动": "公开方式",
    "依申请": "公开方式",
    "县级": "公开层级",
    "乡级": "公开层级",
}


def header_rows(headers):
    """The two header rows and the ranges to merge: [(row, first col, last row, last col)] 0-based."""
    top, bottom, merges = [], [], []
    col = 0
    while col < len(headers):
        group = GROUP_OF.get(headers[col])
        if group is None:
            top.append(headers[col])
            bottom.append("")
            merges.append((0, col, 1, col))
            col += 1
            continue
        end = col
        while end + 1 < len(headers) and GROUP_OF.get(headers[end + 1]) == group:
            end += 1
        top.extend([group] + [""] * (end - col))
        bottom.extend(headers[col : end + 1])
        if end > col:
            merges.append((0, col, 0, end))
        col = end + 1
    return top, bottom, merges


def _down_merges(headers, rows):
    """Vertical merges for 领域 and the upper levels of 公开事项 over consecutive equal rows."""
    mergeable = [i for i, h in enumerate(headers) if h == "领域" or (h in GROUP_OF and GROUP_OF[h] == "公开事项")]
    level_cols = [i for i, h in enumerate(headers) if h in GROUP_OF and GROUP_OF[h] == "公开事项"]
    if level_cols:
        mergeable.remove(level_cols[-1])  # the deepest level names each row's own entry
    merges = []
    for position, col in enumerate(mergeable):
        above = mergeable[:position]
        start = 0
        for r in range(1, len(rows) + 1):
            same = (
                r < len(rows)
                and rows[r][col]
                and rows[r][col] == rows[start][col]
                and all(rows[r][a] == rows[start][a] for a in above)
            )
            if not same:
                if r - 1 > start:
                    merges.append((start, col, r - 1, col))
                start = r
    return merges


_WIDTHS = {
    "序号": 6,
    "领域": 12,
    "公开内容（要素）": 36,
    "公开依据": 36,
    "公开时限": 22,
    "公开主体": 20,
    "公开渠道和载体": 30,
    "五公开类别": 10,
}


def write_xlsx(title, headers, rows):
    """An .xlsx in the published look: title row, two merged header rows, upper levels merged down."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = (title or "目录")[:31].translate(str.maketrans("[]:*?/\\", "〔〕：＊？／＼"))
    width = len(headers)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="center", wrap_text=True)

    sheet.append([safe_cell(title)] + [None] * (width - 1))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=16)
    sheet.cell(1, 1).alignment = center
    sheet.row_dimensions[1].height = 32

    top, bottom, merges = header_rows(headers)
    sheet.append(top)
    sheet.append(bottom)
    for r in (2, 3):
        for c in range(1, width + 1):
            cell = sheet.cell(r, c)
            cell.font = Font(bold=True)
            cell.alignment = center
            cell.border = border
    for r0, c0, r1, c1 in merges:
        sheet.merge_cells(start_row=r0 + 2, start_column=c0 + 1, end_row=r1 + 2, end_column=c1 + 1)

    for values in rows:
        sheet.append(safe_row(values))
    tick_cols = {i for i, h in enumerate(headers) if GROUP_OF.get(h) in ("公开对象", "公开方式", "公开层级")}
    for r in range(4, 4 + len(rows)):
        for c in range(width):
            cell = sheet.cell(r, c + 1)
            cell.border = border
            cell.alignment = center if c in tick_cols or headers[c] == "序号" else wrap
    for r0, c0, r1, c1 in _down_merges(headers, rows):
        sheet.merge_cells(start_row=r0 + 4, start_column=c0 + 1, end_row=r1 + 4, end_column=c1 + 1)

    for i, header in enumerate(headers, start=1):
        wide = _WIDTHS.get(header, 14 if GROUP_OF.get(header) == "公开事项" else 7)
        sheet.column_dimensions[get_column_letter(i)].width = wide
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(title, headers, rows):
    """The same layout as CSV (UTF-8 with BOM so Excel shows the Chinese): merged cells leave blanks."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(title)] + [""] * (len(headers) - 1))
    top, bottom, _merges = header_rows(headers)
    writer.writerow(top)
    writer.writerow(bottom)
    for values in rows:
        writer.writerow(safe_row("" if v is None else v for v in values))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
