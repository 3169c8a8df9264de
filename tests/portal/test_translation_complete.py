"""Every user-facing string has an English entry: a new gettext string without one fails here.

The check runs the project's own ``makemessages`` (the options of ``make messages-update``,
read from the Makefile so the two cannot drift apart) over a copy of the working tree, with
the committed English catalog as its starting point, and reads what comes out: a string that
is in the code or the templates but not in ``locale/en/LC_MESSAGES/django.po`` comes out
untranslated (or fuzzy, when gettext guessed from a similar string), and so does a committed
entry that was never translated. The working tree, not the last commit, so a string added a
minute ago counts. The copy leaves the real catalog untouched.

That the .mo matches the .po and that translations keep their placeholders is checked in
``test_english.py``.
"""

import os
import shlex
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest
from django.conf import settings

from .pofile import is_translated, key, parse_po

BASE_DIR = Path(settings.BASE_DIR)
CATALOG = Path("locale") / "en" / "LC_MESSAGES" / "django.po"

HOW_TO_FIX = (
    "How to fix: run `make messages-update` (makemessages with the project's options), "
    "translate every entry listed above in locale/en/LC_MESSAGES/django.po into English "
    "(fill in msgstr, keep every %(name)s placeholder, delete the `#, fuzzy` line and the "
    "`#|` lines above a fuzzy entry), run `make messages` to compile the .mo, and commit "
    'both files. The README\'s section "English" has the details.'
)

# Never copied: not source, or large; makemessages would skip them anyway.
_NOT_SOURCE = {".git", ".venv", "var", "__pycache__", "node_modules", "staticfiles", ".pytest_cache"}


def makemessages_args():
    """The options of `make messages-update`, read from the Makefile's MAKEMESSAGES_ARGS line."""
    for line in (BASE_DIR / "Makefile").read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition(":=")
        if sep and name.strip() == "MAKEMESSAGES_ARGS":
            return shlex.split(value)
    raise AssertionError("the Makefile has no MAKEMESSAGES_ARGS line for `make messages-update`")


def _ignore_patterns(args):
    patterns = []
    for i, arg in enumerate(args):
        if arg.startswith("--ignore="):
            patterns.append(arg.split("=", 1)[1])
        elif arg in ("--ignore", "-i") and i + 1 < len(args):
            patterns.append(args[i + 1])
    return patterns


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory):
    """(committed entries, entries as makemessages would leave them), both without the header."""
    args = makemessages_args()
    patterns = _ignore_patterns(args)
    tree = tmp_path_factory.mktemp("translation") / "tree"

    def skip(directory, names):
        return [
            n
            for n in names
            if n in _NOT_SOURCE
            or n.endswith(".pyc")
            or (Path(directory) == BASE_DIR and any(fnmatch(n, p) for p in patterns))
        ]

    shutil.copytree(BASE_DIR, tree, ignore=skip, symlinks=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="portal.settings", PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    committed = parse_po(BASE_DIR / CATALOG)
    fresh = parse_po(tree / CATALOG)
    assert committed[0]["msgid"] == "" and fresh[0]["msgid"] == ""
    return committed[1:], fresh[1:]


def _listing(entries):
    lines = []
    for e in entries:
        where = " ".join(e["references"][:3]) + (" …" if len(e["references"]) > 3 else "")
        context = f" [context {e['msgctxt']}]" if e.get("msgctxt") else ""
        lines.append(f"  - {e['msgid']!r}{context}  ({where or 'no reference'})")
    return "\n".join(lines)


def test_makemessages_covers_the_whole_portal(catalogs):
    _committed, fresh = catalogs
    assert len(fresh) > 1000  # every app and the templates, not a sample
    referenced = {ref.split("/", 1)[0] for e in fresh for ref in e["references"]}
    assert {"portal", "catalog", "disclosure", "requests_app", "templates"} <= referenced
    assert not referenced & {"tests", "bench", ".venv"}


def test_every_user_facing_string_has_an_english_entry(catalogs):
    committed, fresh = catalogs
    known = {key(e) for e in committed}
    missing = [e for e in fresh if key(e) not in known]
    untranslated = [e for e in fresh if key(e) in known and not is_translated(e)]
    fuzzy = [e for e in fresh if key(e) in known and is_translated(e) and "fuzzy" in e["flags"]]
    problems = []
    if missing:
        problems.append(f"{len(missing)} user-facing string(s) have no entry in {CATALOG}:\n" + _listing(missing))
    if untranslated:
        problems.append(
            f"{len(untranslated)} entr(y/ies) of {CATALOG} have no English translation:\n" + _listing(untranslated)
        )
    if fuzzy:
        problems.append(
            f"{len(fuzzy)} entr(y/ies) of {CATALOG} are marked fuzzy (a guess to check):\n" + _listing(fuzzy)
        )
    if problems:
        pytest.fail("\n\n".join(problems) + "\n\n" + HOW_TO_FIX, pytrace=False)


def test_the_catalog_has_no_entries_for_vanished_strings(catalogs):
    committed, fresh = catalogs
    current = {key(e) for e in fresh}
    stale = [e for e in committed if key(e) not in current]
    if stale:
        pytest.fail(
            f"{len(stale)} entr(y/ies) of {CATALOG} are for strings the code no longer uses:\n"
            + _listing(stale)
            + "\n\nHow to fix: run `make messages-update`, which drops them (and "
            "lists any new string that replaced them, to translate), then `make messages`, and "
            "commit the .po and the .mo.",
            pytrace=False,
        )
