"""What each staff role may do with the catalog (目录): the core syncs these grants to the role groups."""

from portal.models import Role

GRANTS = {
    Role.CLERK: [
        "catalog.view_catalogentry",
        "catalog.add_catalogentry",
        "catalog.change_catalogentry",
        "catalog.view_adoption",
        "catalog.add_adoption",
        "catalog.change_adoption",
        "catalog.view_adjustment",
    ],
    Role.REVIEWER: [
        "catalog.view_catalogentry",
        "catalog.view_adoption",
        "catalog.view_adjustment",
    ],
    Role.REQUEST_OFFICER: [
        "catalog.view_catalogentry",
    ],
    Role.ORG_ADMIN: [
        "catalog.view_catalogentry",
        "catalog.add_catalogentry",
        "catalog.change_catalogentry",
        "catalog.view_adoption",
        "catalog.add_adoption",
        "catalog.change_adoption",
        "catalog.view_adjustment",
    ],
}
