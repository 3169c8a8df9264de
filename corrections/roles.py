"""What each staff role may do with error reports (我要纠错): the core syncs these grants to the role groups.

The clerk who keeps the organisation's pages answers reports about them; the reviewer reads;
the administrator does all of it.
"""

from portal.models import Role

GRANTS = {
    Role.CLERK: [
        "corrections.view_errorreport",
        "corrections.handle_report",
    ],
    Role.REVIEWER: [
        "corrections.view_errorreport",
    ],
    Role.ORG_ADMIN: [
        "corrections.view_errorreport",
        "corrections.handle_report",
    ],
}
