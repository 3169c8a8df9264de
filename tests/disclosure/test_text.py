import pytest
from django.core.exceptions import ValidationError

from disclosure.text import html_to_text, normalize_document_number, sanitize_body


@pytest.mark.parametrize("dirty, forbidden", [
    ('<p>低保</p><script>alert(1)</script>', "<script"),
    ('<img src="x.png" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">点我</a>', "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">点我</a>', "alert"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "style"),
    ('<svg onload="alert(1)"><circle/></svg>', "onload"),
    ('<iframe src="https://evil.example/"></iframe>', "iframe"),
    ('<p onclick="steal()">点</p>', "onclick"),
    ('<style>body{display:none}</style><p>x</p>', "display:none"),
])
def test_sanitiser_removes_script_vectors(dirty, forbidden):
    clean = sanitize_body(dirty)
    assert forbidden.lower() not in clean.lower()


def test_sanitiser_keeps_ordinary_formatting():
    html = '<h3>一、标准</h3><p><strong>820元</strong></p><table><tr><td colspan="2">合计</td></tr></table>' \
           '<a href="https://www.gov.cn/">中国政府网</a>'
    clean = sanitize_body(html)
    assert "<strong>820元</strong>" in clean
    assert 'colspan="2"' in clean
    assert 'href="https://www.gov.cn/"' in clean and 'rel="noopener noreferrer"' in clean


def test_plain_text_becomes_paragraphs_and_is_escaped():
    clean = sanitize_body("第一段 1 < 2\n\n第二段")
    assert clean.count("<p>") == 2
    assert "1 &lt; 2" in clean


def test_plain_text_of_body():
    assert html_to_text("<p>第一段</p><p>第二&amp;段</p>") == "第一段\n第二&段"


@pytest.mark.parametrize("raw, expected", [
    ("粤府办〔2020〕10号", "粤府办〔2020〕10号"),
    ("粤府办[2020]10号", "粤府办〔2020〕10号"),
    ("粤府办【2020】10号", "粤府办〔2020〕10号"),
    ("粤府办﹝2020﹞010号", "粤府办〔2020〕10号"),
    (" 国办公开办函 〔2019〕 第61号 ", "国办公开办函〔2019〕61号"),
    ("", ""),
])
def test_document_number_is_normalised(raw, expected):
    assert normalize_document_number(raw) == expected


@pytest.mark.parametrize("raw", ["粤府办2020年10号", "〔2020〕10号", "粤府办〔20〕10号", "粤府办〔2020〕10", "粤府办〔2020〕0号"])
def test_bad_document_number_is_refused_with_an_example(raw):
    with pytest.raises(ValidationError) as info:
        normalize_document_number(raw)
    assert "〔" in " ".join(info.value.messages) or "序号" in " ".join(info.value.messages)


def test_saving_an_item_sanitises_and_normalises(county, make_item):
    item = make_item(body='<p>低保</p><script>alert("x")</script><img src=x onerror=alert(1)>',
                     document_number="示民发[2026]3号")
    item.refresh_from_db()
    assert "<script" not in item.body and "onerror" not in item.body
    assert item.document_number == "示民发〔2026〕3号"
    assert "alert" not in item.body_text


def test_video_link_is_never_a_script_url(county, make_item):
    item = make_item()
    item.video_url = "javascript:alert(1)"
    item.save()
    item.refresh_from_db()
    assert item.video_url == ""
