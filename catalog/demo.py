"""The demo county's catalog: adoptions, one exclusion, one local entry, examples.

The county and its townships compile their catalogs from the shipped standard
catalog by level (县级 / 乡级 entries), each department from the domains it is
responsible for. Example entries are made only for a domain whose guideline
text does not ship (no standard row at all); they are marked ``is_example``
and labelled 示例 wherever they show.
"""

from django.db.models import Q

from portal.models import Organization, User

from . import services
from .models import Adoption, CatalogEntry, Channel, FiveDisclosures
from .standard import load_standard_catalog

EXAMPLES = {
    "财政预决算": [
        ("预算", ["部门预算（示例）", "政府预算（示例）"]),
        ("决算", ["部门决算（示例）"]),
    ],
    "征地补偿": [("征收土地信息", ["征地补偿安置方案（示例）"])],
    "义务教育": [("招生入学", ["招生入学政策（示例）"])],
}


DEPARTMENT_DOMAINS = {
    "县民政局": ["社会救助", "养老服务"],
    "县财政局": ["财政预决算", "涉农补贴"],
    "县自然资源局": ["城乡规划", "征地补偿"],
}


def _has_standard_rows(domain):
    return domain.get_descendants().filter(organization=None, is_example=False).exists()


def _examples():
    for domain_name, groups in EXAMPLES.items():
        domain = CatalogEntry.objects.get(parent=None, name=domain_name)
        if _has_standard_rows(domain):
            continue  # the real guideline rows ship: no invented examples beside them
        for order, (group_name, children) in enumerate(groups, start=1):
            group, _ = CatalogEntry.objects.get_or_create(
                parent=domain,
                name=group_name,
                organization=None,
                defaults={
                    "is_example": True,
                    "sort_order": order,
                    "level_county": True,
                    "level_township": True,
                    "proactive": True,
                },
            )
            for child_order, name in enumerate(children, start=1):
                CatalogEntry.objects.get_or_create(
                    parent=group,
                    name=name,
                    organization=None,
                    defaults={
                        "is_example": True,
                        "sort_order": child_order,
                        "content_elements": "示例事项：演示数据，并非官方指引原文。",
                        "time_limit_text": "信息形成或变更之日起20个工作日内",
                        "responsible_body": "示例主体",
                        "channels": [Channel.WEBSITE, Channel.READING_POINT],
                        "audience_public": True,
                        "proactive": True,
                        "level_county": True,
                        "level_township": True,
                        "five_disclosures": FiveDisclosures.RESULT,
                    },
                )


def load(stdout):
    load_standard_catalog()
    _examples()
    admin = User.objects.get(username="admin")
    for org in Organization.objects.filter(Q(kind="government") | Q(kind="township")):
        if not Adoption.objects.filter(organization=org).exists():
            services.adopt_for_level(admin, org, reason="按标准目录编制本级目录（演示）")
    # A department compiles its catalog from the domains it is responsible for.
    for short_name, domain_names in DEPARTMENT_DOMAINS.items():
        org = Organization.objects.get(short_name=short_name)
        if not Adoption.objects.filter(organization=org).exists():
            for name in domain_names:
                domain = CatalogEntry.objects.get(parent=None, name=name, organization=None)
                services.adopt(admin, org, domain, reason="按本部门职责编制目录（演示）")
    hexi = Organization.objects.get(short_name="河西乡")
    social = CatalogEntry.objects.get(parent=None, name="社会救助")
    if not CatalogEntry.objects.filter(organization=hexi).exists():
        # Under 临时救助 where the shipped 社会救助 rows have it, else under the domain itself.
        relief = CatalogEntry.objects.filter(parent=social, name="临时救助", organization=None).first() or social
        services.add_local_entry(
            admin,
            hexi,
            relief,
            name="冬春生活救助名单（本地）",
            reason="本乡冬春救助需定期公示（演示）",
            content_elements="救助对象名单；救助金额",
            time_limit_text="制定或获取信息之日起10个工作日内",
            responsible_body="河西乡人民政府",
            proactive=True,
            audience_public=True,
            level_township=True,
            channels=[Channel.NOTICE_BOARD, Channel.WEBSITE],
        )
        urban = (
            CatalogEntry.objects.get(parent=None, name="义务教育")
            .get_descendants()
            .filter(organization=None)
            .order_by("tree_id", "lft")
            .last()
        )
        if urban is not None:
            services.exclude(admin, hexi, urban, reason="本乡无县城学校招生业务（演示）")
    stdout.write(f"catalog: {CatalogEntry.objects.count()} entries, {Adoption.objects.count()} adoptions")
