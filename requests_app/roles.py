"""What each staff role may do with information requests (依申请公开).

The core syncs these grants to the role groups. The reviewer (the head of the office)
approves extensions (条例第三十三条); the request officer handles every other step.
"""

from portal.models import Role

GRANTS = {
    Role.REVIEWER: [
        # Information requests: the head of the office approves extensions (Art 33).
        "requests_app.view_request",
        "requests_app.approve_extension",
        "requests_app.view_notice",
    ],
    Role.REQUEST_OFFICER: [
        # Information requests: intake, every handling step, the register.
        "requests_app.view_request",
        "requests_app.handle_request",
        "requests_app.view_personal_data",
        "requests_app.export_register",
        "requests_app.view_notice",
        "requests_app.view_noticetemplate",
    ],
    Role.ORG_ADMIN: [
        "requests_app.view_request",
        "requests_app.handle_request",
        "requests_app.approve_extension",
        "requests_app.view_personal_data",
        "requests_app.export_register",
        "requests_app.view_notice",
        "requests_app.view_noticetemplate",
        "requests_app.add_noticetemplate",
        "requests_app.change_noticetemplate",
        "requests_app.view_requestsettings",
        "requests_app.add_requestsettings",
        "requests_app.change_requestsettings",
    ],
}
