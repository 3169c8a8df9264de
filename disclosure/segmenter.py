"""jieba's segmentation with its dictionary in a compact trie (issue 10: memory per worker).

jieba keeps its dictionary (349,046 words with their frequencies) as a Python dict
of every word *and every prefix of a word*, 498,113 keys: about 53 MB in each
process. It also imports ``pkg_resources`` only to find its own data files, which
reads the metadata of every installed package: another 13 MB. Together they were
the largest part of a web worker (207–218 MB by RSS before this change).

Here the same words live in a marisa-trie (about 2 MB, built in under a second from
jieba's own ``dict.txt``) with their frequencies in an array beside it, and
``pkg_resources`` is not imported (jieba then opens its files by path, its own
fallback). The segmentation is still jieba's code — its ``Tokenizer`` with the
dictionary lookups answered by the trie — so every word comes out the same: the
search vectors already stored were built with jieba's dict, and a query must be cut
exactly as the documents were (``tests/disclosure/test_segmenter.py`` compares the two
on every text of the demo data and on generated text).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from array import array


def _import_jieba():
    """Import jieba without ``pkg_resources`` (13 MB), which jieba can do without."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    missing = object()
    saved = sys.modules.get("pkg_resources", missing)
    if saved is missing:
        sys.modules["pkg_resources"] = None  # makes ``import pkg_resources`` raise ImportError
    try:
        import jieba
    finally:
        if saved is missing:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


class _Frequencies:
    """The part of a dict jieba's Tokenizer uses, answered from the trie.

    jieba's own dict also holds every prefix of a word with frequency 0, so that
    ``fragment in FREQ`` says whether a longer word may still follow; the trie
    answers that directly.
    """

    __slots__ = ("_trie", "_counts")

    def __init__(self, trie, counts):
        self._trie = trie
        self._counts = counts

    def __contains__(self, fragment):
        return self._trie.has_keys_with_prefix(fragment)

    def get(self, word, default=None):
        key = self._trie.get(word)
        return default if key is None else self._counts[key]

    def __getitem__(self, word):
        return self.get(word, 0)


def _entries(path):
    """(word, frequency) per line of a jieba dictionary file, parsed as jieba's ``gen_pfdict`` does."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if line:
                word, freq = line.split(" ")[:2]
                yield word, int(freq)


def _read_dictionary(path):
    """(trie, counts, total, longest) of a jieba dictionary file.

    Two passes over the file instead of a dict of all words, so that loading never
    holds the 349,046 words as Python objects at once (their memory would stay
    with the process). As in jieba, a word listed twice keeps its last frequency
    while the total counts both.
    """
    import marisa_trie

    trie = marisa_trie.Trie(word for word, _freq in _entries(path))
    counts = array("I", bytes(4 * len(trie)))
    total = 0
    longest = 1
    for word, freq in _entries(path):
        counts[trie[word]] = freq
        total += freq
        longest = max(longest, len(word))
    return trie, counts, total, longest


@functools.lru_cache(maxsize=1)
def tokenizer():
    """A jieba ``Tokenizer`` over jieba's default dictionary, held in the trie."""
    jieba = _import_jieba()
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    trie, counts, total, longest = _read_dictionary(path)

    class CompactTokenizer(jieba.Tokenizer):
        def get_DAG(self, sentence):  # noqa: N802 (jieba's name)
            """jieba's DAG: for each position, where the dictionary words starting there end.

            Only words with a frequency count, as in jieba (a prefix or a word of
            frequency 0 is not an edge).
            """
            dag = {}
            for start in range(len(sentence)):
                ends = [
                    start + len(word) - 1
                    for word, key in trie.iter_prefixes_with_ids(sentence[start : start + longest])
                    if counts[key]
                ]
                dag[start] = ends or [start]
            return dag

    segmenter = CompactTokenizer()
    segmenter.FREQ = _Frequencies(trie, counts)
    segmenter.total = total
    segmenter.initialized = True  # jieba would otherwise load its own dict on first use
    return segmenter
