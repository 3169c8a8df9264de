"""Finding the two-row header and what each of its columns means."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .cells import _FALSE_TICKS, _TRUE_TICKS, _header, _level_of

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
    for index, cells in enumerate(grid.rows[:30]):  # noqa: B007 - the index of the header row is read after the loop
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
