"""Formal notices: their default wording, rendering from editable templates, and PDF.

A notice's text is rendered once, when the step that issues it happens, and
frozen on the :class:`~requests_app.models.Notice` (a later template edit must
not change what was sent). Templates are Django templates over the plain
strings in :data:`PLACEHOLDERS`, rendered by a bare engine with no template
loaders, so an edited template can neither include files nor reach objects.
"""

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import pdf

from .models import NoticeKind, NoticeTemplate

PLACEHOLDERS = {
    "applicant_name": gettext_lazy("申请人姓名或名称"),
    "organization": gettext_lazy("受理机关名称"),
    "organization_address": gettext_lazy("政务公开办公室地址"),
    "organization_phone": gettext_lazy("咨询电话"),
    "tracking_number": gettext_lazy("查询号"),
    "registration_number": gettext_lazy("登记号"),
    "receipt_date": gettext_lazy("收到申请日期"),
    "description": gettext_lazy("申请内容"),
    "form_wanted": gettext_lazy("载体形式"),
    "delivery_method": gettext_lazy("获取方式"),
    "due_date": gettext_lazy("答复期限"),
    "today": gettext_lazy("制发日期"),
    "supplement_items": gettext_lazy("需要补正的事项"),
    "supplement_deadline": gettext_lazy("补正期限"),
    "third_party": gettext_lazy("第三方名称"),
    "third_party_deadline": gettext_lazy("第三方答复期限"),
    "extension_days": gettext_lazy("延长工作日数"),
    "extension_reason": gettext_lazy("延期理由"),
    "original_due_date": gettext_lazy("原答复期限"),
    "fee_basis": gettext_lazy("收费标准"),
    "fee_amount": gettext_lazy("收费金额"),
    "fee_detail": gettext_lazy("计费说明"),
    "fee_deadline": gettext_lazy("缴费期限"),
    "outcome": gettext_lazy("办理结果"),
    "decision": gettext_lazy("答复内容"),
    "legal_basis": gettext_lazy("法律依据"),
    "reconsideration_body": gettext_lazy("行政复议机关"),
    "court": gettext_lazy("管辖人民法院"),
    "termination_reason": gettext_lazy("终止处理理由"),
}

_REMEDIES = (
    "如对本{kind}不服，可以自收到本{kind}之日起六十日内向{{{{ reconsideration_body }}}}申请行政复议，"
    "或者自收到本{kind}之日起六个月内向{{{{ court }}}}提起行政诉讼。"
)

DEFAULT_TEMPLATES = {
    NoticeKind.ACKNOWLEDGEMENT: (
        "政府信息公开申请受理回执",
        "{{ applicant_name }}：\n\n"
        "本机关已于{{ receipt_date }}收到您（单位）提出的政府信息公开申请，登记号为{{ registration_number }}，"
        "查询号为{{ tracking_number }}。申请内容：{{ description }}。\n\n"
        "依照《中华人民共和国政府信息公开条例》第三十三条，本机关将于{{ due_date }}前作出答复"
        "（不含依法不计算在答复期限内的时间）。您可以凭查询号和查询码在本机关政务公开网站查询办理进度。\n\n"
        "{% if organization_address %}联系地址：{{ organization_address }}　{% endif %}"
        "{% if organization_phone %}咨询电话：{{ organization_phone }}{% endif %}",
    ),
    NoticeKind.SUPPLEMENT: (
        "政府信息公开申请补正告知书",
        "{{ applicant_name }}：\n\n"
        "本机关于{{ receipt_date }}收到您（单位）提出的政府信息公开申请（登记号：{{ registration_number }}）。"
        "经审查，您的申请内容不够明确，依照《中华人民共和国政府信息公开条例》第三十条，请您对以下事项作出补正：\n\n"
        "{{ supplement_items }}\n\n"
        "请于{{ supplement_deadline }}前提交补正材料（可凭查询号和查询码在线补正）。答复期限自本机关收到补正后的"
        "申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
    ),
    NoticeKind.THIRD_PARTY: (
        "征求第三方意见书",
        "{{ third_party }}：\n\n"
        "本机关收到一份政府信息公开申请（登记号：{{ registration_number }}），申请公开的信息可能涉及贵方合法权益。"
        "依照《中华人民共和国政府信息公开条例》第三十二条，现书面征求贵方意见。\n\n"
        "请于{{ third_party_deadline }}前（自收到本意见书之日起15个工作日内）提出意见。逾期未提出意见的，由本机关"
        "依照《条例》的规定决定是否公开；贵方不同意公开且有合理理由的，本机关不予公开，但不公开可能对公共利益造成"
        "重大影响的，可以决定予以公开，并将决定公开的内容和理由书面告知贵方。",
    ),
    NoticeKind.EXTENSION: (
        "政府信息公开申请延期答复告知书",
        "{{ applicant_name }}：\n\n"
        "本机关于{{ receipt_date }}收到您（单位）提出的政府信息公开申请（登记号：{{ registration_number }}）。"
        "因{{ extension_reason }}，不能在{{ original_due_date }}前作出答复。经本机关政府信息公开工作机构负责人同意，"
        "依照《中华人民共和国政府信息公开条例》第三十三条第二款，答复期限延长{{ extension_days }}个工作日，"
        "本机关将于{{ due_date }}前作出答复。",
    ),
    NoticeKind.FEE: (
        "政府信息公开信息处理费收费通知书",
        "{{ applicant_name }}：\n\n"
        "本机关于{{ receipt_date }}收到您（单位）提出的政府信息公开申请（登记号：{{ registration_number }}）。"
        "依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本申请按{{ fee_basis }}收取信息处理费"
        "{{ fee_amount }}元（{{ fee_detail }}）。\n\n"
        "请于{{ fee_deadline }}前缴纳。自发出本通知之日起至您缴纳费用之日止的期间，不计算在答复期限内；"
        "逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
    ),
    NoticeKind.REPLY: (
        "政府信息公开申请答复告知书",
        "{{ applicant_name }}：\n\n"
        "本机关于{{ receipt_date }}收到您（单位）提出的政府信息公开申请（登记号：{{ registration_number }}），"
        "申请获取：{{ description }}。\n\n"
        "经审查，现答复如下：\n{{ decision }}\n\n"
        "办理结果：{{ outcome }}\n"
        "法律依据：{{ legal_basis }}\n\n" + _REMEDIES.format(kind="答复"),
    ),
    NoticeKind.TERMINATION: (
        "政府信息公开申请终止处理告知书",
        "{{ applicant_name }}：\n\n"
        "本机关于{{ receipt_date }}收到您（单位）提出的政府信息公开申请（登记号：{{ registration_number }}）。"
        "{{ termination_reason }}\n\n" + _REMEDIES.format(kind="告知书"),
    ),
}

_ENGINE = Engine(loaders=[], autoescape=False, libraries={}, builtins=None)


# Tags an administrator may use in a notice template: logic over the placeholders only.
# Everything else is refused — {% debug %} prints every value (ID numbers, phones) and the
# server's modules, {% load %} brings in arbitrary tag libraries, {% include %}/{% extends %}
# read other templates, {% csrf_token %}/{% url %} have no meaning in a letter.
ALLOWED_TAGS = frozenset(
    {
        "if",
        "elif",
        "else",
        "endif",
        "for",
        "empty",
        "endfor",
        "with",
        "endwith",
        "firstof",
        "cycle",
        "resetcycle",
        "ifchanged",
        "endifchanged",
        "comment",
        "endcomment",
        "spaceless",
        "endspaceless",
        "filter",
        "endfilter",
        "now",
        "templatetag",
        "verbatim",
        "endverbatim",
        "widthratio",
        "regroup",
    }
)


def _refused_tags(body):
    from django.template.base import Lexer, TokenType

    refused = []
    for token in Lexer(body or "").tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.contents.split()
            name = bits[0] if bits else ""
            if name not in ALLOWED_TAGS:
                refused.append(name)
    return refused


def validate_template_body(body):
    refused = _refused_tags(body)
    if refused:
        raise ValidationError(
            _("模板中不允许使用标签：%(tags)s。只能使用占位符和 if、for、with 等逻辑标签。")
            % {"tags": "、".join(sorted(set(refused)))}
        )
    try:
        _ENGINE.from_string(body or "")
    except TemplateSyntaxError as exc:
        raise ValidationError(_("模板格式有误：%(error)s") % {"error": exc}) from exc


def template_for(kind, organization):
    """The organisation's own template of a kind, else the shared one, else the built-in default."""
    chain = []
    if organization is not None:
        chain = [organization.pk] + list(organization.get_ancestors(ascending=True).values_list("pk", flat=True))
    stored = {t.organization_id: t for t in NoticeTemplate.objects.filter(kind=kind)}
    for pk in chain + [None]:
        if pk in stored:
            return stored[pk].title, stored[pk].body
    return DEFAULT_TEMPLATES[kind]


def render(kind, organization, values):
    title, body = template_for(kind, organization)
    if _refused_tags(body):
        # Stored before the allow-list existed (or written to the database directly).
        title, body = DEFAULT_TEMPLATES[kind]
    context = {name: "" for name in PLACEHOLDERS}
    context.update({k: "" if v is None else str(v) for k, v in values.items()})
    # The templates end the applicant's text with their own 。: "…审批程序文件。。" otherwise.
    context["description"] = context["description"].strip().rstrip("。．.")
    try:
        text = _ENGINE.from_string(body).render(Context(context, autoescape=False))
    except TemplateSyntaxError:
        # A broken stored template must never stop a statutory notice: fall back to the default.
        title, body = DEFAULT_TEMPLATES[kind]
        text = _ENGINE.from_string(body).render(Context(context, autoescape=False))
    return title, text.strip()


def seed_templates(template_model=NoticeTemplate):
    """Create the shared template of every kind that has none yet (data migration and demo)."""
    created = 0
    for kind, (title, body) in DEFAULT_TEMPLATES.items():
        _obj, new = template_model.objects.get_or_create(
            organization=None, kind=kind, defaults={"title": title, "body": body}
        )
        created += new
    return created


# --- PDF --------------------------------------------------------------------

PDF_FONT_PACKAGE = pdf.FONT_PACKAGE


def pdf_unavailable_reason():
    """Why a PDF cannot be made here (:func:`portal.pdf.unavailable_reason`), or ''."""
    return pdf.unavailable_reason()


def _stylesheet():
    from django.contrib.staticfiles import finders

    with open(finders.find("requests_app/notice_pdf.css"), encoding="utf-8") as handle:
        return handle.read()


def render_pdf(html, stylesheet=None):
    return pdf.render(html, stylesheet if stylesheet is not None else _stylesheet())


def stored_pdf(notice):
    """An open file of the notice's PDF in the private store, rendered there on first need.

    A notice's text is frozen when issued, so its PDF is made once and then
    streamed by whichever server is asked; the file is named by a digest of
    the HTML and stylesheet, so a changed rendering gets a new file. Raises
    RuntimeError naming the missing Debian package when no PDF can be made.
    """
    from django.template.loader import render_to_string

    from portal import storage

    html = render_to_string("requests_app/notice_pdf.html", {"notice": notice, "req": notice.request})
    stylesheet = _stylesheet()
    key = f"{html}\n/* css */\n{stylesheet}"

    def build():
        return render_pdf(html, stylesheet)

    return storage.rendered(storage.PRIVATE, _pdf_folder(notice), key, "pdf", build)


def _pdf_folder(notice):
    return f"notices/{notice.request_id}/{notice.pk}"
