"""The four staff roles and the model permissions each one holds.

Permissions are named "app_label.codename" so that later apps can list their
own here; :func:`sync_role_permissions` grants whatever exists and is run by
the data migration and again after every ``migrate``, so a role picks up the
permissions of an app installed later.
"""

from .models import Role

ROLE_PERMISSIONS = {
    Role.CLERK: [
        "portal.view_organization",
        "catalog.view_catalogentry",
        "catalog.add_catalogentry",
        "catalog.change_catalogentry",
        "catalog.view_adoption",
        "catalog.add_adoption",
        "catalog.change_adoption",
        "catalog.view_adjustment",
        "disclosure.view_disclosureitem",
        "disclosure.add_disclosureitem",
        "disclosure.change_disclosureitem",
        "disclosure.view_attachment",
        "disclosure.add_attachment",
        "disclosure.change_attachment",
        "disclosure.delete_attachment",
        # Annual report: prepare the draft, enter table 二 figures and table 四 cases.
        "annual.view_annualreport",
        "annual.prepare_report",
        "annual.view_proactivefigures",
        "annual.add_proactivefigures",
        "annual.change_proactivefigures",
        "annual.view_reviewcase",
        "annual.add_reviewcase",
        "annual.change_reviewcase",
        # 意见征集: publish drafts, moderate comments, publish the feedback; 我要纠错: answer reports.
        "consultations.view_consultation",
        "consultations.manage_consultation",
        "consultations.moderate_comment",
        "corrections.view_errorreport",
        "corrections.handle_report",
    ],
    Role.REVIEWER: [
        "portal.view_organization",
        "catalog.view_catalogentry",
        "catalog.view_adoption",
        "catalog.view_adjustment",
        "disclosure.view_disclosureitem",
        "disclosure.review_item",
        "disclosure.publish_item",
        "disclosure.sign_off_confidentiality",
        "disclosure.reassess_item",
        "disclosure.view_attachment",
        "disclosure.view_reassessment",
        # Information requests: the head of the office approves extensions (Art 33).
        "requests_app.view_request",
        "requests_app.approve_extension",
        "requests_app.view_notice",
        # Annual report: review and publish.
        "annual.view_annualreport",
        "annual.review_report",
        "annual.publish_report",
        "annual.view_proactivefigures",
        "annual.view_reviewcase",
        "consultations.view_consultation",
        "corrections.view_errorreport",
    ],
    Role.REQUEST_OFFICER: [
        "portal.view_organization",
        "catalog.view_catalogentry",
        # Art 44: a reply released to several applicants becomes a proactive draft.
        "disclosure.view_disclosureitem",
        "disclosure.add_disclosureitem",
        # Information requests: intake, every handling step, the register.
        "requests_app.view_request",
        "requests_app.handle_request",
        "requests_app.view_personal_data",
        "requests_app.export_register",
        "requests_app.view_notice",
        "requests_app.view_noticetemplate",
        # Mail to applicants that failed: see it and send it again.
        "portal.view_outboundmessage",
        "portal.resend_outboundmessage",
        # Annual report: read it; record reconsideration and litigation about replies.
        "annual.view_annualreport",
        "annual.view_reviewcase",
        "annual.add_reviewcase",
        "annual.change_reviewcase",
    ],
    Role.ORG_ADMIN: [
        "portal.view_organization",
        "portal.change_organization",
        "portal.add_organization",
        "portal.view_user",
        "portal.add_user",
        "portal.change_user",
        "portal.view_auditentry",
        "portal.view_calendarday",
        "portal.add_calendarday",
        "portal.change_calendarday",
        "portal.view_scheduleyear",
        "portal.add_scheduleyear",
        "portal.view_outboundmessage",
        "portal.resend_outboundmessage",
        # The footer's site information (of a root organisation: only its administrators reach one).
        "portal.view_sitesettings",
        "portal.add_sitesettings",
        "portal.change_sitesettings",
        "catalog.view_catalogentry",
        "catalog.add_catalogentry",
        "catalog.change_catalogentry",
        "catalog.view_adoption",
        "catalog.add_adoption",
        "catalog.change_adoption",
        "catalog.view_adjustment",
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
        "consultations.view_consultation",
        "consultations.manage_consultation",
        "consultations.moderate_comment",
        "corrections.view_errorreport",
        "corrections.handle_report",
    ],
}


def sync_role_permissions(apps=None):
    """Create the role groups and give each exactly the permissions listed here.

    The roles are defined in code: a permission taken out of
    ``ROLE_PERMISSIONS`` is taken away from the group on the next migrate, and
    permissions added to a role group by hand do not survive it. Give an
    individual user extra permissions on the user instead.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
