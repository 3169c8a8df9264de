"""The fictitious demo county 示范县: organisations and one user per role.

All names, codes and phone numbers are invented. Codes are well-formed (valid
check digit) so the forms accept them; the division code 990101 belongs to
no real place.
"""

from django.contrib.auth.models import Group

from . import codes
from .models import Organization, OrganizationKind, Role, User

DIVISION = "990101"

ORGANIZATIONS = [
    # key, parent key, name, short name, kind, org-code body
    ("county", None, "示范县人民政府", "示范县", OrganizationKind.GOVERNMENT, "D0000001"),
    ("civil", "county", "示范县民政局", "县民政局", OrganizationKind.DEPARTMENT, "D0000002"),
    ("finance", "county", "示范县财政局", "县财政局", OrganizationKind.DEPARTMENT, "D0000003"),
    ("land", "county", "示范县自然资源局", "县自然资源局", OrganizationKind.DEPARTMENT, "D0000004"),
    ("chengguan", "county", "示范县城关镇人民政府", "城关镇", OrganizationKind.TOWNSHIP, "D0000005"),
    ("hexi", "county", "示范县河西乡人民政府", "河西乡", OrganizationKind.TOWNSHIP, "D0000006"),
    ("nanguan", "chengguan", "城关镇南关社区居民委员会", "南关社区", OrganizationKind.COMMUNITY, "D0000007"),
    ("liushu", "hexi", "河西乡柳树村村民委员会", "柳树村", OrganizationKind.VILLAGE, "D0000008"),
]

USERS = [
    # username, password, organisation key, role (None = superuser), name, description
    ("admin", "demo-admin-2026", "county", None, "系统管理员", "超级管理员"),
    ("gk_admin", "demo-gkadmin-2026", "county", Role.ORG_ADMIN, "示例管理员", "管理员 · 示范县人民政府"),
    ("clerk", "demo-clerk-2026", "civil", Role.CLERK, "示例录入员", "录入员 · 县民政局"),
    ("reviewer", "demo-reviewer-2026", "civil", Role.REVIEWER, "示例审核员", "审核员 · 县民政局"),
    ("officer", "demo-officer-2026", "county", Role.REQUEST_OFFICER, "示例办理人", "办理人 · 示范县人民政府"),
    ("cg_clerk", "demo-cgclerk-2026", "chengguan", Role.CLERK, "城关录入员", "录入员 · 城关镇"),
    ("hx_clerk", "demo-hxclerk-2026", "hexi", Role.CLERK, "河西录入员", "录入员 · 河西乡"),
]


def demo_code(body):
    return codes.make_uscc("11" + DIVISION + codes.make_org_code(body))


def load(stdout):
    orgs = {}
    for number, (key, parent, name, short, kind, body) in enumerate(ORGANIZATIONS, start=1):
        org, _ = Organization.objects.get_or_create(
            code=demo_code(body),
            defaults={
                "parent": orgs.get(parent),
                "name": name,
                "short_name": short,
                "kind": kind,
                "sort_order": number,
                "office_address": f"示范县示范大道{number}号",
                "office_postcode": "999001",
                "office_phone": f"0000-5550{number:03d}",
                "office_hours": "工作日 上午8:30—12:00，下午14:30—17:30",
                "office_email": f"gk{number}@example.invalid",
            },
        )
        orgs[key] = org
    for username, password, key, role, full_name, _desc in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "organization": orgs[key],
                "full_name": full_name,
                "is_staff": True,
                "is_superuser": role is None,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        if role is not None:
            user.groups.add(Group.objects.get(name=role.value))
    stdout.write(f"demo county: {len(orgs)} organisations, {len(USERS)} users")
    return [(u, p, d) for u, p, _k, _r, _n, d in USERS]
