"""Organisations, the bench users and the 2,000-entry catalog of the scale set (``build.py``)."""


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
