"""Demo items for 示范县: published items in several domains, files, an interpretation,
a revised, a repealed and a withdrawn item, a withheld one due for re-assessment and one
waiting for review. All text is invented. Idempotent: an item whose title exists is skipped.

Items of 县民政局 go through the real workflow (clerk → reviewer); items of
other organisations come in as items migrated from an old site (import),
which is how a county starts the portal.
"""

import datetime as dt
import struct
import zlib

from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.models import CatalogEntry
from portal.models import Organization, User

from . import services
from .models import DisclosureAttribute, DisclosureItem, DocumentType, InterpretationForm, ItemKind, Validity


def tiny_pdf(text):
    """A valid one-page PDF showing ``text`` (ASCII) — enough for any viewer."""
    stream = f"BT /F1 14 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png(width=24, height=16, rgb=(179, 22, 28)):
    """A valid solid-colour PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _entry(domain, *names):
    node = CatalogEntry.objects.filter(parent__isnull=True, name=domain).first()
    for name in names:
        if node is None:
            return None
        node = node.get_children().filter(name=name).first()
    return node


def _file(name, content):
    upload = ContentFile(content, name=name)
    return upload


def _workflow(clerk, reviewer, org, *, title, body, entries, files=(), **fields):
    item = services.create_draft(
        clerk, org, title=title, body=body, catalog_entries=[e for e in entries if e], **fields
    )
    for name, content in files:
        services.add_attachment(clerk, item, _file(name, content))
    services.submit(clerk, item)
    services.sign_off_confidentiality(reviewer, item, note="经审查，不涉及国家秘密、工作秘密和个人隐私。")
    return services.publish(reviewer, item)


def _imported(admin, org, *, title, body, entries, published, files=(), **fields):
    item = DisclosureItem(
        organization=org,
        title=title,
        body=body,
        published_at=timezone.make_aware(dt.datetime.combine(published, dt.time(9, 0))),
        **fields,
    )
    item = services.import_published(admin, item, catalog_entries=[e for e in entries if e])
    for name, content in files:
        # Files of migrated items: attached through a short revision-free path (draft rules do not apply).
        from . import filetypes
        from .models import Attachment

        upload = _file(name, content)
        kind = filetypes.detect(upload)
        attachment = Attachment(
            item=item,
            original_name=name,
            file_type=kind,
            size=len(content),
            sha256=__import__("hashlib").sha256(content).hexdigest(),
            uploaded_by=admin,
        )
        attachment.stored_extension = filetypes.stored_extension(kind, name)
        attachment.file.save("upload", upload, save=False)
        attachment.save()
        item.versions.get(number=1).attachments.add(attachment)
    return item


def load(stdout):
    orgs = {o.short_name: o for o in Organization.objects.all()}
    if "县民政局" not in orgs:
        return None
    admin = User.objects.get(username="admin")
    clerk = User.objects.get(username="clerk")
    reviewer = User.objects.get(username="reviewer")
    civil = orgs["县民政局"]
    existing = set(DisclosureItem.objects.values_list("title", flat=True))

    def todo(title):
        return title not in existing

    policy_entry = _entry("社会救助", "综合业务", "政策法规文件")
    guide_entry = _entry("社会救助", "最低生活保障", "办事指南")
    review_entry = _entry("社会救助", "最低生活保障", "审核信息")
    relief_entry = _entry("社会救助", "临时救助", "审核审批信息")

    policy_title = "示范县民政局关于调整城乡居民最低生活保障标准的通知"
    if todo(policy_title):
        policy = _workflow(
            clerk,
            reviewer,
            civil,
            title=policy_title,
            body="<p>各乡镇人民政府：</p><p>为保障城乡低保对象基本生活，经县人民政府同意，自2026年1月1日起，"
            "城市低保标准由每人每月780元提高到820元，农村低保标准由每人每月620元提高到660元。</p>"
            "<p>各乡镇要做好低保金的核算和发放工作，确保按时足额发放到户。</p><p>附件：城乡低保标准调整表</p>",
            entries=[policy_entry],
            document_number="示民发[2026]3号",
            written_on=dt.date(2026, 1, 5),
            effective_on=dt.date(2026, 1, 1),
            document_type=DocumentType.NORMATIVE,
            subject="民政、扶贫、救灾\\社会福利",
            keywords="低保 标准 社会救助",
            files=[("城乡低保标准调整表.pdf", tiny_pdf("Dibao standard table 2026"))],
        )
        interpretation = services.create_draft(
            clerk,
            civil,
            title="《关于调整城乡居民最低生活保障标准的通知》政策解读",
            body="<h3>一、为什么调整低保标准？</h3><p>根据上年度居民人均消费支出增长情况，建立低保标准动态调整机制。</p>"
            "<h3>二、调整后标准是多少？</h3><p>城市每人每月820元，农村每人每月660元。</p>"
            "<h3>三、什么时候执行？</h3><p>自2026年1月1日起执行，1月份差额随2月份低保金一并补发。</p>",
            catalog_entries=[policy_entry] if policy_entry else [],
            kind=ItemKind.INTERPRETATION,
            interpretation_form=InterpretationForm.QA,
            interprets=[policy],
            subject="民政、扶贫、救灾\\社会福利",
        )
        services.submit(clerk, interpretation)
        services.sign_off_confidentiality(reviewer, interpretation, note="不涉密")
        services.publish(reviewer, interpretation)

    guide_title = "示范县城乡最低生活保障办事指南"
    if todo(guide_title):
        guide = _workflow(
            clerk,
            reviewer,
            civil,
            title=guide_title,
            body="<p><strong>办理条件：</strong>共同生活的家庭成员人均收入低于当地低保标准，且家庭财产状况符合规定。</p>"
            "<p><strong>申请材料：</strong>申请书、户口簿、身份证、家庭收入和财产状况声明。</p>"
            "<p><strong>办理地点：</strong>户籍所在地乡镇人民政府（街道办事处）便民服务中心。</p>"
            "<p><strong>咨询电话：</strong>0000-5550002</p>",
            entries=[guide_entry],
            subject="民政、扶贫、救灾\\社会福利",
            keywords="低保 办事指南",
        )
        revision = services.begin_revision(clerk, guide, note="更新申请材料，取消收入证明")
        services.update_draft(
            clerk,
            revision,
            body="<p><strong>办理条件：</strong>共同生活的家庭成员人均收入低于当地低保标准，且家庭财产状况符合规定。</p>"
            "<p><strong>申请材料：</strong>申请书、户口簿、身份证（收入情况由乡镇通过信息核对平台核查，无需再提交收入证明）。</p>"
            "<p><strong>办理地点：</strong>户籍所在地乡镇人民政府（街道办事处）便民服务中心。</p>"
            "<p><strong>咨询电话：</strong>0000-5550002</p>",
        )
        services.submit(clerk, revision)
        services.sign_off_confidentiality(reviewer, revision)
        services.publish(reviewer, revision)

    relief_title = "示范县2025年第四季度临时救助审核审批信息"
    if todo(relief_title):
        _workflow(
            clerk,
            reviewer,
            civil,
            title=relief_title,
            body="<p>2025年第四季度，全县共审批临时救助对象46户，发放救助金13.8万元。</p>"
            "<table><thead><tr><th>乡镇</th><th>户数</th><th>金额（万元）</th></tr></thead>"
            "<tbody><tr><td>城关镇</td><td>21</td><td>6.2</td></tr><tr><td>河西乡</td><td>25</td><td>7.6</td></tr></tbody></table>",
            entries=[relief_entry],
            subject="民政、扶贫、救灾\\社会福利",
        )

    repealed_title = "示范县城乡低保审核审批操作规程（2019年版）"
    if todo(repealed_title):
        old = _imported(
            admin,
            civil,
            title=repealed_title,
            document_number="示民发【2019】12号",
            body="<p>本规程规定了城乡低保申请、受理、审核、审批和公示的程序。</p>",
            entries=[policy_entry],
            published=dt.date(2019, 6, 10),
            written_on=dt.date(2019, 6, 3),
            document_type=DocumentType.NORMATIVE,
            index_number=f"{civil.code}/2019-00012",
        )
        services.change_validity(
            reviewer, old, Validity.REPEALED, on_date=dt.date(2026, 1, 1), note="被《示范县城乡低保审核确认办法》取代"
        )

    withdrawn_title = "关于2026年春节慰问困难群众的通知（重复发布）"
    if todo(withdrawn_title):
        wrong = _workflow(
            clerk, reviewer, civil, title=withdrawn_title, body="<p>慰问安排见正式通知。</p>", entries=[policy_entry]
        )
        services.withdraw(reviewer, wrong, reason="该信息重复发布，已撤回，请以正式通知为准。")

    withheld_title = "关于某企业申请低保信息系统维护费用的请示"
    if todo(withheld_title):
        item = services.create_draft(
            clerk,
            civil,
            title=withheld_title,
            body="<p>内部请示（演示）。</p>",
            disclosure_attribute=DisclosureAttribute.WITHHELD,
            attribute_reason="属于内部事务信息（《条例》第十六条第一款）",
        )
        services.submit(clerk, item)
        services.file_withheld(reviewer, item)
        DisclosureItem.objects.filter(pk=item.pk).update(withheld_on=timezone.localdate() - dt.timedelta(days=400))

    pending_title = "关于开展2026年城乡低保年度复核工作的通知"
    if todo(pending_title):
        item = services.create_draft(
            clerk,
            civil,
            title=pending_title,
            body="<p>各乡镇要于2026年6月底前完成在册低保对象的年度复核。</p>",
            catalog_entries=[policy_entry] if policy_entry else [],
            document_type=DocumentType.OTHER,
        )
        services.submit(clerk, item)

    if "县财政局" in orgs and todo("示范县财政局2026年部门预算公开（示例）"):
        _imported(
            admin,
            orgs["县财政局"],
            title="示范县财政局2026年部门预算公开（示例）",
            body="<p>本部门2026年收支预算总计1234.56万元。详见附件。</p>",
            entries=[_entry("财政预决算", "预算", "部门预算（示例）")],
            published=dt.date(2026, 2, 10),
            files=[("2026年部门预算表.pdf", tiny_pdf("Budget 2026")), ("预算结构图.png", tiny_png())],
        )

    if "县自然资源局" in orgs and todo("示范县2026年第一批次征地补偿安置方案公告"):
        _imported(
            admin,
            orgs["县自然资源局"],
            title="示范县2026年第一批次征地补偿安置方案公告",
            body="<p>根据《中华人民共和国土地管理法》，现将本批次征地补偿安置方案公告如下：征收河西乡柳树村集体土地"
            "3.2公顷，区片综合地价每亩4.6万元。被征地农村集体经济组织和农户对方案有异议的，可在公告之日起"
            "30日内提出听证申请。</p>",
            entries=[_entry("征地补偿", "征收土地信息", "征地补偿安置方案（示例）")],
            published=dt.date(2026, 3, 3),
            document_number="示自然资告〔2026〕1号",
            keywords="征地 补偿 安置",
        )

    # Items under entries of the shipped standard catalog (issue 13): they show under those
    # domains' pages. Each is skipped when its domain's file does not ship that entry.
    budget_entry = _entry("财政预决算", "财政预决算", "政府预算")
    if "县财政局" in orgs and budget_entry and todo("示范县2026年政府预算公开（示例）"):
        _imported(
            admin,
            orgs["县财政局"],
            title="示范县2026年政府预算公开（示例）",
            body="<p>经县人民代表大会批准，现公开本县2026年一般公共预算收入表、一般公共预算支出表等预算报表。"
            "本示例数据为演示用途。</p>",
            entries=[budget_entry],
            published=dt.date(2026, 2, 12),
            keywords="政府预算 一般公共预算",
        )
    safety_entry = _entry("安全生产", "政策文件", "法律法规")
    if "示范县" in orgs and safety_entry and todo("示范县安全生产法律法规目录（2026年版）"):
        _imported(
            admin,
            orgs["示范县"],
            title="示范县安全生产法律法规目录（2026年版）",
            body="<p>为便于企业和群众查阅，现将与安全生产有关的法律、法规目录公布如下，"
            "全文可在县政府网站政策文件栏目查阅。</p>",
            entries=[safety_entry],
            published=dt.date(2026, 1, 8),
            keywords="安全生产 法律法规",
        )
    culture_entry = _entry("公共文化服务", "公共服务", "公共文化机构免费开放信息")
    if "河西乡" in orgs and culture_entry and todo("河西乡综合文化站2026年免费开放信息"):
        _imported(
            admin,
            orgs["河西乡"],
            title="河西乡综合文化站2026年免费开放信息",
            body="<p>机构名称：河西乡综合文化站；开放时间：周二至周日9:00—17:00；机构地址：河西乡示范路1号；"
            "联系电话：0000-5550106。春节期间临时停止开放的，另行公告。</p>",
            entries=[culture_entry],
            published=dt.date(2026, 1, 5),
            keywords="文化站 免费开放",
        )

    if "河西乡" in orgs and todo("河西乡2026年第一季度冬春生活救助名单公示"):
        local = CatalogEntry.objects.filter(organization=orgs["河西乡"], name="冬春生活救助名单（本地）").first()
        _imported(
            admin,
            orgs["河西乡"],
            title="河西乡2026年第一季度冬春生活救助名单公示",
            body="<p>经村级评议、乡级审核，拟对以下12户困难家庭给予冬春生活救助，公示期7个工作日。</p>",
            entries=[local] if local else [],
            published=dt.date(2026, 1, 20),
        )

    if "城关镇" in orgs and todo("城关镇2026年2月城乡低保对象名单公示"):
        _imported(
            admin,
            orgs["城关镇"],
            title="城关镇2026年2月城乡低保对象名单公示",
            body="<p>本月新增城乡低保对象8户15人，停发3户5人。名单在各社区公示栏同步张贴。</p>",
            entries=[review_entry],
            published=dt.date(2026, 2, 25),
        )

    if "柳树村" in orgs and todo("柳树村2025年度村级财务收支公开"):
        _imported(
            admin,
            orgs["柳树村"],
            title="柳树村2025年度村级财务收支公开",
            body="<p>2025年度村级收入合计38.2万元，支出合计35.7万元，结余2.5万元。</p>",
            entries=[],
            published=dt.date(2026, 1, 15),
        )

    stdout.write(f"disclosure: {DisclosureItem.objects.public().count()} public items")
    return None
