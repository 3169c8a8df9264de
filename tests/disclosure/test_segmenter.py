"""The compact search dictionary cuts text exactly as jieba's own does (issue 10).

Every stored search vector was built with jieba's dictionary, and a query must be cut the
same way or a citizen's search misses what was published. So the compact tokenizer is
compared with a plain jieba ``Tokenizer`` word for word: on the texts the portal ships
(demo data, the catalog spreadsheets) and on generated text.
"""

import csv
import re
import subprocess
import sys
from pathlib import Path

import jieba
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure import search, segmenter

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff0-9A-Za-z，。、；：（）《》“”%.\-]{2,}")


@pytest.fixture(scope="module")
def reference():
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _shipped_texts():
    texts = []
    for demo in sorted(ROOT.glob("*/demo.py")):
        texts.extend(CHINESE.findall(demo.read_text(encoding="utf-8")))
    for sheet in sorted((ROOT / "fixtures" / "catalog").rglob("*.csv")):
        with sheet.open(encoding="utf-8-sig", newline="") as rows:
            texts.extend(" ".join(row) for row in csv.reader(rows))
    return texts


def test_shipped_texts_are_cut_as_jieba_cuts_them(reference):
    texts = _shipped_texts()
    assert len(texts) > 1000, "the corpus should hold the demo data and the catalogs"
    compact = segmenter.tokenizer()
    differing = [t for t in texts if list(compact.cut_for_search(t)) != list(reference.cut_for_search(t))]
    assert differing == []


# Characters of the domain (the 26 domains' words) and a few of everything else, so that
# generated text runs into dictionary words, unknown words (jieba's HMM) and mixed scripts.
ALPHABET = (
    "城乡居民最低生活保障征地补偿安置方案公告县政府办公室关于做好年度财政预算决算公开工作的通知"
    "蓄滞洪区乡村振兴义务教育招生入学医疗救助扶贫农村危房改造第号条款项目，。、（）12309abcXY -"
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=80))
def test_generated_text_is_cut_as_jieba_cuts_it(reference, text):
    assert list(segmenter.tokenizer().cut_for_search(text)) == list(reference.cut_for_search(text))


def test_search_vectors_hold_the_dictionary_words():
    document = search.build_document([("A", "城乡居民最低生活保障资金发放情况公示")])
    for word in ("城乡", "居民", "最低", "生活", "保障", "资金", "发放", "公示"):
        assert f"'{word}':" in document


def test_loading_the_search_dictionary_keeps_jiebas_own_dict_and_pkg_resources_out():
    """The two that made a web worker ~70 MB larger are never loaded (checked in a fresh process)."""
    probe = (
        "import sys\n"
        "from disclosure import segmenter\n"
        "words = list(segmenter.tokenizer().cut_for_search('关于做好征地补偿安置工作的通知'))\n"
        "import jieba\n"
        "assert '征地' in words and '补偿' in words, words\n"
        "assert not jieba.dt.initialized and not jieba.dt.FREQ, 'jieba loaded its own dictionary'\n"
        "assert 'pkg_resources' not in sys.modules, 'pkg_resources was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
