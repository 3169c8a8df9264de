"""The demo county's consultations (everything invented), for ``make run``.

One open consultation of 城关镇 with moderated and waiting comments, and one closed consultation
of the civil affairs bureau whose feedback is published and which links to its final policy, the
bureau's 低保 notice (a disclosure item of the disclosure demo). The closed one's steps are taken
on the dates they happened (the clock is set for each), so its period and feedback are real.
Running it again changes nothing.
"""

import contextlib
import datetime as dt

from disclosure.models import DisclosureItem
from portal.models import Organization, User
from requests_app import clock

from . import services
from .models import Consultation

OPEN_TITLE = "示范县城关镇农村人居环境整治三年行动实施方案（征求意见稿）"
CLOSED_TITLE = "示范县民政局关于调整城乡居民最低生活保障标准的通知（征求意见稿）"
FINAL_POLICY = "示范县民政局关于调整城乡居民最低生活保障标准的通知"

OPEN_DRAFT = """第一章 总则
第一条 为改善城关镇农村人居环境，建设美丽宜居乡村，制定本方案。
第二条 本方案适用于城关镇所辖各村（社区）。
第二章 主要任务
第三条 推进农村生活垃圾分类，每个村设置不少于两处分类收集点。
第四条 推进农村厕所改造，2028年底前基本完成。
第五条 开展村庄清洁行动，每月组织一次集中清理。
第三章 保障措施
第六条 镇财政每年安排专项资金，用于人居环境整治。
第七条 本方案自印发之日起施行。"""

CLOSED_DRAFT = """第一条 为保障城乡低保对象基本生活，调整我县城乡居民最低生活保障标准。
第二条 城市低保标准由每人每月780元提高到820元。
第三条 农村低保标准由每人每月620元提高到660元。
第四条 本通知自2026年1月1日起执行。"""


@contextlib.contextmanager
def _on(day):
    """Take the steps as on ``day``: the services read the portal's clock."""
    original = clock.today
    clock.today = lambda: day
    try:
        yield
    finally:
        clock.today = original


def load(stdout):
    orgs = {o.short_name: o for o in Organization.objects.all()}
    clerk = User.objects.filter(username="clerk").first()
    # The county's administrator acts for 城关镇 here: the township's own demo accounts start with
    # no history (tests/portal/test_permissions.py reads their audit entries as an attacker's).
    county_admin = User.objects.filter(username="gk_admin").first()
    if clerk is None or county_admin is None or "城关镇" not in orgs:
        return None
    made = 0
    today = clock.today()
    if not Consultation.objects.filter(title=OPEN_TITLE).exists():
        consultation = services.create(
            county_admin,
            orgs["城关镇"],
            title=OPEN_TITLE,
            draft_text=OPEN_DRAFT,
            explanation="为落实县委、县政府关于农村人居环境整治的部署，镇政府起草了本方案，现公开征求社会公众意见。",
            starts_on=today - dt.timedelta(days=10),
            ends_on=today + dt.timedelta(days=25),
            accepts_online=True,
            email="cgz-yjzj@example.invalid",
            postal_address="示范县城关镇示范大道5号城关镇党政办公室（虚构地址），邮编999001",
        )
        consultation = services.publish(county_admin, consultation)
        comments = [
            ("第三条", "建议分类收集点设在村民小组附近，方便老人投放。", "周示例", "00005551001", "approve"),
            ("第四条", "厕所改造希望给予农户补助，并公开补助标准。", "吴演示", "", "approve"),
            ("", "整体赞成，建议增加村民监督的内容。", "", "", "approve"),
            ("第五条", "每月一次清理偏少，夏季建议每两周一次。", "郑示例", "00005551004", None),
            ("", "广告链接（示例垃圾留言）", "", "", "reject"),
        ]
        for section, body, name, contact, verdict in comments:
            comment = services.submit_comment(consultation, body=body, section=section, name=name, contact=contact)
            if verdict == "approve":
                services.approve_comment(county_admin, comment)
            elif verdict == "reject":
                services.reject_comment(county_admin, comment)
        made += 1
    if not Consultation.objects.filter(title=CLOSED_TITLE).exists():
        with _on(dt.date(2025, 11, 10)):
            consultation = services.create(
                clerk,
                orgs["县民政局"],
                title=CLOSED_TITLE,
                draft_text=CLOSED_DRAFT,
                explanation="根据上年度城乡居民人均消费支出增长情况，拟提高城乡低保标准。",
                starts_on=dt.date(2025, 11, 10),
                ends_on=dt.date(2025, 12, 9),
                accepts_online=True,
                email="mzj-yjzj@example.invalid",
            )
            consultation = services.publish(clerk, consultation)
        with _on(dt.date(2025, 11, 20)):
            for section, body in [
                ("第三条", "农村低保标准提高幅度偏小，建议提高到680元。"),
                ("第二条", "建议公开测算依据。"),
                ("", "赞成调整，希望按时足额发放。"),
            ]:
                comment = services.submit_comment(consultation, body=body, section=section, name="示例网友")
                services.approve_comment(clerk, comment)
        with _on(dt.date(2025, 12, 16)):
            services.record_feedback(
                clerk,
                consultation,
                offline_count=1,
                adopted_count=2,
                summary="征求意见期间共收到意见4条（网上留言3条、电子邮件1条），采纳2条。",
                groups=[
                    {
                        "summary": "建议公开标准的测算依据",
                        "count": 2,
                        "adoption": "adopted",
                        "reason": "已在政策解读中说明测算依据。",
                    },
                    {
                        "summary": "建议进一步提高农村低保标准",
                        "count": 1,
                        "adoption": "not_adopted",
                        "reason": "标准按上年度人均消费支出的比例确定，本次调整已达到省定要求。",
                    },
                    {
                        "summary": "希望按时足额发放",
                        "count": 1,
                        "adoption": "partly",
                        "reason": "已在通知中要求各乡镇按时足额发放，发放时间由各乡镇确定。",
                    },
                ],
            )
            consultation = services.close(clerk, consultation)
        final = DisclosureItem.objects.public().filter(title=FINAL_POLICY).first()
        if final is not None:
            services.link_policy(clerk, consultation, final)
        made += 1
    if made:
        stdout.write(f"意见征集：{made} 项")
    return None
