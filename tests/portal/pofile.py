"""A small reader of gettext .po files for the translation tests (no third-party parser)."""

import re

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text):
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def parse_po(path):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr, msgstr[n], flags, references.

    Obsolete entries (``#~``) are skipped; the header is the first entry (msgid "").
    """
    entries, current, key = [], None, None

    def flush():
        if current and "msgid" in current:
            entries.append(current)

    def new():
        return {"flags": set(), "references": []}

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is None or "msgid" in current:
                flush()
                current = new()
            if line.startswith("#,"):
                current["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#:"):
                current["references"].extend(line[2:].split())
            continue
        if line.startswith('"'):
            current[key] += _unquote(line)
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        assert match, f"unexpected line in {path.name}: {line}"
        key = match.group(1)
        if key in ("msgid", "msgctxt") and current is not None and "msgid" in current:
            flush()
            current = new()
        if current is None:
            current = new()
        current[key] = _unquote(match.group(2))
    flush()
    return entries


def is_translated(entry):
    if "msgid_plural" in entry:
        return all(entry.get(f"msgstr[{i}]") for i in (0, 1))
    return bool(entry.get("msgstr"))


def key(entry):
    """What identifies an entry in a catalog: its context and its source string."""
    return entry.get("msgctxt"), entry["msgid"]
