"""What each staff role may do with the annual report (年报): the core syncs these grants to the role groups."""

from portal.models import Role

GRANTS = {
    Role.CLERK: [
        # Annual report: prepare the draft, enter table 二 figures and table 四 cases.
        "annual.view_annualreport",
        "annual.prepare_report",
        "annual.view_proactivefigures",
        "annual.add_proactivefigures",
        "annual.change_proactivefigures",
        "annual.view_reviewcase",
        "annual.add_reviewcase",
        "annual.change_reviewcase",
    ],
    Role.REVIEWER: [
        # Annual report: review and publish.
        "annual.view_annualreport",
        "annual.review_report",
        "annual.publish_report",
        "annual.view_proactivefigures",
        "annual.view_reviewcase",
    ],
    Role.REQUEST_OFFICER: [
        # Annual report: read it; record reconsideration and litigation about replies.
        "annual.view_annualreport",
        "annual.view_reviewcase",
        "annual.add_reviewcase",
        "annual.change_reviewcase",
    ],
    Role.ORG_ADMIN: [
        "annual.view_annualreport",
        "annual.prepare_report",
        "annual.review_report",
        "annual.publish_report",
        "annual.view_proactivefigures",
        "annual.add_proactivefigures",
        "annual.change_proactivefigures",
        "annual.view_reviewcase",
        "annual.add_reviewcase",
        "annual.change_reviewcase",
        "annual.delete_reviewcase",
    ],
}
