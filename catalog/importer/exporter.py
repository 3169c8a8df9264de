"""Exporting a catalog in the official layout, with an organisation's own (effective) wording."""

from django.utils.translation import gettext as _

from ..models import Adoption, AdoptionStatus, CatalogEntry, FiveDisclosures
from ..spreadsheet import TICK, format_channels, level_header, with_code
from .common import FLAGS, TEXT_COLUMNS


def _has_own_row(node, children):
    """Whether a group needs a row of its own: it says something its children do not."""
    if any(getattr(node, f) for f in TEXT_COLUMNS) or node.channels or node.five_disclosures:
        return True
    if node.audience_public or node.audience_specific or node.on_request:
        return True
    derived = (
        any(c.level_county for c in children),
        any(c.level_township for c in children),
        any(c.proactive for c in children),
    )
    return (node.level_county, node.level_township, node.proactive) != derived


def _title(organization, domains):
    domain = f"{domains[0].name}领域" if len(domains) == 1 else ""
    if organization is None:
        return _("%(domain)s基层政务公开标准目录") % {"domain": domain}
    return _("%(org)s%(domain)s政务公开事项目录") % {"org": organization.name, "domain": domain}


def export_table(organization=None, domain=None):
    """(title, headers, rows) of the standard catalog or ``organization``'s catalog in the official layout."""
    from .. import selectors

    domains = [domain] if domain is not None else list(selectors.domains())
    tree_ids = [d.tree_id for d in domains]
    nodes = CatalogEntry.objects.filter(tree_id__in=tree_ids)
    if organization is None:
        nodes = nodes.filter(organization__isnull=True)
        adoptions = None
    else:
        nodes = nodes.filter(organization__isnull=True) | nodes.filter(organization=organization)
        adoptions = {
            a.entry_id: a
            for a in Adoption.objects.filter(
                organization=organization,
                status=AdoptionStatus.ADOPTED,
                entry__tree_id__in=tree_ids,
            )
        }
    by_tree = {}
    for node in nodes.order_by("tree_id", "lft"):
        by_tree.setdefault(node.tree_id, []).append(node)

    records = []  # (domain, path, entry, adoption)
    for domain_node in domains:
        tree = by_tree.get(domain_node.tree_id, [])
        children = {}
        for node in tree:
            children.setdefault(node.parent_id, []).append(node)
        path = []
        for node in tree:
            if node.parent_id is None:
                continue
            path = path[: node.level - 1] + [node]
            if adoptions is None:
                kids = children.get(node.pk, [])
                if kids and not _has_own_row(node, kids):
                    continue
                records.append((domain_node, list(path), node, None))
            else:
                # Only the entries an item is published for: an adopted group is the first half
                # of its children's 公开事项 cell, and one whose children are all left out lists nothing.
                adoption = adoptions.get(node.pk)
                if adoption is None or children.get(node.pk):
                    continue
                adoption.entry = node  # the effective values read the entry: no query per row
                records.append((domain_node, list(path), node, adoption))

    depth = max([2] + [len(path) for _d, path, _e, _a in records])
    has_five = any(entry.five_disclosures for _d, _p, entry, _a in records)
    headers = (
        [_("序号"), _("领域")]
        + [level_header(d) for d in range(1, depth + 1)]
        + [
            _("公开内容（要素）"),
            _("公开依据"),
            _("公开时限"),
            _("公开主体"),
            _("公开渠道和载体"),
            _("全社会"),
            _("特定群体"),
            _("主动"),
            _("依申请"),
            _("县级"),
            _("乡级"),
        ]
        + ([_("五公开类别")] if has_five else [])
    )
    five_labels = dict(FiveDisclosures.choices)
    rows = []
    for number, (domain_node, path, entry, adoption) in enumerate(records, start=1):
        names = [with_code(n.name, n.code) for n in path] + [""] * (depth - len(path))
        time_limit = adoption.effective_time_limit_text if adoption else entry.time_limit_text
        body = adoption.effective_responsible_body if adoption else entry.responsible_body
        channels = adoption.effective_channels if adoption else entry.channels
        ticks = [TICK if getattr(entry, f) else "" for f in FLAGS]
        row = [
            number,
            with_code(domain_node.name, domain_node.code),
            *names,
            entry.content_elements,
            entry.legal_basis,
            time_limit,
            body,
            format_channels(channels),
            *ticks,
        ]
        if has_five:
            row.append(str(five_labels.get(entry.five_disclosures, "")))
        rows.append(row)
    return _title(organization, domains), [str(h) for h in headers], rows
