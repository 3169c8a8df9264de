"""What each staff role may do with consultations (意见征集): the core syncs these grants to the role groups.

The clerk who publishes the organisation's documents also publishes its drafts, moderates the
comments and writes the feedback; the reviewer reads; the administrator does all of it.
"""

from portal.models import Role

GRANTS = {
    Role.CLERK: [
        "consultations.view_consultation",
        "consultations.manage_consultation",
        "consultations.moderate_comment",
    ],
    Role.REVIEWER: [
        "consultations.view_consultation",
    ],
    Role.ORG_ADMIN: [
        "consultations.view_consultation",
        "consultations.manage_consultation",
        "consultations.moderate_comment",
    ],
}
