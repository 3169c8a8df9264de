"""The import and export buttons of the catalog changelist: preview, confirm, refuse, scope."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Adjustment, Adoption, CatalogEntry
from portal.models import AuditEntry, User

from .sheets import csv_bytes, entry, official, xlsx_bytes

CHANGELIST = "/admin/catalog/catalogentry/"
IMPORT = CHANGELIST + "import/"
PROCESS = CHANGELIST + "process_import/"
EXPORT = CHANGELIST + "export/"
XLSX, CSV = "0", "1"

ROWS = [
    ["1", "综合业务", "本县配套文件（示例）", "", "", "实时公开", "县民政局", "■政府网站", "√", "", "√", "", "√", ""],
    [
        "2",
        "临时救助",
        "审核审批信息",
        "",
        "",
        "制定或获取信息之日起5个工作日内",
        "河西乡人民政府",
        "",
        "√",
        "",
        "√",
        "",
        "",
        "√",
    ],
]


def _upload(client, rows, organization=None, kind="xlsx", name=None):
    data = xlsx_bytes(official(rows)) if kind == "xlsx" else csv_bytes(official(rows))
    upload = SimpleUploadedFile(name or f"目录.{kind}", data)
    return client.post(
        IMPORT,
        {
            "resource": "0",
            "format": XLSX if kind == "xlsx" else CSV,
            "import_file": upload,
            "organization": organization.pk if organization else "",
        },
    )


def _confirm(client, preview, **changes):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(changes)
    return client.post(PROCESS, data)


def _counts():
    return (
        CatalogEntry.objects.count(),
        Adoption.objects.count(),
        Adjustment.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def superuser_client(client, demo):
    client.force_login(User.objects.get(username="admin"))
    return client


def test_changelist_has_import_and_export_buttons(superuser_client):
    page = superuser_client.get(CHANGELIST).content.decode().replace("'", '"')
    assert f'href="{IMPORT}"' in page and f'href="{EXPORT}' in page
    form_page = superuser_client.get(IMPORT).content.decode()
    assert "导入到" in form_page and "标准目录（仅系统管理员）" in form_page and "公开层级〔县级｜乡级〕" in form_page


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_preview_then_confirm_imports_into_the_standard_catalog(superuser_client, kind):
    before = _counts()
    preview = _upload(superuser_client, ROWS, kind=kind)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "本县配套文件（示例）" in page and "新增标准事项" in page and "修改：" in page
    assert preview.context["confirm_form"] is not None
    assert _counts() == before  # the preview was a rolled-back dry run

    done = _confirm(superuser_client, preview)
    assert done.status_code == 302 and done.url == CHANGELIST
    assert entry("社会救助", "综合业务", "本县配套文件（示例）").channels == ["website"]
    assert entry("社会救助", "临时救助", "审核审批信息").time_limit_days == 5
    followed = superuser_client.get(CHANGELIST).content.decode()
    assert "导入完成：新增 1 项，更新 1 项" in followed


def test_bad_rows_are_listed_and_nothing_can_be_confirmed(superuser_client):
    before = _counts()
    rows = [ROWS[0], ["2", "临时救助", "审核审批信息", "", "", "", "", "", "x"], ["3", "", "", "内容"]]
    preview = _upload(superuser_client, rows)
    page = preview.content.decode()
    assert "没有导入任何数据" in page
    assert "第 5 行 I 列“公开对象〔全社会〕”：无法识别的勾选标记“x”" in page
    assert "第 6 行 B 列“公开事项〔一级事项〕”：缺少事项名称。" in page
    assert preview.context.get("confirm_form") is None
    assert _counts() == before


def test_a_file_that_is_no_spreadsheet_gets_a_chinese_message(superuser_client):
    upload = SimpleUploadedFile("目录.xlsx", b"not a workbook")
    page = superuser_client.post(IMPORT, {"resource": "0", "format": XLSX, "import_file": upload}).content.decode()
    assert "无法读取 Excel 文件" in page


def test_a_clerk_imports_into_its_own_township_through_the_services(client, demo):
    hexi = demo["河西乡"]
    client.force_login(User.objects.get(username="hx_clerk"))
    preview = _upload(client, ROWS, organization=hexi)
    assert "新增本地事项" in preview.content.decode() and "调整：" in preview.content.decode()
    done = _confirm(client, preview)
    assert done.status_code == 302
    local = entry("社会救助", "综合业务", "本县配套文件（示例）", organization=hexi)
    assert local.organization == hexi
    adoption = Adoption.objects.get(organization=hexi, entry=entry("社会救助", "临时救助", "审核审批信息"))
    assert adoption.time_limit_days == 5 and adoption.responsible_body == "河西乡人民政府"
    assert set(
        Adjustment.objects.filter(organization=hexi, reason="导入目录文件 目录.xlsx").values_list(
            "actor__username", flat=True
        )
    ) == {"hx_clerk"}


def test_a_clerk_may_choose_only_organisations_of_its_subtree(client, demo):
    client.force_login(User.objects.get(username="hx_clerk"))
    choices = set(client.get(IMPORT).context["form"].fields["organization"].queryset)
    assert choices == {demo["河西乡"], demo["柳树村"]}
    before = _counts()
    refused = _upload(client, ROWS, organization=demo["城关镇"])
    assert refused.context["form"].errors["organization"]
    assert refused.context.get("confirm_form") is None
    # Nor may it leave the organisation out and import into the standard catalog.
    refused = _upload(client, ROWS)
    assert refused.context["form"].errors["organization"]
    assert _counts() == before


def test_a_forged_confirmation_for_another_township_imports_nothing(client, demo):
    client.force_login(User.objects.get(username="cg_clerk"))
    preview = _upload(client, ROWS, organization=demo["城关镇"])
    before = _counts()
    forged = _confirm(client, preview, organization=str(demo["河西乡"].pk))
    assert forged.status_code == 200 and forged.context["confirm_form"].errors
    assert _counts() == before
    assert not CatalogEntry.objects.filter(name="本县配套文件（示例）").exists()


def test_a_reviewer_has_no_import_button(client, demo):
    client.force_login(User.objects.get(username="reviewer"))
    assert client.get(IMPORT).status_code == 403
    assert f'href="{IMPORT}"' not in client.get(CHANGELIST).content.decode().replace("'", '"')


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]


def test_export_an_organisations_catalog_from_the_admin(client, demo):
    hexi = demo["河西乡"]
    client.force_login(User.objects.get(username="hx_clerk"))
    assert "全部领域" in client.get(EXPORT).content.decode()
    response = client.post(EXPORT, {"resource": "0", "format": XLSX, "organization": hexi.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    values = [c for row in _sheet(response).iter_rows(values_only=True) for c in row if c]
    assert values[0] == "示范县河西乡人民政府政务公开事项目录"
    assert "冬春生活救助名单（本地）" in values


def test_export_one_domain_of_the_standard_catalog_as_csv(client, demo):
    client.force_login(User.objects.get(username="clerk"))
    domain = entry("社会救助")
    response = client.post(EXPORT, {"resource": "0", "format": CSV, "domain": domain.pk})
    text = response.content.decode("utf-8-sig")
    assert text.startswith("社会救助领域基层政务公开标准目录")
    assert "冬春生活救助名单（本地）" not in text  # the standard catalog, without any organisation's own entries


def test_a_clerk_cannot_export_another_townships_catalog(client, demo):
    client.force_login(User.objects.get(username="cg_clerk"))
    response = client.post(EXPORT, {"resource": "0", "format": XLSX, "organization": demo["河西乡"].pk})
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert response.context["form"].errors["organization"]
