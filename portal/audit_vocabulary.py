"""The event codes of the domain apps' workflow steps, with their Chinese labels.

Why here and not in each app: the services of the apps above the core still call
``portal.audit.record(actor, obj, verb_text, …)`` with a translated sentence. The core turns
that sentence back into a code with this table (per app label, so "提交审核" of an item and of
an annual report stay apart) and stores only the code; the data migration uses the same
table to convert the entries written before codes existed. When the services move to
``record_event(code, …)`` (architecture issue), each app can register its own codes with
:func:`portal.audit.register_events` and this table shrinks.

The labels are the same msgids the apps use, so the English catalog already has them.
Apps on :mod:`portal.workflow` register their codes themselves (``WORKFLOW.register_events``
in ``ready()``: ``annual``, ``requests_app``) and have no section here.
A test (tests/portal/test_audit_events.py) checks every step label of every app maps to its code.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _marked(validity):
    return lazy(lambda: gettext("标注为%(v)s") % {"v": gettext(validity)}, str)()


DOMAIN_EVENTS = {
    "portal": {
        "schedule_load": _("录入年度放假安排"),
        "schedule_update": _("更新年度放假安排"),
        "resend_message": _("重新发送"),
    },
    "catalog": {
        "adopt": _("纳入"),
        "exclude": _("排除"),
        "add_local": _("增加本地事项"),
        "override": _("调整"),
        "import": _("导入"),
        "import_add": _("导入新增"),
        "import_change": _("导入修改"),
        "standard": _("标准目录修订"),
    },
    "disclosure": {
        "create": _("新建草稿"),
        "attach": _("上传附件"),
        "detach": _("删除附件"),
        "sign_off": _("保密审查签发"),
        "submit": _("提交审核"),
        "return": _("退回"),
        "withhold": _("确认不予公开"),
        "publish": _("发布"),
        "publish_scheduled": _("定时发布生效"),
        "schedule": _("定时发布"),
        "begin_revision": _("开始修订"),
        "create_revision": _("新建修订草稿"),
        "publish_revision": _("修订发布"),
        "merge_revision": _("修订已并入原信息"),
        "withdraw": _("撤回"),
        "mark_expired": _marked("失效"),
        "mark_repealed": _marked("废止"),
        "keep_withheld": _("年度复核：继续不予公开"),
        "reassess_publish": _("年度复核：转为主动公开"),
        "migrate_import": _("迁移导入"),
    },
}

# State texts that are no choice of any model field (catalog: an entry not yet adopted).
EXTRA_STATES = {
    "catalog.none": _("未纳入"),
}

# The fields whose choice labels are written as from/to states.
STATE_FIELDS = ("state", "status", "validity")
