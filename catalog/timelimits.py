"""Reading the number of working days out of a 公开时限 text.

Catalogs write limits as prose ("制定或获取信息之日起10个工作日内，公示7个工作日").
Coverage checks need the number, so we take the first "N个工作日" that is a
publication limit, not a display period (公示 N 个工作日). "公示期满后5个工作日内"
is a limit counted from the end of the display, so a 后 between 公示 and the
number makes it a limit again. Cells broken by line feeds ("10个工作\n日内")
are read as if unbroken.
"""

import re

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(text):
    if text.isascii() and text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text)


_NUMBER = r"(\d+|[一二两三四五六七八九十]+)"
_LIMIT = re.compile(_NUMBER + r"\s*个?\s*工作日")
_DISPLAY = re.compile(r"(公示|公告|张贴)[^，,；;。后]*?" + _NUMBER + r"\s*个?\s*工作日")
_SPACE = re.compile(r"\s+")
# Larger numbers are typing slips, not limits; they would also overflow the column.
_MAX_DAYS = 999


def parse_time_limit_days(text):
    """Return the publication limit in working days, or None when the text has none."""
    if not text:
        return None
    text = _SPACE.sub("", text)
    display_spans = [m.span(2) for m in _DISPLAY.finditer(text)]
    for match in _LIMIT.finditer(text):
        if any(start <= match.start(1) < end for start, end in display_spans):
            continue
        days = _cn_number(match.group(1))
        return days if days is not None and days <= _MAX_DAYS else None
    return None


def parse_display_days(text):
    """The display period (公示N个工作日) a limit text states, or None."""
    match = _DISPLAY.search(_SPACE.sub("", text or ""))
    days = _cn_number(match.group(2)) if match else None
    return days if days is not None and days <= _MAX_DAYS else None
