"""Chinese full-text search.

On PostgreSQL every item carries a ``tsvector`` built here in Python: the
words jieba finds (search mode, so 城乡居民 also yields 城乡 and 居民; jieba's
code over a compact copy of its dictionary, see ``segmenter``) plus every
pair of adjacent Chinese characters. The pairs make any two-character query
(低保, 征地) find every text that contains it, whatever jieba decided;
the words give ranking weight to real terms. The vector is written as a
tsvector literal and cast, so PostgreSQL's own parser (which does not know
Chinese and depends on the database locale) never touches it. It is kept
current by the field's ``pre_save`` on every save of an item.

On SQLite (development, tests) the column holds an empty string and the
search falls back to ``icontains`` over title, body text, keywords and 文号.
"""

import re

from django.db import connections, models, router

from . import segmenter

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
CJK_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
WORD = re.compile(r"[0-9a-z]+")

MAX_POSITION = 16383  # PostgreSQL's limit for a lexeme position
MAX_POSITIONS_PER_LEXEME = 256
MAX_INDEXED_CHARS = 200_000


def _words(text):
    """jieba's search-mode words that are Chinese or alphanumeric."""
    for word in segmenter.tokenizer().cut_for_search(text):
        word = word.strip()
        if not word:
            continue
        if CJK_ONLY.match(word):
            yield word
        else:
            yield from WORD.findall(word)


def tokens(text):
    """Words then character pairs of ``text``, lower-cased, in order."""
    text = (text or "").lower()[:MAX_INDEXED_CHARS]
    yield from _words(text)
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            yield run
        for i in range(len(run) - 1):
            yield run[i : i + 2]


def _quote(lexeme):
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def build_document(weighted_texts):
    """A tsvector literal from (weight, text) pairs, weights 'A'..'D'."""
    positions = {}
    position = 0
    for weight, text in weighted_texts:
        for token in tokens(text):
            position = min(position + 1, MAX_POSITION)
            entries = positions.setdefault(token, {})
            if len(entries) < MAX_POSITIONS_PER_LEXEME and position not in entries:
                entries[position] = weight
    return " ".join(
        _quote(lexeme) + ":" + ",".join(f"{p}{w}" for p, w in sorted(entries.items()))
        for lexeme, entries in positions.items()
    )


def query_terms(query):
    """The distinct terms of a user's query, longest first, as the document sees them."""
    query = (query or "").lower()
    seen = []
    for part in query.split():
        for word in list(_words(part)) or [part]:
            if word and word not in seen:
                seen.append(word)
    return seen


def build_query(query):
    """A tsquery literal: every term must match, as a word or through its character pairs."""
    clauses = []
    for term in query_terms(query):
        if CJK_ONLY.match(term):
            if len(term) == 1:
                clauses.append(_quote(term) + ":*")
            elif len(term) == 2:
                clauses.append(_quote(term))
            else:
                pairs = " & ".join(_quote(term[i : i + 2]) for i in range(len(term) - 1))
                clauses.append(f"( {_quote(term)} | ( {pairs} ) )")
        elif WORD.fullmatch(term):
            clauses.append(_quote(term) + ":*")
    return " & ".join(clauses)


def highlight_terms(query):
    """What to mark in titles and snippets: the query's parts and its words."""
    parts = [p for p in (query or "").split() if p]
    terms = set(parts)
    for part in parts:
        terms.update(w for w in _words(part.lower()) if len(w) >= 2 or CJK_ONLY.match(w))
    return sorted(terms, key=len, reverse=True)


def uses_postgres(model):
    return connections[router.db_for_write(model)].vendor == "postgresql"


class SearchDocumentField(models.TextField):
    """A tsvector on PostgreSQL (text elsewhere) rebuilt from the instance on every save.

    The model provides ``search_texts()`` returning (weight, text) pairs.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def pre_save(self, model_instance, add):
        value = ""
        if uses_postgres(type(model_instance)):
            value = build_document(model_instance.search_texts())
        setattr(model_instance, self.attname, value)
        return value

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"
