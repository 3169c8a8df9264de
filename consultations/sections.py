"""The articles and chapters of a draft, so a citizen can say which one a comment is about.

Chinese normative documents number their parts in words: 第一章, 第二节, 第十二条. A line of
the draft that starts like that begins a section; the heading (up to the number) is what a
comment records, so the staff page can group the comments by article.
"""

import re

HEADING = re.compile(r"^\s*(第[一二三四五六七八九十百零〇两\d]+[章节条])")


def sections(text: str) -> list[str]:
    """The section headings of ``text`` in order, each once ("第一条", "第二条", …)."""
    seen = []
    for line in (text or "").splitlines():
        match = HEADING.match(line)
        if match and match.group(1) not in seen:
            seen.append(match.group(1))
    return seen


def blocks(text: str) -> list[tuple[str, str]]:
    """``(heading, paragraph)`` per line of the draft; heading empty for lines that start none."""
    result = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = HEADING.match(line)
        result.append((match.group(1) if match else "", line.strip()))
    return result
