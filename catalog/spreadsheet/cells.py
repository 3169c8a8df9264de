"""The vocabulary of the cells: names with codes, ticks, channels, audiences, methods, levels, 五公开."""

import re

from django.utils.translation import gettext as _

from ..models import Channel, FiveDisclosures

# --------------------------------------------------------------------------- normalising cells

_LINE_BREAK = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000]*")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f（）《》“”、，。；：]")


def join_broken(text):
    """Undo line feeds typed into the middle of a word: "政策\\n法规\\n文件" → 政策法规文件.

    Between two Latin letters or digits the break becomes a space, anywhere
    else (Chinese text) it disappears.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" not in text:
        return re.sub(r"\s+", " ", text)

    def glue(match):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return "" if _WIDE.match(before) or _WIDE.match(after) else " "

    return re.sub(r"[ \t\u3000]+", " ", _LINE_BREAK.sub(glue, text)).strip()


def clean_block(text):
    """Multi-line text (content elements, legal basis): keep the lines, trim each."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def _header(text):
    """Header cells compared without spaces, line feeds or bracket styles."""
    text = re.sub(r"\s+", "", text or "")
    return text.translate(str.maketrans({"(": "（", ")": "）", "[": "〔", "]": "〕", "【": "〔", "】": "〕"}))


_CODE = re.compile(r"^(.*?\D)\s*(\d{6,20})$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])\s*")


def split_code(text):
    """ "最低生活保障120002000" → ("最低生活保障", "120002000"); names without a code unchanged."""
    match = _CODE.match(text)
    if match:
        return match.group(1).strip(), match.group(2)
    return text, ""


def with_code(name, code):
    return f"{name}{code}" if code else name


def strip_numbering(text):
    """ "一、社会救助" → 社会救助, for section rows that name a domain."""
    return _NUMBERING.sub("", text or "").strip()


TICK = "√"
_TRUE_TICKS = {"√", "✓", "✔", "☑", "■", "●", "是", "Y", "y", "YES", "yes", "Yes", "TRUE", "True", "true"}
_FALSE_TICKS = {"", "否", "×", "✗", "✕", "□", "☐", "○", "-", "—", "－", "/", "／", "无", "FALSE", "False", "false"}


# Channel names in the fixed vocabulary, plus the shorter forms tables use.
_CHANNEL_NAMES = {str(label): value for value, label in Channel.choices}
_CHANNEL_NAMES.update(
    {
        "政府门户网站": Channel.WEBSITE,
        "门户网站": Channel.WEBSITE,
        "政务新媒体": Channel.SOCIAL,
        "发布会": Channel.CONFERENCE,
        "新闻发布会": Channel.CONFERENCE,
        "听证会": Channel.CONFERENCE,
        "发布会、听证会": Channel.CONFERENCE,
        "广播": Channel.BROADCAST,
        "电视": Channel.BROADCAST,
        "查阅点": Channel.READING_POINT,
        "政务服务大厅": Channel.SERVICE_CENTER,
        "便民服务中心": Channel.SERVICE_STATION,
        "入户": Channel.DOOR_TO_DOOR,
        "现场": Channel.DOOR_TO_DOOR,
        "社区/企事业单位/村公示栏": Channel.NOTICE_BOARD,
        "公示栏（电子屏）": Channel.NOTICE_BOARD,
        "公示栏": Channel.NOTICE_BOARD,
        "村务公开栏": Channel.NOTICE_BOARD,
        "电子屏": Channel.NOTICE_BOARD,
        "其它": Channel.OTHER,
        # Written this way in most published tables (issue 13): the 、 is part of the name, not a separator.
        "社区/企事业单位、村公示栏（电子屏）": Channel.NOTICE_BOARD,
        "社区/企事业单位、村公示栏": Channel.NOTICE_BOARD,
        "部门网站": Channel.WEBSITE,
        "区政府门户网站": Channel.WEBSITE,
        "县政府门户网站": Channel.WEBSITE,
        "政府信息公开专栏": Channel.WEBSITE,
        "管理部门网站": Channel.WEBSITE,
        # Domain platforms some guidelines add to the list (重大建设项目, 公共资源交易): "其他" in the vocabulary.
        "投资项目在线审批监管平台": Channel.OTHER,
        "公共资源交易平台": Channel.OTHER,
        "信用中国网站": Channel.OTHER,
        "招投标公共服务平台": Channel.OTHER,
        "招标投标公共服务平台": Channel.OTHER,
        "全国公共资源交易平台": Channel.OTHER,
        "省网上办事大厅": Channel.OTHER,
        "党群服务中心": Channel.OTHER,
        "政务服务网": Channel.OTHER,
        "山东政务服务网": Channel.OTHER,
        "政府服务中心": Channel.SERVICE_CENTER,
        "嘎查（社区）公示栏": Channel.NOTICE_BOARD,
        "村（社区）公示栏": Channel.NOTICE_BOARD,
        "广播电台": Channel.BROADCAST,
        "入户/现场宣传": Channel.DOOR_TO_DOOR,
        "纸质载体": Channel.PRINT,
        "社区/企事业单位/存公示栏（电子屏）": Channel.NOTICE_BOARD,  # 存 for 村: a slip in a published table
    }
)
_CHANNEL_KEYS = sorted(((_header(k), v) for k, v in _CHANNEL_NAMES.items()), key=lambda kv: -len(kv[0]))
_ON_MARKS = "■☑√✓✔●▄"
# 口 (the character) is typed for □ in many published tables; no channel name starts with it.
_OFF_MARKS = "□☐○口"
_CHANNEL_SEPARATORS = "、，,;；。 /／"
_NOTE = re.compile(r"(?:注|备注|说明)[：:]")


class CellProblem(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def parse_tick(text, own_label=""):
    value = re.sub(r"\s+", "", text or "")
    if value in _TRUE_TICKS or (own_label and value == own_label):
        return True
    if value in _FALSE_TICKS:
        return False
    raise CellProblem(_("无法识别的勾选标记“%(value)s”，请用 √、■、●、“是”或留空") % {"value": text.strip()})


def parse_channels(text):
    """ "■政府网站 □政府公报 ■两微一端" or "政府网站、两微一端" → [website, social].

    With ■/□ marks, only the marked names count; a plain list names the ticked ones.
    """
    source = _header(join_broken(text))
    chosen = set()
    i = 0
    while i < len(source):
        char = source[i]
        if _NOTE.match(source, i):
            break  # "注：有关公开信息可推送…": a remark under the ticks, not a channel
        if char in _CHANNEL_SEPARATORS:
            i += 1
            continue
        ticked = True
        if char in _ON_MARKS or char in _OFF_MARKS:
            ticked = char in _ON_MARKS
            i += 1
            if i >= len(source):
                break
        for key, value in _CHANNEL_KEYS:
            if source.startswith(key, i):
                i += len(key)
                if value == Channel.OTHER and i < len(source) and source[i] in "（(：:":
                    # 其他（乡镇公众号）: the note belongs to 其他.
                    close = source.find("）", i)
                    i = len(source) if close < 0 else close + 1
                elif value == Channel.OTHER:
                    # 其他法律服务网: the name of the other channel belongs to 其他 too.
                    while (
                        i < len(source)
                        and source[i] not in _CHANNEL_SEPARATORS + _ON_MARKS + _OFF_MARKS
                        and not _NOTE.match(source, i)
                    ):
                        i += 1
                if ticked:
                    chosen.add(value)
                break
        else:
            rest = re.split(f"[{re.escape(_CHANNEL_SEPARATORS + _ON_MARKS + _OFF_MARKS)}]", source[i:])[0]
            raise CellProblem(
                _("无法识别的公开渠道“%(name)s”；可用的渠道：%(names)s")
                % {"name": rest or source[i:], "names": "、".join(str(label) for label in Channel.labels)}
            )
    return [value for value in Channel.values if value in chosen]


def format_channels(values):
    """All thirteen channels, ■ ticked and □ not, as published tables show them."""
    chosen = set(values or [])
    return " ".join(("■" if value in chosen else "□") + str(label) for value, label in Channel.choices)


def parse_audience_text(text):
    value = _header(text)
    if not value:
        return {"audience_public": False, "audience_specific": False}
    public = "全社会" in value or "社会公众" in value
    specific = any(word in value for word in ("特定群体", "特定群众", "特定对象"))
    if not (public or specific):
        raise CellProblem(_("无法识别的公开对象“%(value)s”，应为“全社会”或“特定群体”") % {"value": text.strip()})
    return {"audience_public": public, "audience_specific": specific}


def parse_method_text(text):
    value = _header(text)
    if not value:
        return {"proactive": False, "on_request": False}
    on_request = "依申请" in value
    proactive = "主动" in value
    if not (proactive or on_request):
        raise CellProblem(_("无法识别的公开方式“%(value)s”，应为“主动”或“依申请”") % {"value": text.strip()})
    return {"proactive": proactive, "on_request": on_request}


def _level_of(word):
    """Which catalog level a header or cell names: {"county", "township"}, empty for 市级/省级."""
    found = set()
    if "县" in word or "区级" in word.replace("社区", ""):
        found.add("county")
    if any(part in word for part in ("乡", "镇", "村", "街道", "社区")):
        found.add("township")
    return found


def parse_level_text(text):
    value = _header(text)
    if not value:
        return {"level_county": False, "level_township": False}
    levels = _level_of(value)
    if not levels and not any(word in value for word in ("市", "省")):
        raise CellProblem(_("无法识别的公开层级“%(value)s”，应为“县级”“乡级”或两者") % {"value": text.strip()})
    return {"level_county": "county" in levels, "level_township": "township" in levels}


_FIVE = {}
for _value, _label in FiveDisclosures.choices:
    _FIVE[str(_label)] = _value
    _FIVE[str(_label).removesuffix("公开")] = _value


def parse_five(text):
    value = _header(text)
    if not value:
        return ""
    if value in _FIVE:
        return _FIVE[value]
    raise CellProblem(
        _("无法识别的五公开类别“%(value)s”，应为%(names)s之一")
        % {"value": text.strip(), "names": "、".join(str(label) for label in FiveDisclosures.labels)}
    )
