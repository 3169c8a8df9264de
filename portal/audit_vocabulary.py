"""The event codes of the domain apps' workflow steps, with their Chinese labels.

Why here and not in each app: the services of the apps above the core still call
``portal.audit.record(actor, obj, verb_text, …)`` with a translated sentence. The core turns
that sentence back into a code with this table (per app label, so "提交审核" of an item and of
an annual report stay apart) and stores only the code; the data migration uses the same
table to convert the entries written before codes existed. An app whose services have
moved onto :mod:`portal.workflow` (annual, disclosure) registers its own codes from its
``AppConfig.ready()`` with ``WORKFLOW.register_events`` and leaves this table.

The labels are the same msgids the apps use, so the English catalog already has them.
A test (tests/portal/test_audit_codes.py) checks every step label of every app maps here.
"""

from django.utils.translation import gettext_lazy as _

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
    "requests_app": {
        "submit": _("在线提交"),
        "intake": _("登记纸质申请"),
        "register": _("登记"),
        "begin_review": _("开始审核"),
        "request_supplement": _("告知补正"),
        "supplement": _("收到补正"),
        "close_unsupplemented": _("逾期未补正，终止处理"),
        "accept": _("审核通过，转入办理"),
        "assign_handler": _("指定办理人"),
        "start_consultation": _("征求意见"),
        "end_consultation": _("收到意见，恢复计时"),
        "request_extension": _("申请延期"),
        "approve_extension": _("批准延期"),
        "reject_extension": _("不批准延期"),
        "issue_fee_notice": _("发出收费通知"),
        "record_fee_payment": _("收到缴费，恢复计时"),
        "close_unpaid": _("逾期未缴费，终止处理"),
        "reply": _("答复"),
        "withdraw": _("撤回申请"),
        "archive": _("归档"),
        "deliver_notice": _("登记送达"),
        "add_note": _("添加备注"),
        "attach_file": _("上传材料"),
        "make_disclosure_draft": _("转为主动公开草稿"),
        "issue_notice": _("制发文书"),
        "view_personal_data": _("查看申请人完整信息"),
        "export_register": _("导出依申请公开登记台账"),
    },
}

# State texts that are no choice of any model field (catalog: an entry not yet adopted).
EXTRA_STATES = {
    "catalog.none": _("未纳入"),
}

# The fields whose choice labels are written as from/to states.
STATE_FIELDS = ("state", "status", "validity")
