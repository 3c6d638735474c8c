"""Writes on accounts (IA1–IA3, AC1): each audited in the same transaction as the change.

`actor` is the account acting; None means the operator at the command line
(`laborcredit users …`), who is trusted like the database owner.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcredit.accounts.models import AccountProfile
from laborcredit.accounts.roles import ROLES, role_clash, role_label
from laborcredit.accounts.signals import (
    employer_account_refusal,
    is_employer_account,
    separation_refusal,
)
from laborcredit.audit.services import audit_append
from laborcredit.lib.errors import Refused
from laborcredit.lib.masking import mask_id_numbers_in
from laborcredit.rules.validation import Problem

User = get_user_model()


def safe_username(name: str) -> str:
    """A typed user name fit for the audit log: bounded, and an ID number typed by mistake masked."""
    return mask_id_numbers_in(name[:150])


def _require(actor: Any, permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise Refused.one("actor", "没有执行此操作的权限", "permission-denied")


def _check_password(password: str, user: Any) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Refused(
            [Problem("password", message, "weak-password") for message in error.messages]
        ) from None


def role_codes(user: Any) -> list[str]:
    return sorted(user.groups.filter(name__in=ROLES).values_list("name", flat=True))


def _roles_text(codes: list[str]) -> str:
    return "、".join(role_label(code) for code in codes) or "无"


@transaction.atomic
def user_create(*, username: str, password: str, actor: Any, full_name: str = "") -> Any:
    """A new account that must change its password at first login (IA1)."""
    _require(actor, "auth.add_user")
    username = username.strip()
    if not username:
        raise Refused.one("username", "账号不能为空", "required")
    if not re.fullmatch(r"[\w.@+-]+", username):
        # No colon: "employer:<code>" names the portal's accounts (第十八条), never staff.
        raise Refused.one(
            "username", "账号只能由字母、数字、汉字和 @ . + - _ 组成", "username-invalid"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise Refused.one("username", f"账号 {username} 已存在", "duplicate-username")
    user = User(username=username, first_name=full_name[:150])
    _check_password(password, user)
    user.set_password(password)
    user.save()
    AccountProfile.objects.create(user=user, must_change_password=True)
    audit_append(event="user_create", object_type="user", object_id=user.username)
    return user


def sessions_destroy(user: Any, *, keep: str | None = None) -> int:
    """IA3: delete every server-side session of the account, so an old cookie is worth nothing;
    `keep` names the one session to spare (the one that changed the account's own password)."""
    mine = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
        and session.session_key != keep
    ]
    Session.objects.filter(session_key__in=mine).delete()
    return len(mine)


@transaction.atomic
def user_disable(*, user: Any, actor: Any) -> None:
    """The account can no longer log in, and its open sessions end now."""
    _require(actor, "auth.change_user")
    if actor is not None and actor.pk == user.pk:
        raise Refused.one("user", "不能停用自己的账号", "self-disable")
    if actor is not None and user.is_active and "security_admin" in role_codes(user):
        _another_security_admin_kept(user, "user", "停用系统中最后一名安全管理员的账号")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_destroy(user)
    audit_append(
        event="user_disable", object_type="user", object_id=user.username, data={"sessions": ended}
    )


def _another_security_admin_kept(user: Any, place: str, what: str) -> None:
    """Refused unless another active account keeps the 安全管理员 role: without one, no one can
    assign roles from the web any more (the operator still can, with `laborcredit users`)."""
    # Locked, so that two taking each other's role or account cannot both pass.
    group = Group.objects.select_for_update().get(name="security_admin")
    if not group.user_set.filter(is_active=True).exclude(pk=user.pk).exists():
        raise Refused.one(
            place,
            f"不能{what}，否则将无人能分配角色；请先为另一账号分配安全管理员",
            "last-security-admin",
        )


@transaction.atomic
def role_assign(*, user: Any, role: str, actor: Any) -> None:
    """Give the account a role; 三员分立 refuses any second role to an administrator and an
    administrator role to a holder of any other, and a portal account gets no role (第十八条)."""
    _require(actor, "accounts.assign_roles")
    if role not in ROLES:
        raise Refused.one("role", f"没有角色 {role}", "unknown-role")
    before = role_codes(user)
    if role in before:
        return
    if is_employer_account(user):
        raise employer_account_refusal({role})
    if clash := role_clash(role, before):
        raise separation_refusal({role, *clash})
    if actor is not None and actor.pk == user.pk:
        raise Refused.one("user", "不能为自己分配角色", "self-assign")
    user.groups.add(Group.objects.get(name=role))
    audit_append(
        event="role_change",
        object_type="user",
        object_id=user.username,
        data={"from": _roles_text(before), "to": _roles_text(role_codes(user))},
    )


@transaction.atomic
def role_revoke(*, user: Any, role: str, actor: Any) -> None:
    """Take a role from the account; on the web, never one's own, nor the last 安全管理员's
    (no one could assign roles any more; the operator can, with `laborcredit users`)."""
    _require(actor, "accounts.assign_roles")
    if role not in ROLES:
        raise Refused.one("role", f"没有角色 {role}", "unknown-role")
    before = role_codes(user)
    if role not in before:
        return
    if actor is not None and actor.pk == user.pk:
        raise Refused.one("user", "不能撤销自己的角色", "self-revoke")
    if actor is not None and role == "security_admin" and user.is_active:
        _another_security_admin_kept(user, "role", "撤销系统中最后一名安全管理员的角色")
    user.groups.remove(Group.objects.get(name=role))
    audit_append(
        event="role_change",
        object_type="user",
        object_id=user.username,
        data={"from": _roles_text(before), "to": _roles_text(role_codes(user))},
    )


def password_replace(
    *,
    user: Any,
    new_password: str,
    own: bool,
    old_password: str | None = None,
    keep_session: str | None = None,
) -> int:
    """What every password change shares, staff or employer: the account's own change needs its
    current password; the new one must differ and pass the validators (IA1); then every session
    of the account but `keep_session` ends (IA3). Returns how many ended; the caller checks the
    permission, audits, and holds the transaction."""
    if own and (old_password is None or not user.check_password(old_password)):
        raise Refused.one("old_password", "原密码不正确", "wrong-password")
    if old_password is not None and new_password == old_password:
        raise Refused.one("new_password", "新密码不能与原密码相同", "password-unchanged")
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return sessions_destroy(user, keep=keep_session)


@transaction.atomic
def password_change(
    *,
    user: Any,
    new_password: str,
    actor: Any,
    old_password: str | None = None,
    keep_session: str | None = None,
) -> None:
    """The account's own change (old password required), or an administrator's reset (forces a
    change). Other sessions of the account end; `keep_session` is the one making its own change."""
    own = actor is not None and actor.pk == user.pk
    if not own:
        _require(actor, "auth.change_user")
    ended = password_replace(
        user=user,
        new_password=new_password,
        own=own,
        old_password=old_password,
        keep_session=keep_session,
    )
    profile, _ = AccountProfile.objects.get_or_create(user=user)
    profile.must_change_password = not own
    profile.password_changed_at = timezone.now()
    profile.save()
    audit_append(
        event="password_change",
        object_type="user",
        object_id=user.username,
        data={"reset": not own, "sessions": ended},
    )
