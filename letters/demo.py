"""Demo letters in several mailboxes, for ``make run`` (writers, phones and events all invented).

Answered letters (three of them published and rated) sit some weeks back; open ones are
placed relative to today, so the queue always shows one overdue, one due soon and one new
letter. Every step goes through the services on the day it happened. Each letter has the
fixed tracking number ``XX00000000NN`` and the query code ``DEMO-LETTER-00NN``, printed by
``load_demo``. Running this again changes nothing.
"""

import contextlib

from portal.demo import demo_code
from portal.models import Organization, User
from portal.workdays import WorkingCalendar
from requests_app import access

from . import clock, services
from .models import Letter, ReplyDeadline

REPLIES = {
    1: "县交通运输部门已完成线路踏勘，计划下季度在东片增设两处站点。感谢您的建议。",
    2: ("请携带老人身份证、户口簿和银行卡到户籍所在地乡镇（街道）便民服务中心申请，审核通过后次月起发放。"),
    3: "经现场核查，该工地已被责令停止夜间施工，如再发现可拨打镇综合执法队电话反映。",
}

# n, organisation code body, kind, title, body, writer, phone, consent, received (working days ago),
# what happened: ("answer", days after, reply, publish, rating) | ("accept",) | ("new",) | ("reject", reason)
LETTERS = [
    (1, "D0000001", "suggest", "建议在城关镇东片增设公交站点",
     "东片新建小区住户较多，最近的公交站步行要二十分钟，建议增设站点。我的电话00005559001。",
     "王示例", "00005559001", True, 30, ("answer", 6, REPLIES[1], True, "satisfied")),
    (2, "D0000002", "consult", "高龄津贴如何申领",
     "家中老人今年满八十周岁，请问高龄津贴需要准备哪些材料、到哪里办理？",
     "赵演示", "00005559002", True, 25, ("answer", 3, REPLIES[2], True, "basic")),
    (3, "D0000005", "complain", "夜间施工噪音扰民",
     "城关镇示例路某工地连续一周夜间十一点后仍在施工，严重影响休息。",
     "刘示范", "00005559003", True, 20, ("answer", 9, REPLIES[3], True, "unsatisfied")),
    (4, "D0000006", "suggest", "建议维修村道路灯",
     "河西乡柳树村村道路灯多处损坏，晚上出行不便。",
     "陈样例", "00005559004", False, 15, ("answer", 4, "已安排对村道路灯进行检修，预计两周内完成。", False, "")),
    (5, "D0000001", "help", "独居老人冬季取暖困难",
     "我是独居老人，家中取暖设备老旧，今年冬天取暖有困难，希望得到帮助。",
     "孙虚构", "00005559005", True, 9, ("accept",)),
    (6, "D0000004", "complain", "宅基地确权登记迟迟未办",
     "去年提交的宅基地确权登记材料至今没有结果，多次询问没有答复。",
     "周假名", "00005559006", False, 14, ("accept",)),
    (7, "D0000002", "consult", "临时救助需要哪些材料",
     "家里突发变故，想了解临时救助的申请条件和材料。",
     "吴示例", "00005559007", True, 0, ("new",)),
    (8, "D0000001", "other", "推广信息",
     "低价代办各类证件，联系00005559999。",
     "某某", "00005559008", False, 5, ("reject", "spam", "来信内容为商业广告，与政务事项无关，不予受理。")),
]  # fmt: skip


def demo_query_code(n):
    return f"DEMO-LETTER-{n:04d}"


@contextlib.contextmanager
def _on(day):
    """Run the services as on ``day`` (the demo's past events)."""
    original = clock.today
    clock.today = lambda: day
    try:
        yield
    finally:
        clock.today = original


def _officer(org):
    """An officer who handles letters in ``org`` or above it."""
    for user in User.objects.filter(is_active=True, organization__in=org.get_ancestors(include_self=True)).order_by(
        "-organization__level", "username"
    ):
        if user.has_perm(services.HANDLE):
            return user
    return User.objects.filter(is_superuser=True).first()


def _reviewer(org):
    for user in User.objects.filter(is_active=True, organization__in=org.get_ancestors(include_self=True)).order_by(
        "-organization__level", "username"
    ):
        if user.has_perm(services.PUBLISH):
            return user
    return User.objects.filter(is_superuser=True).first()


def load(stdout):
    orgs = {o.code: o for o in Organization.objects.filter(code__in=[demo_code(b) for b in {x[1] for x in LETTERS}])}
    if len(orgs) < len({x[1] for x in LETTERS}):
        stdout.write("来信演示：没有示范县，跳过")
        return None
    county = orgs[demo_code("D0000001")]
    # The 县长信箱 answers complaints within 15 working days (a per-kind setting, as an example).
    ReplyDeadline.objects.get_or_create(organization=county, kind="complain", defaults={"working_days": 15})
    calendar = WorkingCalendar()
    today = clock.today()
    made = 0
    for n, body_code, kind, title, body, name, phone, consent, ago, outcome in LETTERS:
        number = f"XX{n:010d}"
        if Letter.objects.filter(tracking_number=number).exists():
            continue
        org = orgs[demo_code(body_code)]
        received = calendar.add_working_days(today, -ago) if ago else today
        with _on(received):
            letter, _code = services.submit(
                organization=org, kind=kind, title=title, body=body, name=name, phone=phone, publish_consent=consent
            )
        Letter.objects.filter(pk=letter.pk).update(
            tracking_number=number, query_code_hash=access.hash_query_code(demo_query_code(n))
        )
        letter.refresh_from_db()
        officer = _officer(org)
        if outcome[0] in ("answer", "accept"):
            with _on(received):
                letter = services.accept(officer, letter)
        if outcome[0] == "answer":
            _verb, after, reply, publish, rating = outcome
            with _on(calendar.add_working_days(received, after)):
                letter = services.reply(officer, letter, text=reply)
                if publish:
                    letter = services.publish(_reviewer(org), letter)
                if rating:
                    services.rate(letter, rating)
        elif outcome[0] == "reject":
            with _on(received):
                services.reject(officer, letter, category=outcome[1], reason=outcome[2])
        made += 1
    stdout.write(f"来信演示：新增 {made} 封来信；查询示例：XX0000000001 / {demo_query_code(1)}")
    return None
