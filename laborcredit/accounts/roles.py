"""The roles (issue 4, "Who can do what"): one definition, made into Django groups with permissions.

A role is a group named by its code; views and services check the permissions,
never the group name. 三员分立 (AC1, MLPS 2.0): an account holding one of
`SEPARATED` holds no other role at all (`role_clash`, enforced in
`services.role_assign` and, below it, by a signal on the user–group table).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    permissions: tuple[str, ...]  # "app_label.codename"


_CREDIT_FILE = (
    "credit.view_employer",
    "credit.view_employername",
    "credit.view_creditrecord",
    "rating.view_employergrade",
    "rating.view_gradechange",
)
_RUNS = ("rating.view_evaluationrun", "rating.view_runresult", "rating.view_reviewdecision")
# 第十七条(三) interviews and the joint-punishment list (第十七条): read by those who read credit files.
_MEASURES_READ = ("measures.view_interview", "measures.view_joint_punishment")

ROLES: dict[str, Role] = {
    role.code: role
    for role in (
        Role(
            "credit_officer",
            "信用管理员",
            (
                *_CREDIT_FILE,
                *_RUNS,
                "credit.add_employer",
                "credit.change_employer",
                "credit.add_creditrecord",
                "credit.view_personal_info",  # keeps basic information: sees it whole, audited
                "rating.add_evaluationrun",  # drafting an evaluation run
                "rating.add_reviewdecision",  # needs_review decisions
                "rating.view_dashboard",
                "inspections.view_inspectionplan",
                "inspections.add_inspectionplan",  # drawing a plan
                "inspections.change_inspectionplan",  # publishing it
                "inspections.view_inspector",
                "inspections.add_inspector",
                "inspections.change_inspector",
                "inspections.view_conflictdeclaration",
                "inspections.add_conflictdeclaration",
                *_MEASURES_READ,
                "measures.add_localmeasure",  # 第十四条(三)、第十五条(三): adds and retires
                "measures.add_interview",  # 第十七条(三): schedules
                "measures.change_interview",  # records the interview held, or cancels it
                # -- objections (credit_officer)
                "objections.view_objection",  # 第十九条、第二十条: the objections and their deadlines
                "objections.add_objection",  # registers an objection received on paper
                "objections.change_objection",  # accepts, decides, notifies, records the push
                # -- repair (credit_officer)
                "repair.view_repairadjustment",  # 第二十一条: the due list and repair files
                "repair.add_repairadjustment",  # records the grade adjustment
                # -- portal (credit_officer)
                "portal.view_employeraccount",  # 第十八条: employer accounts on the portal
                "portal.add_employeraccount",  # opens one, with a one-time activation code
                "portal.change_employeraccount",  # reissues the code, disables
                # -- exchange (credit_officer)
                "exchange.view_outboxitem",  # 第六条、第二十条: pushes to the city platform
                "exchange.change_outboxitem",  # retries a failed push
                # -- reports (credit_officer)
                "reports.view_superiorreport",  # 第六条: the report to superior departments
                "reports.view_issuedreport",  # credit reports issued
                "reports.add_issuedreport",  # issues an employer's credit report (PDF)
            ),
        ),
        Role(
            "inspector",
            "监察员",
            (
                *_CREDIT_FILE,
                "inspections.view_inspectionplan",
                "inspections.record_inspection_result",  # only on inspections drawn for them
                *_MEASURES_READ,
            ),
        ),
        Role(
            "licensing_window",
            "审批窗口",
            ("credit.view_employer", "credit.view_employername", "rating.view_employergrade"),
        ),
        Role(
            "leadership",
            "领导",
            (
                *_CREDIT_FILE,
                *_RUNS,
                "rating.approve_evaluationrun",
                "rating.view_dashboard",
                "inspections.view_inspectionplan",
                "inspections.view_inspector",
                "inspections.view_conflictdeclaration",
                *_MEASURES_READ,
                # -- objections (leadership)
                "objections.view_objection",  # 第二十条: deadlines, overdue list, monthly report
                # -- repair (leadership)
                "repair.view_repairadjustment",  # 第二十一条: the due list and repair files
                # -- exchange (leadership)
                "exchange.view_outboxitem",  # 第二十条: late and failing pushes
                # -- reports (leadership)
                "reports.view_superiorreport",  # 第六条: the report to superior departments
                "reports.view_issuedreport",  # credit reports issued
            ),
        ),
        Role(
            "system_admin",
            "系统管理员",
            (
                "auth.view_user",
                "auth.add_user",
                "auth.change_user",
                # 工作日: the State Council's holiday arrangement of a year chinese-calendar lacks
                "workdays.view_yeararrangement",
                "workdays.add_yeararrangement",
                # -- api (system_admin)
                "api.view_apikey",  # 第六条: other departments' API keys (/apikeys/)
                "api.add_apikey",
                "api.change_apikey",  # revoke
            ),
        ),
        Role("security_admin", "安全管理员", ("auth.view_user", "accounts.assign_roles")),
        Role("audit_admin", "审计管理员", ("audit.view_auditentry",)),
    )
}

# 三员分立: mutually exclusive, and none of them shared with a business role.
SEPARATED = frozenset({"system_admin", "security_admin", "audit_admin"})


def role_clash(role: str, held: Iterable[str]) -> set[str]:
    """三员分立 (AC1): the roles in `held` that an account cannot keep along with `role`: an
    administrator holds no other role, and a business role is never given to an administrator
    (a 系统管理员 who reads credit files, an 审计管理员 who audits their own changes)."""
    others = {code for code in held if code in ROLES and code != role}
    if role in SEPARATED:
        return others
    return others & SEPARATED


def role_label(code: str) -> str:
    role = ROLES.get(code)
    return role.label if role else code


def roles_sync(apps: Any, using: str = "default", *, strict: bool = True) -> None:
    """Make each role's group hold exactly its permissions (after every migrate, and a flush).

    An early data migration passes strict=False: a permission that a later
    migration creates is given by the sync after `migrate` has finished.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True  # historical apps have no module
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        app_config.models_module = original
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role in ROLES.values():
        group, _ = group_model.objects.using(using).get_or_create(name=role.code)
        wanted = []
        for name in role.permissions:
            app_label, codename = name.split(".")
            found = permission_model.objects.using(using).filter(
                content_type__app_label=app_label, codename=codename
            )
            if not found.exists() and not strict:
                continue
            wanted.append(found.get())
        group.permissions.set(wanted)
