"""200,000 published items of the scale set, written by PostgreSQL from texts the project derived."""

import datetime as dt
import random

from bench.scale import common


def _item_plan():
    """(organisation id, year, count) chunks adding up to common.ITEMS; bigger bodies publish more."""
    from portal.models import Organization

    orgs = list(Organization.objects.order_by("tree_id", "lft").values_list("id", "kind"))
    weight = {"government": 60, "department": 20, "township": 12, "street": 12, "village": 1, "community": 1}
    total = sum(weight[k] for _i, k in orgs) * len(common.YEARS)
    plan, made = [], 0
    for org_id, kind in orgs:
        for year in common.YEARS:
            n = common.ITEMS * weight[kind] // total
            plan.append([org_id, year, n])
            made += n
    for i in range(common.ITEMS - made):
        plan[i % len(plan)][2] += 1
    return [tuple(p) for p in plan if p[2]]


def _text(rng, org_name, year, serial):
    title_topic, sentence = "", ""
    for share, words, line in common.TOPICS:
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
    title = f"{org_name}关于{year}年{subject}{rng.choice(common.DOCS)}（第{serial}号）"
    paragraphs = rng.sample(common.SENTENCES, 3)
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
    for year in common.YEARS:
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
    calendar = common.calendar()
    first_day = dt.date(common.YEARS[0] - 1, 11, 1)
    days = sorted(
        {min(services.ART26_WORKING_DAYS, e.time_limit_days or services.ART26_WORKING_DAYS) for e in common.leaves()}
    )
    due = []
    day = first_day
    while day <= dt.date(common.YEARS[-1], 12, 31):
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
                for i, e in enumerate(common.leaves())
            ],
        )
        leaves = len(common.leaves())
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
                revision_note, created_at, updated_at, search_vector, document_number_key, disclosure_rule,
                lock_version)
            SELECT p.org_id, 'document', x.title, x.body, x.body_text, x.subject, '',
                   f.formed, f.formed, x.document_type, x.five, 'proactive', '', x.subject, '', '', '', 'valid', '',
                   'published', p.code || '/' || p.year || '-' || lpad(p.serial::text, 5, '0'), p.published_at,
                   1, d.due, '', '基准数据', '', '', p.published_at, p.published_at, x.vector::tsvector, '', false, 0
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
        assert item.due_date == services.compute_due_date(item, entries, common.calendar()), item.pk
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
