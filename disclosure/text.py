"""Text rules of a disclosure item: the safe body HTML and the document number (文号).

Both run on every save of an item, whoever saves it (staff page, admin,
import), so nothing a clerk types reaches a public page unsanitised and every
文号 is stored in one shape.
"""

import html
import re
import unicodedata

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "span",
    "div",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "a",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_TAG_LIKE = re.compile(r"<\s*[a-zA-Z!/]")

# What a pasted Word or web page brings besides its body, dropped with its content.
_NOISE_ELEMENTS = {"script", "style", "title", "xml", "template", "noscript", "object", "svg", "math"}
# Elements that make their own paragraphs (blocks) and those that never close (void).
_BLOCKS = (
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "figure",
    "hr",
)
_BLOCK_TAG = re.compile(r"<(/?)(%s)\b[^>]*?(/?)>" % "|".join(_BLOCKS), re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def _paragraphs(text):
    """Text (that may hold inline tags) as paragraphs: a blank line between, <br> for a line break."""
    paras = [p.strip() for p in _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n"))]
    return "".join("<p>%s</p>" % p.replace("\n", "<br>") for p in paras if _TAGS.sub("", p).strip())


def _with_paragraphs(value):
    """Keep the HTML's own blocks; turn every run of text outside them into paragraphs.

    A clerk's text may mix typed paragraphs with a pasted table, or carry a single
    <b>: the paragraphs around it must survive either way.
    """
    out, pos, depth, outer = [], 0, 0, None
    for match in _BLOCK_TAG.finditer(value):
        closing, name, self_closing = match[1], match[2].lower(), match[3]
        if depth == 0:
            out.append(_paragraphs(value[pos : match.start()]))
            out.append(match[0])
            pos = match.end()
            if not closing and not self_closing and name != "hr":
                depth, outer = 1, name
            continue
        if name == outer and not self_closing:
            depth += -1 if closing else 1
        if depth == 0:
            out.append(value[pos : match.end()])
            pos = match.end()
    tail = value[pos:]
    out.append(tail if depth else _paragraphs(tail))
    return "".join(out)


# How deep a clerk's 正文 may nest its tags. Real documents, Word's included, stay under 20;
# the HTML parser's time grows with the square of the depth (200,000 nested <div> took
# minutes), so a deeper body is refused before it is parsed.
MAX_NESTING = 100
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source", "o:p"}
_ANY_TAG = re.compile(r"<(/?)([a-zA-Z][\w:.-]*)[^>]*?(/?)>")


def nesting_depth(value):
    """The deepest nesting of (non-void) tags in ``value``, in one linear pass."""
    depth = deepest = 0
    for closing, name, self_closing in _ANY_TAG.findall(value or ""):
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def validate_body_nesting(value):
    if nesting_depth(value) > MAX_NESTING:
        raise ValidationError(
            _("正文的格式嵌套超过%(n)s层，无法保存。请删除多余的格式，或粘贴为纯文本后重新排版。"),
            code="too_deep",
            params={"n": MAX_NESTING},
        )


def sanitize_body(value):
    """Clean HTML with nh3, keeping the text's paragraphs.

    Plain text (no tags at all) is escaped and becomes paragraphs; text with tags keeps
    its blocks (paragraphs, lists, tables) and the text between them becomes paragraphs
    too. Scripts, styles, event-handler attributes, inline styles, classes and any URL
    scheme other than http(s)/mailto are dropped.
    """
    value = (value or "").strip()
    if not value:
        return ""
    if not _TAG_LIKE.search(value):
        value = linebreaks(html.escape(value, quote=False))
    else:
        # A first pass parses the HTML as a browser would (comments, Word's conditional
        # blocks, <style>, unknown tags such as <o:p> go; unclosed <li> and <p> are closed),
        # so the paragraph pass below sees well-formed tags only, in linear time.
        value = _with_paragraphs(_clean(value))
    return _clean(value).strip()


def _clean(value):
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        clean_content_tags=_NOISE_ELEMENTS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_BLOCK_END = re.compile(r"</(p|div|li|h[2-6]|tr|blockquote|pre|table)>|<br\s*/?>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(value):
    """Plain text of sanitised body HTML, for search, snippets and feeds."""
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(_TAGS.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


# Issuer abbreviation, year in brackets (〔〕, [], 【】, ﹝﹞, ［］), serial, 号.
_DOC_NUMBER = re.compile(
    r"^(?P<issuer>[\u4e00-\u9fffA-Za-z0-9·]+?)\s*"
    r"[〔\[【﹝［(（]\s*(?P<year>\d{4})\s*[〕\]】﹞］)）]\s*"
    r"第?\s*(?P<serial>\d{1,6})\s*号$"
)


def normalize_document_number(value):
    """Return the 文号 in its display form ``粤府办〔2020〕10号``; '' stays ''.

    Accepts the bracket variants real data uses, a stray 第 and leading
    zeros; raises ValidationError with an example otherwise.
    """
    value = re.sub(r"\s+", "", value or "")
    if not value:
        return ""
    match = _DOC_NUMBER.match(value)
    if not match:
        raise ValidationError(
            _("文号“%(value)s”格式不正确，应为发文机关代字＋〔年份〕＋序号＋号，例如“粤府办〔2020〕10号”。"),
            params={"value": value},
            code="document_number",
        )
    year = int(match["year"])
    if not 1949 <= year <= 2100:
        raise ValidationError(
            _("文号中的年份“%(year)s”不正确。"), params={"year": match["year"]}, code="document_number"
        )
    serial = int(match["serial"])
    if serial == 0:
        raise ValidationError(_("文号中的序号不能为0。"), code="document_number")
    return f"{match['issuer']}〔{year}〕{serial}号"


def validate_document_number(value):
    normalize_document_number(value)


# What a visitor may type: any bracket pair (also ［］（）〖〗 and ASCII), full-width digits, 第, zeros, spaces.
_DOC_NUMBER_QUERY = re.compile(
    r"^(?P<issuer>[^\s\[\]()〔〕【】﹝﹞［］（）〖〗]+?)"
    r"[〔\[【﹝［(（〖](?P<year>\d{4})[〕\]】﹞］)）〗]"
    r"第?(?P<serial>\d{1,6})号$"
)


def document_number_key(value):
    """The lookup key of a 文号, or '' when ``value`` is not one; never raises.

    Every way of writing the same number gives the same key: the brackets
    〔〕 [] 【】 ﹝﹞ ［］ （） () 〖〗, a 第 before the serial, leading zeros,
    full-width digits, spaces, letter case of the issuer. The key is the
    display form (``示民发〔2026〕3号``) with the issuer's letters lower-cased,
    so a stored 文号 and a typed one meet in an index.
    """
    value = unicodedata.normalize("NFKC", "".join(str(value or "").split()))
    if not value or len(value) > 80:
        return ""
    match = _DOC_NUMBER_QUERY.match(value)
    if not match:
        return ""
    year, serial = int(match["year"]), int(match["serial"])
    if not 1949 <= year <= 2100 or serial == 0:
        return ""
    return f"{match['issuer'].lower()}〔{year}〕{serial}号"
