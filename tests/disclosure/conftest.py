"""A small county for disclosure tests: organisations, one user per role, a few catalog entries."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Adoption, AdoptionStatus, CatalogEntry, FiveDisclosures
from disclosure import services

# A tiny but real PDF (what the magic-byte check needs to see).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name="低保标准.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def county(county, settings, tmp_path):
    """The canonical county (tests/conftest.py) with a small catalog its organisations adopted."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DISCLOSURE_FILES_ROOT = tmp_path / "files"
    c = county
    c.domain = CatalogEntry.objects.create(name="社会救助", sort_order=1)
    c.group = CatalogEntry.objects.create(name="最低生活保障", parent=c.domain, proactive=True)
    c.entry = CatalogEntry.objects.create(
        name="办事指南",
        parent=c.group,
        proactive=True,
        level_county=True,
        time_limit_text="制定或获取信息之日起10个工作日内",
        five_disclosures=FiveDisclosures.SERVICE,
    )
    c.policy_entry = CatalogEntry.objects.create(
        name="政策法规文件",
        parent=c.group,
        proactive=True,
        level_county=True,
        time_limit_text="信息形成或变更之日起20个工作日内",
        requires_interpretation=True,
    )
    c.land = CatalogEntry.objects.create(name="征地补偿", sort_order=2)
    c.land_entry = CatalogEntry.objects.create(
        name="征收土地信息",
        parent=c.land,
        proactive=True,
        level_county=True,
        level_township=True,
    )
    for org in (c.civil, c.east, c.west):
        for e in (c.group, c.entry, c.policy_entry, c.land_entry):
            Adoption.objects.create(organization=org, entry=e, status=AdoptionStatus.ADOPTED, reason="测试")
    return c


@pytest.fixture
def make_item(county):
    def make(
        title="关于调整城乡居民最低生活保障标准的通知",
        body="<p>自2026年起，城乡低保标准提高。</p>",
        organization=None,
        actor=None,
        entries=None,
        **fields,
    ):
        fields.setdefault("formed_on", dt.date(2026, 3, 2))
        return services.create_draft(
            actor or county.clerk,
            organization or county.civil,
            title=title,
            body=body,
            catalog_entries=[county.entry] if entries is None else entries,
            **fields,
        )

    return make


@pytest.fixture
def publish_item(county, make_item):
    """Take an item through the whole review and return it published."""

    def publish(item=None, clerk=None, reviewer=None, **fields):
        item = item or make_item(**fields)
        services.submit(clerk or county.clerk, item)
        services.sign_off_confidentiality(reviewer or county.reviewer, item, note="不涉密")
        result = services.publish(reviewer or county.reviewer, item)
        result.refresh_from_db()
        return result

    return publish
