"""The demo county's error reports (invented), one in each state, for ``make run``.

Reports are received on working days before today (the clock set for each), so the queue
shows one overdue, one due soon and two answered. Running it again changes nothing.
"""

import contextlib

from django.urls import reverse

from disclosure.models import DisclosureItem
from portal import places
from portal.models import Organization, User
from portal.workdays import WorkingCalendar
from requests_app import clock

from . import services
from .models import ErrorReport

MARK = "（演示）"


@contextlib.contextmanager
def _on(day):
    original = clock.today
    clock.today = lambda: day
    try:
        yield
    finally:
        clock.today = original


def load(stdout):
    if ErrorReport.objects.filter(description__endswith=MARK).exists():
        return None
    admin = User.objects.filter(username="gk_admin").first()
    clerk = User.objects.filter(username="clerk").first()
    hexi = Organization.objects.filter(short_name="河西乡").first()
    policy = DisclosureItem.objects.public().filter(organization__short_name="县民政局").order_by("pk").first()
    if admin is None or clerk is None or hexi is None or policy is None:
        return None
    today = clock.today()
    calendar = WorkingCalendar()

    def back(n):
        return calendar.add_working_days(today, -n)

    item_url = reverse("disclosure:item", args=[policy.pk])
    with _on(back(8)):
        services.submit(page_url="/", kind="broken", description="首页“办事指南”链接打不开。" + MARK)  # overdue
    with _on(back(4)):
        report = services.submit(
            page_url=item_url, kind="typo", description="正文第二段“低保金”写成了“底保金”。" + MARK, name="示例网友"
        )
        services.accept(clerk, report)
    with _on(back(6)):
        report = services.submit(
            page_url=places.url("guide"), kind="outdated", description="指南中的咨询电话已经变更。" + MARK
        )
    with _on(back(3)):
        services.fix(admin, report, answer="已核实并更新咨询电话，感谢您的指正。")
    with _on(back(2)):
        report = services.submit(
            page_url=reverse("disclosure:organization", args=[hexi.pk]),
            kind="wrong",
            description="河西乡的办公时间好像不对。" + MARK,
        )
    with _on(back(1)):
        services.dismiss(admin, report, answer="经核实，河西乡办公时间无误（夏季作息）。")
    stdout.write("我要纠错：4 条")
    return None
