import pytest
from django.core.exceptions import ValidationError

from disclosure.text import html_to_text, normalize_document_number, sanitize_body


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<p>低保</p><script>alert(1)</script>", "<script"),
        ('<img src="x.png" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">点我</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">点我</a>', "alert"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style"),
        ('<svg onload="alert(1)"><circle/></svg>', "onload"),
        ('<iframe src="https://evil.example/"></iframe>', "iframe"),
        ('<p onclick="steal()">点</p>', "onclick"),
        ("<style>body{display:none}</style><p>x</p>", "display:none"),
    ],
)
def test_sanitiser_removes_script_vectors(dirty, forbidden):
    clean = sanitize_body(dirty)
    assert forbidden.lower() not in clean.lower()


def test_sanitiser_keeps_ordinary_formatting():
    html = (
        '<h3>一、标准</h3><p><strong>820元</strong></p><table><tr><td colspan="2">合计</td></tr></table>'
        '<a href="https://www.gov.cn/">中国政府网</a>'
    )
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


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("粤府办〔2020〕10号", "粤府办〔2020〕10号"),
        ("粤府办[2020]10号", "粤府办〔2020〕10号"),
        ("粤府办【2020】10号", "粤府办〔2020〕10号"),
        ("粤府办﹝2020﹞010号", "粤府办〔2020〕10号"),
        (" 国办公开办函 〔2019〕 第61号 ", "国办公开办函〔2019〕61号"),
        ("", ""),
    ],
)
def test_document_number_is_normalised(raw, expected):
    assert normalize_document_number(raw) == expected


@pytest.mark.parametrize(
    "raw", ["粤府办2020年10号", "〔2020〕10号", "粤府办〔20〕10号", "粤府办〔2020〕10", "粤府办〔2020〕0号"]
)
def test_bad_document_number_is_refused_with_an_example(raw):
    with pytest.raises(ValidationError) as info:
        normalize_document_number(raw)
    assert "〔" in " ".join(info.value.messages) or "序号" in " ".join(info.value.messages)


def test_saving_an_item_sanitises_and_normalises(county, make_item):
    item = make_item(
        body='<p>低保</p><script>alert("x")</script><img src=x onerror=alert(1)>', document_number="示民发[2026]3号"
    )
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


def test_plain_text_paragraphs_survive_a_single_tag():
    clean = sanitize_body("第一段有<b>加粗</b>的字\n\n第二段\n第二段第二行\n\n第三段")
    assert clean.count("<p>") == 3
    assert "<b>加粗</b>" in clean
    assert "第二段<br>第二段第二行" in clean


def test_typed_paragraphs_around_a_pasted_list_and_table_keep_their_shape():
    clean = sanitize_body("导语\n\n<ul><li>甲<li>乙</ul>\n\n<table><tr><td>合计</td></tr></table>\n\n结尾")
    assert clean.startswith("<p>导语</p><ul><li>甲</li><li>乙</li></ul>")
    assert "<td>合计</td>" in clean and clean.endswith("<p>结尾</p>")


WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta name=Generator content="Microsoft Word 15">
<style><!-- p.MsoNormal {margin:0cm; font-family:宋体;} --></style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->
</head><body lang=ZH-CN style='tab-interval:21.0pt'>
<p class=MsoNormal style='text-indent:2em'><b><span style='font-size:16pt'>一、保障标准</span></b><o:p></o:p></p>
<p class=MsoNormal>城乡低保标准提高到每人每月<b>820元</b>。<o:p></o:p></p>
<ul style='margin-top:0'><li class=MsoNormal>城市低保</li><li class=MsoNormal>农村低保</li></ul>
<table class=MsoTableGrid border=1 cellspacing=0 style='border-collapse:collapse'>
<tr><td width=200 valign=top><p class=MsoNormal>类别</p></td><td width=200><p class=MsoNormal>标准</p></td></tr>
<tr><td><p class=MsoNormal>城市</p></td><td><p class=MsoNormal>820元</p></td></tr>
</table>
<p class=MsoNormal>特此通知。</p>
</body></html>"""


def test_word_paste_keeps_paragraphs_bold_lists_and_tables_without_word_noise():
    clean = sanitize_body(WORD_PASTE)
    assert clean.count("<p>") == 7  # 3 paragraphs + 4 table cells
    assert "<b><span>一、保障标准</span></b>" in clean
    assert "<b>820元</b>" in clean
    assert "<ul><li>城市低保</li><li>农村低保</li></ul>" in clean
    assert "<table>" in clean and "<td><p>城市</p></td>" in clean
    for noise in (
        "MsoNormal",
        "style",
        "font-family",
        "o:p",
        "OfficeDocumentSettings",
        "<html",
        "<body",
        "Generator",
        "class=",
    ):
        assert noise not in clean
    assert html_to_text(clean).splitlines()[:2] == ["一、保障标准", "城乡低保标准提高到每人每月820元。"]


def test_editor_output_is_kept_as_it_is_and_sanitising_twice_changes_nothing():
    editor_html = (
        "<p>第一段</p><p><strong>第二段</strong></p><ol><li><p>一项</p></li></ol>"
        "<table><tbody><tr><th><p>甲</p></th></tr></tbody></table>"
    )
    clean = sanitize_body(editor_html)
    assert clean == editor_html
    plain = sanitize_body("甲\n\n乙 <i>丙</i>")
    assert sanitize_body(plain) == plain


def test_a_body_nested_deeper_than_any_document_is_refused_before_parsing():
    from django.core.exceptions import ValidationError

    from disclosure.text import MAX_NESTING, nesting_depth, validate_body_nesting

    word_like = "<div><table><tr><td><p><b><span>低保</span></b></p></td></tr></table></div>" + "<br>" * 50
    assert nesting_depth(word_like) == 7
    validate_body_nesting(word_like)
    hostile = "<div>" * 200_000 + "x"
    with pytest.raises(ValidationError, match=f"超过{MAX_NESTING}层"):
        validate_body_nesting(hostile)
