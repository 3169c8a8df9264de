"""What each staff role may do with letters (互动交流): the core syncs these grants to the role groups.

The request officer handles letters as it handles applications; the reviewer (the head of
the office) approves an extension and what is published; the administrator does all of it
and sets the reply deadlines of its subtree.
"""

from portal.models import Role

GRANTS = {
    Role.REVIEWER: [
        "letters.view_letter",
        "letters.approve_letter_extension",
        "letters.publish_letter",
    ],
    Role.REQUEST_OFFICER: [
        # Accept, transfer, merge, reject, reply, convert to a request.
        "letters.view_letter",
        "letters.handle_letter",
    ],
    Role.ORG_ADMIN: [
        "letters.view_letter",
        "letters.handle_letter",
        "letters.approve_letter_extension",
        "letters.publish_letter",
        "letters.view_replydeadline",
        "letters.add_replydeadline",
        "letters.change_replydeadline",
        "letters.delete_replydeadline",
    ],
}
