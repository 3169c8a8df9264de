"""The event codes of the domain apps' workflow steps, with their Chinese labels.

Why here and not in each app: the services of the apps above the core still call
``portal.audit.record(actor, obj, verb_text, …)`` with a translated sentence. The core turns
that sentence back into a code with this table (per app label, so "提交审核" of an item and of
an annual report stay apart) and stores only the code; the data migration uses the same
table to convert the entries written before codes existed. Apps on :mod:`portal.workflow`
(annual, disclosure, requests_app and the interaction apps) register their codes themselves
(``WORKFLOW.register_events`` in ``ready()``) and have no section here.

The labels are the same msgids the apps use, so the English catalog already has them.
A test (tests/portal/test_audit_events.py) checks every step label of every app maps to its code.
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
}

# State texts that are no choice of any model field (catalog: an entry not yet adopted).
EXTRA_STATES = {
    "catalog.none": _("未纳入"),
}

# The fields whose choice labels are written as from/to states.
STATE_FIELDS = ("state", "status", "validity")
