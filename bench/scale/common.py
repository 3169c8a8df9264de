"""What every part of the scale build shares: the sizes, the texts, the database, two cached lookups.

The sizes are module attributes that ``build.py --scale`` shrinks for a quick
trial; the other modules read them as ``common.ITEMS`` and so on.
"""

import datetime as dt
import os

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zwgk_scale"

ITEMS = 200_000
YEARS = list(range(2019, 2027))
REQUESTS = 50_000
OPEN_IN_CIVIL = 5_000
MARKER = "scale-set-v1"
TODAY = dt.date(2026, 12, 1)  # the clocks' "today" is the real one; the set is dated up to here

# Words with the frequencies the issue measured: 救助 in a third of all items.
SENTENCES = [
    "为进一步做好相关工作，根据上级文件精神，结合本地实际，制定本方案。",
    "各村（社区）要高度重视，明确责任分工，确保各项措施落到实处。",
    "现将有关情况公示如下，公示期为七天，如有异议请向本机关反映。",
    "本年度共安排资金用于道路建设和农村人居环境整治项目。",
    "请各单位于规定时间内将工作总结报送县政府办公室。",
    "项目建设单位应严格执行招标投标有关规定，接受社会监督。",
    "对群众反映的问题，及时调查核实并依法依规处理。",
    "本通知自印发之日起施行，由本机关负责解释。",
    "进一步优化营商环境，提升政务服务便利化水平。",
    "乡村振兴重点帮扶项目实施情况已经县级验收合格。",
    "做好防汛抗旱和森林防火工作，确保人民群众生命财产安全。",
    "加强义务教育阶段学校招生入学管理，保障适龄儿童入学。",
]
TOPICS = [
    # (share of items, title words, sentence)
    (0.34, "临时救助", "本季度临时救助和医疗救助对象名单及救助金额已经审核确定。"),
    (0.08, "城乡居民最低生活保障", "城乡低保对象动态管理情况和低保资金发放情况予以公开。"),
    (0.06, "征地补偿安置", "征地补偿安置方案已报批，征地范围内村民可查阅征地补偿标准。"),
    (0.0004, "蓄滞洪区", "蓄滞洪区运用补偿情况予以公示。"),
]
DOCS = ["通知", "公示", "公告", "实施方案", "工作报告", "情况说明", "决定", "意见"]


def setup_django():
    import django

    django.setup()


def ensure_database():
    """Create the PostgreSQL database of DATABASE_URL when it does not exist yet."""
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def drop_database():
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_LEAVES = None
_CALENDAR = None


def leaves():
    global _LEAVES
    if _LEAVES is None:
        from catalog.models import CatalogEntry

        _LEAVES = list(CatalogEntry.objects.filter(organization__isnull=True, level=2, is_example=False))
    return _LEAVES


def calendar():
    global _CALENDAR
    if _CALENDAR is None:
        from portal.workdays import WorkingCalendar

        _CALENDAR = WorkingCalendar()
    return _CALENDAR
