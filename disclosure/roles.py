"""What each staff role may do with disclosure items (主动公开): the core syncs these grants to the role groups."""

from portal.models import Role

GRANTS = {
    Role.CLERK: [
        "disclosure.view_disclosureitem",
        "disclosure.add_disclosureitem",
        "disclosure.change_disclosureitem",
        "disclosure.view_attachment",
        "disclosure.add_attachment",
        "disclosure.change_attachment",
        "disclosure.delete_attachment",
    ],
    Role.REVIEWER: [
        "disclosure.view_disclosureitem",
        "disclosure.review_item",
        "disclosure.publish_item",
        "disclosure.sign_off_confidentiality",
        "disclosure.reassess_item",
        "disclosure.view_attachment",
        "disclosure.view_reassessment",
    ],
    Role.REQUEST_OFFICER: [
        # Art 44: a reply released to several applicants becomes a proactive draft.
        "disclosure.view_disclosureitem",
        "disclosure.add_disclosureitem",
    ],
    Role.ORG_ADMIN: [
        "disclosure.view_disclosureitem",
        "disclosure.add_disclosureitem",
        "disclosure.change_disclosureitem",
        "disclosure.review_item",
        "disclosure.publish_item",
        "disclosure.sign_off_confidentiality",
        "disclosure.reassess_item",
        "disclosure.view_attachment",
        "disclosure.add_attachment",
        "disclosure.change_attachment",
        "disclosure.delete_attachment",
        "disclosure.view_reassessment",
        "disclosure.view_itemversion",
        "disclosure.view_subscription",
    ],
}
