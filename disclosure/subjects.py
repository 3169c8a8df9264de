"""主题分类: the standard subject list (国务院公文主题分类) an item is filed under.

The list is data (``disclosure/data/subject_categories.txt``, or the file named by the
``DISCLOSURE_SUBJECT_CATEGORIES_FILE`` setting). Items keep their value as text, "一级\\二级":
a value typed before the list existed stays as it was and is still shown, and
:func:`canonical` maps the ones that clearly mean a listed class.
"""

import functools
import re
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "subject_categories.txt"
SEPARATOR = "\\"
_SEPARATORS = re.compile(r"\s*[\\＼/／|｜>＞›»]\s*")
_SPACES = re.compile(r"[\s\u3000]+")


def _file():
    return Path(getattr(settings, "DISCLOSURE_SUBJECT_CATEGORIES_FILE", "") or DEFAULT_FILE)


@functools.lru_cache(maxsize=4)
def _read(path):
    """[(first level, [second levels])] in file order."""
    classes = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        name = raw.strip()
        if raw[0] in " \t\u3000":
            if not classes:
                raise ValueError(f"{path}: second-level class {name!r} before any first-level class")
            classes[-1][1].append(name)
        else:
            classes.append((name, []))
    return classes


def categories():
    return _read(str(_file()))


def values():
    """Every value an item may store, in list order."""
    result = []
    for first, seconds in categories():
        if seconds:
            result.extend(f"{first}{SEPARATOR}{s}" for s in seconds)
        else:
            result.append(first)
    return result


def is_standard(value):
    return value in set(values())


def choices(current=""):
    """Grouped choices for a select; a non-standard current value is offered as it is."""
    result = [("", _("（请选择主题分类）"))]
    for first, seconds in categories():
        if seconds:
            result.append((first, [(f"{first}{SEPARATOR}{s}", s) for s in seconds]))
        else:
            result.append((first, first))
    if current and not is_standard(current):
        result.append((_("原有分类（不在标准分类中）"), [(current, current)]))
    return result


def canonical(value):
    """The standard value that ``value`` clearly means, or None.

    Accepts other separators (/ ＼ ｜ > ›), stray spaces, and a second-level class named
    alone when only one first-level class has it (“政务公开” → “综合政务\\政务公开”).
    """
    text = _SPACES.sub("", _SEPARATORS.sub(lambda _m: SEPARATOR, (value or "").strip()))
    if not text:
        return None
    known = values()
    if text in known:
        return text
    if SEPARATOR not in text:
        matches = [v for v in known if v.endswith(SEPARATOR + text)]
        if len(matches) == 1:
            return matches[0]
    return None
