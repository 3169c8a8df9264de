"""Build the county-scale data set for ``make bench-http`` (issue 10), on PostgreSQL.

200,000 published items over 8 years from 233 organisations, a 2,000-entry
catalog, and 50,000 information requests in every state (5,000 open in the
civil affairs bureau). Everything stored is derived by the project's own
code: search vectors by :class:`disclosure.search.SearchDocumentField` (its
``pre_save`` runs inside ``bulk_create``), 索引号 by
``Organization.format_index_number`` with per-(organisation, year) serials
and their ``IndexCounter`` rows, due dates by the working calendar, body
text by ``sanitize_body``/``html_to_text`` as ``DisclosureItem.save`` does,
version metadata by ``disclosure.services._metadata``, clocks by
``requests_app.clock.compute`` over the segments the services would have
written, notices by ``requests_app.notices.render`` with numbers from the
same counters. Rows are written with ``bulk_create``, in two processes.

Runs in a few minutes; when the database already holds the set (a marker in
the cache table), it is reused. ``--force`` drops and rebuilds it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwgk_scale .venv/bin/python bench/scale/build.py
"""

import argparse
import datetime as dt
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zwgk_scale"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

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


# ---------------------------------------------------------------- organisations, users, catalog


def build_organizations():
    from mptt.exceptions import InvalidMove  # noqa: F401  (mptt present)

    from portal import codes
    from portal.models import Organization, OrganizationKind

    def code(n):
        return codes.make_uscc("11990101" + codes.make_org_code(f"C{n:07d}"))

    rows = []
    n = 0

    def org(parent, name, short, kind):
        nonlocal n
        n += 1
        o = Organization(
            parent=parent,
            name=name,
            short_name=short,
            kind=kind,
            code=code(n),
            sort_order=n,
            office_address=f"示范县示范大道{n}号（虚构）",
            office_phone=f"0000-555{n:04d}",
            office_postcode="999001",
            lft=0,
            rght=0,
            tree_id=0,
            level=0,
        )
        rows.append(o)
        return o

    with Organization.objects.disable_mptt_updates():
        county = org(None, "示范县人民政府", "示范县", OrganizationKind.GOVERNMENT)
        county.save()
        departments = [
            "民政局",
            "财政局",
            "自然资源局",
            "教育局",
            "卫生健康局",
            "人力资源和社会保障局",
            "住房和城乡建设局",
            "交通运输局",
            "农业农村局",
            "水利局",
            "生态环境局",
            "市场监督管理局",
            "应急管理局",
            "退役军人事务局",
            "医疗保障局",
            "文化和旅游局",
            "审计局",
            "统计局",
            "林业局",
            "商务局",
            "司法局",
            "公安局",
            "发展和改革局",
            "乡村振兴局",
            "城市管理局",
            "信访局",
            "档案局",
            "政务服务中心",
            "体育中心",
            "气象局",
        ]
        for name in departments:
            org(county, f"示范县{name}", f"县{name}", OrganizationKind.DEPARTMENT).save()
        townships = []
        for i in range(20):
            t = org(county, f"示范县第{i + 1}镇人民政府", f"第{i + 1}镇", OrganizationKind.TOWNSHIP)
            t.save()
            townships.append(t)
        for i in range(182):
            town = townships[i % 20]
            kind = OrganizationKind.COMMUNITY if i % 5 == 0 else OrganizationKind.VILLAGE
            suffix = "社区居民委员会" if kind == OrganizationKind.COMMUNITY else "村村民委员会"
            org(
                town, f"{town.short_name}示例{i + 1}{suffix}", f"示例{i + 1}{'社区' if i % 5 == 0 else '村'}", kind
            ).save()
    Organization.objects.rebuild()
    return Organization.objects.count()


def build_users():
    from django.contrib.auth.models import Group

    from portal.models import Organization, Role, User

    civil = Organization.objects.get(short_name="县民政局")
    county = Organization.objects.get(short_name="示范县")
    users = [
        ("admin", county, None),
        ("bench_officer", civil, Role.REQUEST_OFFICER),
        ("bench_reviewer", civil, Role.REVIEWER),
        ("bench_clerk", civil, Role.CLERK),
    ]
    for username, org, role in users:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "organization": org,
                "full_name": "示例" + username,
                "is_staff": True,
                "is_superuser": role is None,
            },
        )
        user.set_password("bench-pass-2026")
        user.save()
        if role is not None:
            user.groups.add(Group.objects.get(name=role.value))


def build_catalog():
    """The standard 26 domains plus generated 一级/二级事项 to pass 2,000 entries; county and townships adopt."""
    from catalog import services as catalog_services
    from catalog.models import CatalogEntry, Channel
    from catalog.standard import load_standard_catalog
    from portal.models import Organization, User

    load_standard_catalog()
    limits = [
        "信息形成或变更之日起20个工作日内",
        "信息形成之日起10个工作日内",
        "每季度更新",
        "信息形成之日起5个工作日内",
    ]
    with CatalogEntry._tree_manager.disable_mptt_updates():
        for domain in CatalogEntry.objects.domains().order_by("sort_order"):
            for g in range(8):
                group = CatalogEntry(
                    parent=domain,
                    name=f"{domain.name}事项组{g + 1}",
                    sort_order=100 + g,
                    proactive=True,
                    level_county=True,
                    level_township=True,
                    lft=0,
                    rght=0,
                    tree_id=domain.tree_id,
                    level=1,
                )
                group.save()
                leaves = []
                for c in range(9):
                    leaves.append(
                        CatalogEntry(
                            parent=group,
                            name=f"{domain.name}公开事项{g + 1}-{c + 1}",
                            sort_order=c,
                            content_elements="文件名称；文号；发布日期；主要内容",
                            time_limit_text=limits[(g + c) % len(limits)],
                            responsible_body="示范县各相关部门",
                            channels=[Channel.WEBSITE, Channel.NOTICE_BOARD],
                            audience_public=True,
                            proactive=True,
                            level_county=True,
                            level_township=c % 3 != 0,
                            lft=0,
                            rght=0,
                            tree_id=domain.tree_id,
                            level=2,
                        )
                    )
                for leaf in leaves:
                    leaf.save()  # save() derives time_limit_days from the text
    CatalogEntry._tree_manager.rebuild()
    admin = User.objects.get(username="admin")
    for org in Organization.objects.filter(kind__in=["government", "township"]):
        catalog_services.adopt_for_level(admin, org, reason="按标准目录编制本级目录（基准数据）")
    return CatalogEntry.objects.count()


# ---------------------------------------------------------------- items (worker processes)


def _item_plan():
    """(organisation id, year, count) chunks adding up to ITEMS; bigger bodies publish more."""
    from portal.models import Organization

    orgs = list(Organization.objects.order_by("tree_id", "lft").values_list("id", "kind"))
    weight = {"government": 60, "department": 20, "township": 12, "street": 12, "village": 1, "community": 1}
    total = sum(weight[k] for _i, k in orgs) * len(YEARS)
    plan, made = [], 0
    for org_id, kind in orgs:
        for year in YEARS:
            n = ITEMS * weight[kind] // total
            plan.append([org_id, year, n])
            made += n
    for i in range(ITEMS - made):
        plan[i % len(plan)][2] += 1
    return [tuple(p) for p in plan if p[2]]


def _text(rng, org_name, year, serial):
    title_topic, sentence = "", ""
    for share, words, line in TOPICS:
        if rng.random() < share:
            title_topic, sentence = words, line
            break
    subject = title_topic or rng.choice(
        [
            "乡村振兴",
            "道路建设",
            "防汛抗旱",
            "营商环境",
            "义务教育",
            "人居环境整治",
            "政务服务",
            "森林防火",
            "农田水利",
            "财政预算",
        ]
    )
    title = f"{org_name}关于{year}年{subject}{rng.choice(DOCS)}（第{serial}号）"
    paragraphs = rng.sample(SENTENCES, 3)
    if sentence:
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), sentence)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return title, body, subject


POOL_PER_YEAR = 600


def build_items():
    """200,000 published items, written by PostgreSQL from a pool of texts the project derived.

    Python derives, for a pool of distinct texts per year, exactly what
    ``DisclosureItem.save`` and its ``SearchDocumentField`` store (sanitised
    body, body text, normalised title, the tsvector literal of ``build_document``).
    PostgreSQL then writes the rows (one ``INSERT … SELECT`` per table), with
    per-(organisation, year) serials, 索引号 in the organisation's pattern, due
    dates from a table the working calendar computed, the catalog links, the
    first version with its metadata, and the ``IndexCounter`` rows. A sample of
    the rows is then checked against the project's own functions
    (``format_index_number``, ``_metadata``, ``build_document``).
    """
    from django.db import connection, transaction

    from disclosure import search, services
    from disclosure.models import DisclosureItem
    from disclosure.text import html_to_text, normalize_document_number, sanitize_body
    from portal.models import DEFAULT_INDEX_PATTERN, Organization

    assert not Organization.objects.exclude(index_pattern=DEFAULT_INDEX_PATTERN).exists()
    rng = random.Random(2026)
    pool = []
    for year in YEARS:
        for k in range(POOL_PER_YEAR):
            title, body, subject = _text(rng, "", year, k + 1)
            item = DisclosureItem(
                title=" ".join(title.split()),
                body=sanitize_body(body),
                subject=subject,
                keywords=subject,
                document_number=normalize_document_number(""),
            )
            item.body_text = html_to_text(item.body)
            pool.append(
                (
                    year,
                    k,
                    item.title,
                    item.body,
                    item.body_text,
                    subject,
                    search.build_document(item.search_texts()),
                    rng.choice(["other", "other", "other", "normative"]),
                    rng.choice(["", "result", "decision", "service"]),
                )
            )
    print(f"  text pool: {len(pool)} distinct texts derived", flush=True)
    calendar = _calendar()
    first_day = dt.date(YEARS[0] - 1, 11, 1)
    days = sorted(
        {min(services.ART26_WORKING_DAYS, e.time_limit_days or services.ART26_WORKING_DAYS) for e in _leaves()}
    )
    due = []
    day = first_day
    while day <= dt.date(YEARS[-1], 12, 31):
        for n in days:
            due.append((day, n, calendar.add_working_days(day, n)))
        day += dt.timedelta(days=1)
    plan = _item_plan()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE scale_pool (year int, k int, title text, body text, body_text text, "
            "subject text, vector text, document_type text, five text) ON COMMIT DROP"
        )
        cur.executemany("INSERT INTO scale_pool VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)", pool)
        cur.execute("CREATE TEMP TABLE scale_due (formed date, days int, due date) ON COMMIT DROP")
        cur.executemany("INSERT INTO scale_due VALUES (%s,%s,%s)", due)
        cur.execute("CREATE TEMP TABLE scale_chunk (org_id bigint, year int, n int) ON COMMIT DROP")
        cur.executemany("INSERT INTO scale_chunk VALUES (%s,%s,%s)", plan)
        cur.execute("CREATE TEMP TABLE scale_leaf (i int, id bigint, days int, name text) ON COMMIT DROP")
        cur.executemany(
            "INSERT INTO scale_leaf VALUES (%s,%s,%s,%s)",
            [
                (i, e.pk, min(services.ART26_WORKING_DAYS, e.time_limit_days or services.ART26_WORKING_DAYS), e.name)
                for i, e in enumerate(_leaves())
            ],
        )
        leaves = len(_leaves())
        # One row per item: its serial in the organisation's year, its time, text and catalog entry.
        cur.execute("""
            CREATE TEMP TABLE scale_plan ON COMMIT DROP AS
            SELECT c.org_id, c.year, s AS serial, o.code, o.name AS org_name,
                   date_trunc('second', make_timestamptz(c.year, 1, 1, 9, 0, 0, 'Asia/Shanghai')
                     + ((s - 0.5) / c.n) * (LEAST(make_timestamptz(c.year + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai'),
                                                  make_timestamptz(2026, 11, 30, 0, 0, 0, 'Asia/Shanghai'))
                       - make_timestamptz(c.year, 1, 1, 9, 0, 0, 'Asia/Shanghai'))) AS published_at,
                   abs(hashtext(c.org_id || ':' || c.year || ':' || s)) AS h
            FROM scale_chunk c JOIN portal_organization o ON o.id = c.org_id, generate_series(1, c.n) s
        """)
        cur.execute(f"""
            INSERT INTO disclosure_disclosureitem (
                organization_id, kind, title, body, body_text, subject, document_number, written_on, formed_on,
                document_type, five_disclosures, disclosure_attribute, attribute_reason, keywords, source_note,
                interpretation_form, video_url, validity, validity_note, state, index_number, published_at,
                version_number, due_date, review_comment, confidentiality_note, withdrawal_reason,
                revision_note, created_at, updated_at, search_vector, document_number_key, disclosure_rule)
            SELECT p.org_id, 'document', x.title, x.body, x.body_text, x.subject, '',
                   f.formed, f.formed, x.document_type, x.five, 'proactive', '', x.subject, '', '', '', 'valid', '',
                   'published', p.code || '/' || p.year || '-' || lpad(p.serial::text, 5, '0'), p.published_at,
                   1, d.due, '', '基准数据', '', '', p.published_at, p.published_at, x.vector::tsvector, '', false
            FROM scale_plan p
            JOIN scale_pool x ON x.year = p.year AND x.k = p.h % {POOL_PER_YEAR}
            JOIN scale_leaf l ON l.i = (p.h / 7) % {leaves}
            CROSS JOIN LATERAL (SELECT (p.published_at AT TIME ZONE 'Asia/Shanghai')::date - (1 + p.h % 29) AS formed) f
            JOIN scale_due d ON d.formed = f.formed AND d.days = l.days
        """)
        print(f"  {cur.rowcount:,} items written", flush=True)
        cur.execute(f"""
            CREATE TEMP TABLE scale_link ON COMMIT DROP AS
            SELECT i.id AS item_id, l.id AS entry_id, l.name AS entry_name
            FROM scale_plan p
            JOIN disclosure_disclosureitem i
              ON i.organization_id = p.org_id
             AND i.index_number = p.code || '/' || p.year || '-' || lpad(p.serial::text, 5, '0')
            JOIN scale_leaf l ON l.i = (p.h / 7) % {leaves}
        """)
        cur.execute(
            "INSERT INTO disclosure_disclosureitem_catalog_entries (disclosureitem_id, catalogentry_id) "
            "SELECT item_id, entry_id FROM scale_link"
        )
        cur.execute(
            """
            INSERT INTO disclosure_itemversion (item_id, number, title, body, metadata, change_note, published_at)
            SELECT i.id, 1, i.title, i.body, jsonb_build_object(
                'index_number', i.index_number, 'subject', i.subject, 'organization', o.name,
                'written_on', to_char(i.written_on, 'YYYY-MM-DD'), 'document_number', i.document_number,
                'published_at', to_char(i.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
                'validity', i.validity, 'effective_on', '', 'publication_mode', %s, 'keywords', i.keywords,
                'document_type', i.document_type, 'catalog_entries', jsonb_build_array(s.entry_name)),
                '', i.published_at
            FROM scale_link s JOIN disclosure_disclosureitem i ON i.id = s.item_id
            JOIN portal_organization o ON o.id = i.organization_id
        """,
            [str(DisclosureItem(disclosure_attribute="proactive").publication_mode)],
        )
        cur.execute(
            "INSERT INTO disclosure_indexcounter (organization_id, year, last_serial) "
            "SELECT org_id, year, n FROM scale_chunk"
        )
    _check_items()


def _check_items():
    """The rows PostgreSQL wrote are what the project's own code derives for them."""
    from django.utils import timezone

    from disclosure import search, services
    from disclosure.models import DisclosureItem, ItemState, ItemVersion
    from disclosure.text import html_to_text, sanitize_body

    sample = DisclosureItem.objects.order_by("?").select_related("organization")[:30]
    for item in sample:
        serial = int(item.index_number.rsplit("-", 1)[1])
        year = timezone.localtime(item.published_at).year  # as allocate_index_number takes it
        assert item.index_number == item.organization.format_index_number(year, serial), item.index_number
        assert item.state == ItemState.PUBLISHED
        assert item.body == sanitize_body(item.body) and item.body_text == html_to_text(item.body)
        entries = list(item.catalog_entries.all())
        assert item.due_date == services.compute_due_date(item, entries, _calendar()), item.pk
        version = ItemVersion.objects.get(item=item, number=1)
        assert version.metadata == services._metadata(item), (version.metadata, services._metadata(item))
        with connection_cursor() as cur:
            cur.execute(
                "SELECT search_vector = %s::tsvector FROM disclosure_disclosureitem WHERE id = %s",
                [search.build_document(item.search_texts()), item.pk],
            )
            assert cur.fetchone()[0], f"search vector of item {item.pk}"
    print("  sample of 30 items checked against the project's derivations", flush=True)


def connection_cursor():
    from django.db import connection

    return connection.cursor()


_LEAVES = None
_CALENDAR = None


def _leaves():
    global _LEAVES
    if _LEAVES is None:
        from catalog.models import CatalogEntry

        _LEAVES = list(CatalogEntry.objects.filter(organization__isnull=True, level=2, is_example=False))
    return _LEAVES


def _calendar():
    global _CALENDAR
    if _CALENDAR is None:
        from portal.workdays import WorkingCalendar

        _CALENDAR = WorkingCalendar()
    return _CALENDAR


# ---------------------------------------------------------------- requests


def _person(rng, n):
    from portal import codes
    from requests_app.models import ApplicantCategory, IdType

    if n % 5:
        body = f"9901011990{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
        return {
            "applicant_category": ApplicantCategory.NATURAL_PERSON,
            "applicant_name": f"示例申请人{n}",
            "id_type": IdType.RESIDENT_ID,
            "id_number": codes.make_resident_id(body),
        }
    return {
        "applicant_category": ApplicantCategory.BUSINESS,
        "applicant_name": f"示范某某有限公司{n}（虚构）",
        "id_type": IdType.USCC,
        "id_number": codes.make_uscc("91990101" + codes.make_org_code(f"E{n:07d}")),
    }


def build_requests(chunk):
    """Requests of one organisation: rows, the segments the services write, clocks, notices, counters."""
    from django.db import connection, transaction
    from django.utils import timezone

    from portal.models import Organization, User
    from requests_app import access, clock, notices, services
    from requests_app.models import Channel as RequestChannel
    from requests_app.models import (
        ClockSegment,
        Counter,
        DeliveryMethod,
        ExtensionStatus,
        FormWanted,
        Notice,
        NoticeDelivery,
        NoticeKind,
        Outcome,
        PauseReason,
        Request,
        SegmentKind,
        Status,
    )

    org_id, first, count, open_count = chunk
    rng = random.Random(org_id)
    org = Organization.objects.select_related("parent").get(pk=org_id)
    officer = User.objects.filter(username="bench_officer").first() if org.short_name == "县民政局" else None
    calendar = _calendar()
    today = clock.today()
    code_hash = access.hash_query_code("BENCH-CODE-0000-0000")
    registrations, notice_serials = {}, {}
    prefix = services.settings_for(org).document_prefix or (org.short_name or org.name) + "依申请公开"
    reply_outcomes = [o for o in services.REPLY_OUTCOMES]

    def number(series, year):
        key = (series, year)
        store = registrations if series == "registration" else notice_serials
        store[key] = store.get(key, 0) + 1
        return store[key]

    plans = []
    for i in range(count):
        n = first + i
        is_open = i < open_count
        if is_open:
            receipt = calendar.add_working_days(today, -rng.randrange(0, 40))
        else:
            year = YEARS[i % len(YEARS)]
            receipt = dt.date(year, 1, 2) + dt.timedelta(days=rng.randrange(0, 300))
        plans.append((receipt, n, is_open))
    plans.sort()
    rows, all_segments, all_notices = [], [], []
    for receipt, n, is_open in plans:
        person = _person(rng, n)
        delivery = rng.choice([DeliveryMethod.ONLINE, DeliveryMethod.POST, DeliveryMethod.EMAIL])
        req = Request(
            organization=org,
            tracking_number=f"YS9{n:09d}",
            query_code_hash=code_hash,
            channel=rng.choice([c for c in RequestChannel.values]),
            form_wanted=FormWanted.ELECTRONIC,
            delivery_method=delivery,
            email=f"applicant{n}@example.invalid" if delivery == DeliveryMethod.EMAIL else "",
            address="示范县示范路1号（虚构地址）",
            postcode="999001",
            phone=f"0000555{n % 10000:04d}",
            description=f"申请公开{receipt.year}年{rng.choice(['低保资金发放', '征地补偿标准', '道路建设招标', '项目验收'])}相关信息（示例{n}）",  # noqa: E501
            receipt_date=receipt,
            received_by=officer,
            **person,
        )
        segs = []
        steps = []  # (kind, on, extra values)
        serial = number("registration", receipt.year)
        req.registration_year, req.registration_serial = receipt.year, serial
        req.registration_number = services.format_registration_number(receipt.year, serial)
        segs.append(ClockSegment(kind=SegmentKind.RUNNING, starts_on=receipt))
        steps.append((NoticeKind.ACKNOWLEDGEMENT, receipt, {}))
        roll = rng.random()
        if is_open:
            if roll < 0.04:
                req.status = Status.RECEIVED  # online, not yet confirmed: no clock
                req.receipt_date = None
                req.registration_year = req.registration_serial = None
                req.registration_number = ""
                segs, steps = [], []
            elif roll < 0.15:
                req.status = Status.REGISTERED
            elif roll < 0.25:
                req.status = Status.UNDER_REVIEW
            elif roll < 0.35 and receipt < today:
                req.status = Status.SUPPLEMENT_REQUESTED
                on = min(calendar.add_working_days(receipt, 2), today)
                deadline = calendar.add_working_days(on, 15)
                req.supplement_items, req.supplement_requested_on, req.supplement_deadline = (
                    "请写明文件名称。",
                    on,
                    deadline,
                )
                segs[-1].ends_on = on
                segs.append(
                    ClockSegment(
                        kind=SegmentKind.PAUSED, reason=PauseReason.SUPPLEMENT, starts_on=on, deadline=deadline
                    )
                )
                steps.append(
                    (
                        NoticeKind.SUPPLEMENT,
                        on,
                        {"supplement_items": req.supplement_items, "supplement_deadline": services._date(deadline)},
                    )
                )
            else:
                req.status, req.handler = Status.IN_HANDLING, officer
                if roll > 0.9 and receipt < today:
                    on = min(calendar.add_working_days(receipt, 3), today)
                    deadline = calendar.add_working_days(on, clock.THIRD_PARTY_WORKING_DAYS)
                    segs[-1].ends_on = on
                    segs.append(
                        ClockSegment(
                            kind=SegmentKind.PAUSED,
                            reason=PauseReason.THIRD_PARTY,
                            starts_on=on,
                            deadline=deadline,
                            party="第三方企业（虚构）",
                        )
                    )
                    steps.append(
                        (
                            NoticeKind.THIRD_PARTY,
                            on,
                            {"third_party": "第三方企业（虚构）", "third_party_deadline": services._date(deadline)},
                        )
                    )
                elif roll > 0.82:
                    on = min(calendar.add_working_days(receipt, 10), today)
                    req.extension_status, req.extension_days, req.extension_reason = (
                        ExtensionStatus.APPROVED,
                        15,
                        "信息量较大，需要汇总整理",
                    )
                    req.extension_decided_on = on
                    steps.append(
                        (NoticeKind.EXTENSION, on, {"extension_days": 15, "extension_reason": req.extension_reason})
                    )
        else:
            replied = calendar.add_working_days(receipt, rng.randrange(2, 24))
            if roll < 0.05:
                req.status, req.outcome, req.concluded_on = Status.WITHDRAWN, Outcome.OTHER, replied
                segs[-1].ends_on = replied
            elif roll < 0.09:
                on = calendar.add_working_days(receipt, 2)
                deadline = calendar.add_working_days(on, 15)
                req.supplement_items, req.supplement_requested_on, req.supplement_deadline = (
                    "请写明文件名称。",
                    on,
                    deadline,
                )
                closed = deadline + dt.timedelta(days=1)
                segs[-1].ends_on = on
                segs.append(
                    ClockSegment(
                        kind=SegmentKind.PAUSED,
                        reason=PauseReason.SUPPLEMENT,
                        starts_on=on,
                        deadline=deadline,
                        ends_on=closed,
                    )
                )
                steps.append(
                    (
                        NoticeKind.SUPPLEMENT,
                        on,
                        {"supplement_items": req.supplement_items, "supplement_deadline": services._date(deadline)},
                    )
                )
                req.status, req.outcome, req.concluded_on = Status.CLOSED, Outcome.OTHER_NOT_SUPPLEMENTED, closed
                steps.append((NoticeKind.TERMINATION, closed, {"termination_reason": "逾期未补正，视为放弃申请。"}))
            else:
                if roll > 0.93:
                    on = calendar.add_working_days(receipt, 1)
                    back = calendar.add_working_days(on, 8)
                    segs[-1].ends_on = on
                    segs.append(
                        ClockSegment(
                            kind=SegmentKind.PAUSED,
                            reason=PauseReason.THIRD_PARTY,
                            starts_on=on,
                            ends_on=back,
                            deadline=calendar.add_working_days(on, 15),
                            party="第三方（虚构）",
                        )
                    )
                    segs.append(ClockSegment(kind=SegmentKind.RUNNING, starts_on=back))
                    steps.append((NoticeKind.THIRD_PARTY, on, {"third_party": "第三方（虚构）"}))
                    replied = calendar.add_working_days(back, rng.randrange(1, 10))
                outcome = rng.choice(reply_outcomes)
                req.outcome, req.concluded_on, req.replied_on = outcome, replied, replied
                req.decision = "经审查，现答复如下（基准数据）。"
                req.legal_basis = "《中华人民共和国政府信息公开条例》第三十六条" if outcome.value[0] in "345" else ""
                segs[-1].ends_on = replied
                req.status = Status.ARCHIVED if roll > 0.5 else Status.REPLIED
                if req.status == Status.ARCHIVED:
                    req.archived_on = replied + dt.timedelta(days=7)
                steps.append((NoticeKind.REPLY, replied, {"outcome": outcome.label, "decision": req.decision}))
        state = clock.compute(req, calendar=calendar, on=today, segments=segs)
        base = {
            "applicant_name": req.applicant_name,
            "organization": org.name,
            "organization_address": org.office_address,
            "organization_phone": org.office_phone,
            "tracking_number": req.tracking_number,
            "registration_number": req.registration_number,
            "receipt_date": services._date(req.receipt_date),
            "description": req.description,
            "form_wanted": req.get_form_wanted_display(),
            "delivery_method": req.get_delivery_method_display(),
            "due_date": services._date(state.due_date),
            "original_due_date": services._date(state.original_due_date),
            "reconsideration_body": org.parent.name if org.parent_id else "上一级行政机关",
            "court": "有管辖权的人民法院",
        }
        req_notices = []
        for kind, on, extra in steps:
            title, body = notices.render(kind, org, {**base, "today": services._date(on), **extra})
            notice = Notice(
                kind=kind,
                title=title,
                body=body,
                issued_on=on,
                document_number=f"{prefix}〔{on.year}〕{number('notice', on.year)}号",
                recipient=extra.get("third_party") or req.applicant_name,
            )
            if kind != NoticeKind.THIRD_PARTY and delivery == DeliveryMethod.ONLINE:
                notice.delivered_at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
                notice.delivery_method = NoticeDelivery.ONLINE
            req_notices.append(notice)
        rows.append(req)
        all_segments.append(segs)
        all_notices.append(req_notices)
    with transaction.atomic():
        Request.objects.bulk_create(rows, batch_size=1000)
        ClockSegment.objects.bulk_create(
            [s for req, segs in zip(rows, all_segments) for s in segs if not setattr(s, "request", req)],
            batch_size=2000,
        )
        Notice.objects.bulk_create(
            [x for req, ns in zip(rows, all_notices) for x in ns if not setattr(x, "request", req)], batch_size=1000
        )
        Counter.objects.bulk_create(
            [
                Counter(organization=org, year=y, series=s, last=v)
                for (s, y), v in list(registrations.items()) + list(notice_serials.items())
            ]
        )
    connection.close()
    return count


def _delete_requests():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE requests_app_notice, requests_app_clocksegment, requests_app_counter, "
            "requests_app_request CASCADE"
        )


def _memoize_notice_templates():
    """The notice templates do not change while the set is built: look each one up and compile it once.

    ``notices.template_for`` asks the database on every call and ``render``
    compiles the template text each time; both are deterministic here, so
    remembering their answers stores exactly the notices the services write.
    """
    from functools import lru_cache

    from requests_app import notices

    notices.template_for = lru_cache(maxsize=None)(notices.template_for)
    notices._ENGINE.from_string = lru_cache(maxsize=None)(notices._ENGINE.from_string)


def _request_plan():
    from portal.models import Organization

    civil = Organization.objects.get(short_name="县民政局")
    others = list(
        Organization.objects.exclude(pk=civil.pk)
        .exclude(kind__in=["village", "community"])
        .order_by("tree_id", "lft")
        .values_list("id", flat=True)
    )
    civil_count = max(OPEN_IN_CIVIL, REQUESTS * 12 // 50)
    plan = [(civil.pk, 0, civil_count, OPEN_IN_CIVIL)]
    rest = REQUESTS - civil_count
    each, extra = divmod(rest, len(others))
    first = civil_count
    for i, org_id in enumerate(others):
        n = each + (1 if i < extra else 0)
        plan.append((org_id, first, n, n // 40))
        first += n
    return plan


def _work(task):
    _kind, chunk = task
    return build_requests(chunk)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="drop the database and build it again")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full set (a quick trial)")
    args = parser.parse_args()
    global ITEMS, REQUESTS, OPEN_IN_CIVIL
    ITEMS, REQUESTS, OPEN_IN_CIVIL = (
        int(ITEMS * args.scale),
        int(REQUESTS * args.scale),
        int(OPEN_IN_CIVIL * args.scale),
    )
    if args.force:
        drop_database()
    ensure_database()
    setup_django()
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django.core.cache.backends.db import DatabaseCache  # noqa: F401

    from disclosure.models import DisclosureItem
    from requests_app import clockstore
    from requests_app.models import Request

    if Request.objects.filter(clock_computed_on__isnull=True).exists():
        print("storing the request clocks (requests_app.clockstore)", flush=True)
        clockstore.refresh(Request.objects.filter(clock_computed_on__isnull=True))
    if DisclosureItem.objects.count() >= ITEMS and Request.objects.count() >= REQUESTS:
        print(
            f"scale set present: {DisclosureItem.objects.count():,} items, {Request.objects.count():,} requests "
            "(reused; --force rebuilds)"
        )
        return
    started = time.monotonic()
    if DisclosureItem.objects.count() >= ITEMS:
        print("items present; building the requests again")
        _delete_requests()
    elif DisclosureItem.objects.exists() or Request.objects.exists():
        sys.exit("the database holds a partial or other data set; run with --force to rebuild it")
    else:
        call_command("seed_calendar", verbosity=0) if "seed_calendar" in _commands() else None
        print(f"organisations: {build_organizations()}")
        build_users()
        print(f"catalog entries: {build_catalog()}  ({time.monotonic() - started:.0f} s)")
        build_items()
        print(f"items done ({time.monotonic() - started:.0f} s)", flush=True)
    _memoize_notice_templates()
    tasks = [("requests", c) for c in _request_plan()]
    tasks.sort(key=lambda t: -t[1][2])  # biggest first, so the two processes finish together
    connections.close_all()
    done = {"items": 0, "requests": 0}
    with multiprocessing.get_context("fork").Pool(args.processes) as pool:
        for (kind, _chunk), n in zip(tasks, pool.imap(_work, tasks, chunksize=1)):
            done[kind] += n
            if done["requests"] // 10_000 != (done["requests"] - n) // 10_000:
                print(f"  {done['requests']:,} requests ({time.monotonic() - started:.0f} s)", flush=True)
    clockstore.refresh(Request.objects.all())
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    caches["default"].clear()  # pages cached from an earlier set would be stale
    print(
        f"built {DisclosureItem.objects.count():,} items and {done['requests']:,} requests "
        f"in {time.monotonic() - started:.0f} s"
    )


def _commands():
    from django.core.management import get_commands

    return get_commands()


if __name__ == "__main__":
    main()
