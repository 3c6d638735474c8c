"""Guards below the services: 三员分立 on the user–group table, roles after a flush, lockout audit."""

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

from laborcredit.accounts.roles import SEPARATED, role_label, roles_sync
from laborcredit.audit.services import audit_append
from laborcredit.lib.errors import Refused

User = get_user_model()

SESSION_LOGIN_AT = "laborcredit_login_at"


def separation_refusal(codes: set[str]) -> Refused:
    labels = "、".join(sorted(role_label(code) for code in codes))
    return Refused.one(
        "role",
        f"三员分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任（{labels}）",
        "separation-of-duties",
    )


@receiver(m2m_changed, sender=User.groups.through)
def refuse_two_separated_roles(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """AC1: whichever side adds the group, no account ends up with two of the three roles."""
    if action != "pre_add" or not pk_set:
        return
    if not reverse:
        held = set(instance.groups.filter(name__in=SEPARATED).values_list("name", flat=True))
        added = set(
            Group.objects.filter(pk__in=pk_set, name__in=SEPARATED).values_list("name", flat=True)
        )
        if len(held | added) > 1:
            raise separation_refusal(held | added)
        return
    if instance.name not in SEPARATED:
        return
    clash = (
        Group.objects.filter(user__pk__in=pk_set, name__in=SEPARATED - {instance.name})
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
