"""Guards below the services: 三员分立 and no roles for portal accounts on the user–group table,
roles after a flush, lockout audit."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import m2m_changed, post_migrate
from django.dispatch import receiver
from django.utils import timezone

from laborcredit.accounts.roles import ROLES, SEPARATED, role_clash, roles_sync
from laborcredit.audit.services import audit_append
from laborcredit.lib.errors import Refused

User = get_user_model()

SESSION_LOGIN_AT = "laborcredit_login_at"


def _labels(codes: set[str]) -> str:
    return "、".join(role.label for code, role in ROLES.items() if code in codes)


def separation_refusal(codes: set[str]) -> Refused:
    """AC1: `codes` are the roles one account would hold together, at least one of them an
    administrator's."""
    if codes <= SEPARATED:
        message = (
            f"三员分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任（{_labels(codes)}）"
        )
    else:
        message = (
            f"三员分立：{_labels(codes & SEPARATED)}不能兼任{_labels(codes - SEPARATED)}"
            "（系统管理员、安全管理员、审计管理员不兼任其他任何角色）"
        )
    return Refused.one("role", message, "separation-of-duties")


def is_employer_account(user: Any) -> bool:
    """第十八条: an employer's portal account, known by its name (a staff name has no colon)."""
    from laborcredit.portal.models import USERNAME_PREFIX

    return str(user.get_username()).startswith(USERNAME_PREFIX)


def employer_account_refusal(codes: set[str]) -> Refused:
    return Refused.one(
        "user",
        f"用人单位门户账号不能分配工作人员角色（{_labels(codes)}）",
        "employer-account",
    )


@receiver(m2m_changed, sender=User.groups.through)
def refuse_roles_that_clash(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """AC1: whichever side adds the group, no administrator ends up with a second role, and no
    employer portal account with a role at all."""
    if action != "pre_add" or not pk_set:
        return
    if not reverse:
        added = set(
            Group.objects.filter(pk__in=pk_set, name__in=ROLES).values_list("name", flat=True)
        )
        if not added:
            return
        if is_employer_account(instance):
            raise employer_account_refusal(added)
        held = set(instance.groups.filter(name__in=ROLES).values_list("name", flat=True))
        for role in sorted(added):
            if clash := role_clash(role, held | added):
                raise separation_refusal({role, *clash})
        return
    if instance.name not in ROLES:
        return
    from laborcredit.portal.models import USERNAME_PREFIX

    if User.objects.filter(pk__in=pk_set, username__startswith=USERNAME_PREFIX).exists():
        raise employer_account_refusal({instance.name})
    clash = (
        Group.objects.filter(user__pk__in=pk_set, name__in=role_clash(instance.name, ROLES))
        .values_list("name", flat=True)
        .first()
    )
    if clash:
        raise separation_refusal({instance.name, clash})


@receiver(post_migrate)
def keep_roles(sender: Any, using: str = "default", apps: Any = None, **kwargs: Any) -> None:
    """The roles' groups come back after a flush (tests), as the data migration made them.

    `migrate` passes its historical apps; a flush passes none, and the live registry serves."""
    if getattr(sender, "label", None) != "accounts":
        return
    roles_sync(apps or django_apps, using=using)


@receiver(user_logged_in)
def remember_login_time(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """IA3: the absolute session lifetime counts from here (`AccountPolicyMiddleware`)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LOGIN_AT] = timezone.now().timestamp()


@receiver(user_locked_out)
def audit_lockout(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    """IA2, AU1: one entry when the account or address becomes locked, not at each refusal after."""
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    from laborcredit.accounts.services import safe_username
    from laborcredit.audit.middleware import client_address

    with transaction.atomic():
        audit_append(
            event="lockout",
            object_type="user",
            object_id=safe_username(username or ""),
            outcome="denied",
            # The real address (axes counts portal logins under a stand-in: accounts/lockout.py).
            data={"address": client_address(request) if request is not None else ip_address or ""},
        )
