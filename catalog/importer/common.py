"""What both imports share: the report, the columns, the domains and the small rules of comparison."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import CatalogEntry

OVERRIDDEN = ("time_limit_text", "responsible_body", "channels")
TEXT_COLUMNS = ("content_elements", "legal_basis", "time_limit_text", "responsible_body")
FLAGS = ("audience_public", "audience_specific", "proactive", "on_request", "level_county", "level_township")
ENTRY_COLUMNS = TEXT_COLUMNS + ("channels",) + FLAGS + ("five_disclosures",)
_REASON_MAX = 300


class _System:
    """The actor of imports no person started: the shipped standard catalog (``load_standard_catalog``).

    It may import the standard catalog (as a superuser may); the audit log
    records such changes without a user.
    """

    is_superuser = True
    is_authenticated = False
    is_active = True
    pk = None

    def __str__(self):
        return _("系统（载入标准目录）")


SYSTEM = _System()


def summary_counts(new_rows, new_parents, updated, skipped):
    """The banner's line: new entries counted with the parents created for them (not rows)."""
    if new_parents:
        text = _("新增 %(new)d 项（其中上级事项 %(parents)d 项），更新 %(update)d 项，无变化 %(skip)d 项。")
    else:
        text = _("新增 %(new)d 项，更新 %(update)d 项，无变化 %(skip)d 项。")
    return text % {"new": new_rows + new_parents, "parents": new_parents, "update": updated, "skip": skipped}


def default_reason(file_name):
    reason = _("导入目录文件 %(name)s") % {"name": file_name or _("（未命名）")}
    return reason[:_REASON_MAX]


@dataclass
class RowOutcome:
    """What importing one row did (or, in a dry run, would do)."""

    row: object
    kind: str  # "new", "update" or "skip", as django-import-export names them
    entry: CatalogEntry
    domain: CatalogEntry
    summary: str
    notes: list = field(default_factory=list)
    effective: dict = field(default_factory=dict)
    new_parents: int = 0  # entries this row created above its own (一级事项 for a new 二级事项)


@dataclass
class ImportReport:
    outcomes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    ignored: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self):
        return not self.problems

    def count(self, kind):
        return sum(1 for o in self.outcomes if o.kind == kind)

    @property
    def new_parents(self):
        """Entries created only as the parents of new rows: new entries too, though no row of their own."""
        return sum(o.new_parents for o in self.outcomes)


# --------------------------------------------------------------------------- domains


class _Domains:
    """The domains with their aliases, looked up by exact name or inside a title."""

    def __init__(self):
        self.names = {}
        for domain in CatalogEntry.objects.domains().standard().order_by("sort_order", "name"):
            for name in [domain.name, *domain.alias_list]:
                self.names.setdefault(name.strip(), domain)

    def exact(self, text):
        text = (text or "").strip()
        if not text:
            return None
        return self.names.get(text) or self.names.get(text.removesuffix("领域"))

    def within(self, text):
        """The domain a title names ("XX县社会救助领域基层政务公开标准目录"), longest name first."""
        for name in sorted(self.names, key=len, reverse=True):
            if name and name in (text or ""):
                return self.names[name]
        return None

    def add(self, domain):
        self.names[domain.name] = domain


def _derive_levels(values):
    """公开层级 when the file has no such column: read from the responsible body, as the shipped catalog is."""
    body = values.get("responsible_body", "")
    return {
        "level_county": "县" in body,
        "level_township": any(word in body for word in ("乡", "镇", "街道")),
    }


def _field_label(name):
    try:
        return str(CatalogEntry._meta.get_field(name).verbose_name)
    except Exception:  # "name", "parent" and other keys of an adjustment
        return {"name": _("名称"), "parent": _("上级事项")}.get(name, name)


def _key(node):
    """A node's key in the importer's maps: its id, or the instance itself until it is saved."""
    return node.pk if node.pk is not None else ("new", id(node))


def _same(field_name, a, b):
    if field_name == "channels":
        return set(a or []) == set(b or [])
    if field_name in FLAGS:
        return bool(a) == bool(b)
    return (a or "") == (b or "")
