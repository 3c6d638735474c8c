"""Writes on employer accounts (第十八条), each audited in the same transaction as the change.

The bureau opens an account for an employer, with a password or with a one-time
activation code that the employer uses to choose its own password. `actor` is
the staff account acting; None means the operator at the command line.
"""

from __future__ import annotations

import datetime
import secrets
import unicodedata
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from laborcredit.accounts.services import password_replace, sessions_destroy
from laborcredit.audit.services import audit_append
from laborcredit.credit.models import Employer
from laborcredit.lib.errors import Refused
from laborcredit.portal.models import ActivationCode, EmployerAccount, username_for
from laborcredit.rules.validation import Problem, check_uscc

User = get_user_model()

CODE_VALID_DAYS = 14
CODE_MAX_FAILURES = 5
"""A code tried wrongly this many times is void: the employer asks the bureau for a new one."""
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
_GROUPS, _GROUP_LENGTH = 4, 4  # 16 characters of 32: 80 bits

CODE_INVALID = "统一社会信用代码或激活码不正确，或激活码已失效，请核对后重试或联系市人社局重新发放"


def _require(actor: Any, permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise Refused.one("actor", "没有执行此操作的权限", "permission-denied")


def _actor_name(actor: Any) -> str:
    if actor is None:
        from laborcredit.audit.context import command_line_actor

        return command_line_actor()
    return actor.get_username()


def normalise_uscc(value: str) -> str | None:
    """The credit code in its standard form (GB 32100-2015), or None when it is not one."""
    # Full-width characters typed with a Chinese input method (９１４１…) are the same code.
    code, problem = check_uscc(unicodedata.normalize("NFKC", value or "").strip().upper())
    return code if problem is None else None


def _code_hash(code: str) -> str:
    """Keyed with the secret key: a copy of the database alone cannot test guesses."""
    plain = "".join(ch for ch in code.upper() if ch.isalnum())
    return salted_hmac("laborcredit.portal.activation", plain, algorithm="sha256").hexdigest()


def _new_code() -> str:
    groups = (
        "".join(secrets.choice(_ALPHABET) for _ in range(_GROUP_LENGTH)) for _ in range(_GROUPS)
    )
    return "-".join(groups)


def _check_password(password: str, user: Any) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Refused(
            [Problem("password", message, "weak-password") for message in error.messages]
        ) from None


def _issue(account: EmployerAccount, issued_by: str) -> tuple[str, ActivationCode]:
    now = timezone.now()
    # One code at a time: a new one voids every older one still open.
    account.activation_codes.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    code = _new_code()
    row = ActivationCode.objects.create(
        account=account,
        code_hash=_code_hash(code),
        issued_by=issued_by,
        expires_at=now + datetime.timedelta(days=CODE_VALID_DAYS),
    )
    return code, row


@transaction.atomic
def employer_account_create(
    *, employer: Employer, actor: Any, password: str | None = None
) -> tuple[EmployerAccount, str | None]:
    """Open the employer's portal account: with `password` ready to use, else with a fresh
    activation code (returned, shown once) with which the employer sets its password."""
    _require(actor, "portal.add_employeraccount")
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if EmployerAccount.objects.filter(employer=employer).exists():
        raise Refused.one(
            "employer",
            f"{employer.name}（{employer.uscc}）已开通用人单位账号；忘记密码时请重新发放激活码",
            "duplicate-account",
        )
    username = username_for(employer.uscc)
    if User.objects.filter(username__iexact=username).exists():
        raise Refused.one("employer", f"账号 {username} 已被占用", "duplicate-username")
    user = User(username=username, first_name=employer.name[:150])
    if password is not None:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    now = timezone.now()
    account = EmployerAccount.objects.create(
        user=user,
        employer=employer,
        created_by=_actor_name(actor),
        activated_at=now if password is not None else None,
    )
    code = None
    data: dict[str, Any] = {"kind": "employer", "employer": employer.uscc}
    if password is None:
        code, row = _issue(account, _actor_name(actor))
        data["code_expires"] = timezone.localtime(row.expires_at).strftime("%Y-%m-%d %H:%M")
    audit_append(event="employer_account_create", object_type="user", object_id=username, data=data)
    return account, code


@transaction.atomic
def activation_code_issue(*, account: EmployerAccount, actor: Any) -> str:
    """A new one-time activation code (for a first activation, or a forgotten password);
    every older code of the account stops working."""
    _require(actor, "portal.change_employeraccount")
    account = EmployerAccount.objects.select_for_update().get(pk=account.pk)
    if account.disabled:
        raise Refused.one("account", "该账号已停用，不能发放激活码", "account-disabled")
    code, row = _issue(account, _actor_name(actor))
    # A new code resets the password: the old one stops working and its sessions end now, so
    # that a code issued because the password leaked also shuts out whoever holds it.
    user = account.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    ended = sessions_destroy(user)
    # AU1: a credential change — the code lets whoever holds it set the password.
    audit_append(
        event="activation_code_issue",
        object_type="user",
        object_id=account.user.username,
        data={
            "reset": True,
            "sessions": ended,
            "method": "activation_code",
            "code_expires": timezone.localtime(row.expires_at).strftime("%Y-%m-%d %H:%M"),
        },
    )
    return code


def activation_code_expiry(account: EmployerAccount) -> datetime.datetime | None:
    """When the account's open code stops working (None: no open code)."""
    row = (
        account.activation_codes.filter(used_at__isnull=True, revoked_at__isnull=True)
        .order_by("-issued_at", "-id")
        .first()
    )
    return row.expires_at if row else None


def account_activate(*, uscc: str, code: str, password: str) -> EmployerAccount:
    """The employer sets its password with a one-time code (for first use, or after a reset).

    A wrong code says nothing about whether the credit code has an account; after
    CODE_MAX_FAILURES wrong tries the open code is void. A refusal changes nothing
    but the failure count.
    """
    normalised = normalise_uscc(uscc)
    account = None
    if normalised is not None:
        account = (
            EmployerAccount.objects.select_related("user", "employer")
            .filter(employer__uscc=normalised, disabled_at__isnull=True)
            .first()
        )
    given = _code_hash(code or "")
    row = None
    if account is not None:
        row = account.activation_codes.order_by("-issued_at", "-id").first()
    if row is None or not constant_time_compare(row.code_hash, given):
        _activation_failed(account, row)
        raise Refused.one("code", CODE_INVALID, "activation-invalid")
    assert account is not None
    refusal = None
    if row.used_at is not None:
        refusal = Problem(
            "code", "该激活码已使用过；如需重设密码，请联系市人社局重新发放", "activation-used"
        )
    elif row.revoked_at is not None or row.failed_attempts >= CODE_MAX_FAILURES:
        refusal = Problem("code", CODE_INVALID, "activation-invalid")
    elif row.expires_at <= timezone.now():
        refusal = Problem("code", "该激活码已过期，请联系市人社局重新发放", "activation-expired")
    if refusal is not None:
        _activation_failed(account, None)
        raise Refused([refusal])
    return _activate(account, row, password)


@transaction.atomic
def _activate(account: EmployerAccount, row: ActivationCode, password: str) -> EmployerAccount:
    row = ActivationCode.objects.select_for_update().get(pk=row.pk)
    if row.used_at is not None:  # the same code raced in twice
        raise Refused.one("code", "该激活码已使用过", "activation-used")
    user = account.user
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    now = timezone.now()
    row.used_at = now
    row.save(update_fields=["used_at"])
    first = account.activated_at is None
    if first:
        account.activated_at = now
        account.save(update_fields=["activated_at"])
    # A reset password ends the sessions opened with the old one.
    ended = 0 if first else sessions_destroy(user)
    audit_append(
        event="account_activate",
        object_type="user",
        object_id=user.username,
        data={"first": first, "method": "activation_code", "sessions": ended},
    )
    return account


def _activation_failed(account: EmployerAccount | None, row: ActivationCode | None) -> None:
    """Count the wrong try against the open code (committed although the activation is refused)."""
    with transaction.atomic():
        if row is not None and row.used_at is None and row.revoked_at is None:
            ActivationCode.objects.filter(pk=row.pk).update(failed_attempts=row.failed_attempts + 1)
        # A failure, under its own event: auditors filtering on 失败 see activation-code guessing.
        audit_append(
            event="activation_failed",
            object_type="user",
            object_id=account.user.username if account is not None else "",
            outcome="failure",
            data={"factor": "activation_code"},
        )


@transaction.atomic
def employer_account_disable(*, account: EmployerAccount, actor: Any) -> None:
    """The employer can no longer log in or activate; its open sessions and codes end now."""
    _require(actor, "portal.change_employeraccount")
    account = EmployerAccount.objects.select_for_update().select_related("user").get(pk=account.pk)
    if account.disabled:
        raise Refused.one("account", "该账号已停用", "account-disabled")
    now = timezone.now()
    account.disabled_at = now
    account.save(update_fields=["disabled_at"])
    account.activation_codes.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    user = account.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_destroy(user)
    audit_append(
        event="user_disable",
        object_type="user",
        object_id=user.username,
        data={"sessions": ended, "kind": "employer"},
    )


@transaction.atomic
def employer_account_enable(*, account: EmployerAccount, actor: Any) -> str:
    """A disabled account usable again, but not with the password it had: the employer sets a
    new one with the fresh activation code returned (shown once). The old password may have
    leaked while the account was off, and nobody at the bureau can tell who holds it now."""
    _require(actor, "portal.change_employeraccount")
    account = EmployerAccount.objects.select_for_update().select_related("user").get(pk=account.pk)
    if not account.disabled:
        raise Refused.one("account", "该账号未停用，无需启用", "account-not-disabled")
    account.disabled_at = None
    account.save(update_fields=["disabled_at"])
    user = account.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_append(
        event="user_enable", object_type="user", object_id=user.username, data={"kind": "employer"}
    )
    # The same step as a forgotten password: the password becomes unusable, one open code.
    code: str = activation_code_issue(account=account, actor=actor)
    return code


@transaction.atomic
def employer_password_change(
    *,
    account: EmployerAccount,
    old_password: str,
    new_password: str,
    keep_session: str | None = None,
) -> None:
    """The employer changes its own password on the portal, with its current one; its other
    sessions end, the one making the change (`keep_session`) stays logged in."""
    locked = EmployerAccount.objects.select_for_update().get(pk=account.pk)
    if locked.disabled:
        raise Refused.one("account", "该账号已停用", "account-disabled")
    # No AccountProfile, unlike the staff's change: its forced change and rotation would send the
    # employer to the staff's password page, which an employer may not open.
    user = account.user
    ended = password_replace(
        user=user,
        new_password=new_password,
        own=True,
        old_password=old_password,
        keep_session=keep_session,
    )
    audit_append(
        event="password_change",
        object_type="user",
        object_id=user.username,
        data={"reset": False, "sessions": ended, "kind": "employer"},
    )


def account_for_verified_claim(claims: dict[str, Any]) -> EmployerAccount | None:
    """OpenID Connect seam: the account of the employer that the province's single sign-on has
    verified, from the ID token's claim named by LABORCREDIT_PORTAL_OIDC["uscc_claim"]
    (统一社会信用代码). The caller must have verified the token (issuer, audience, signature,
    expiry, nonce) first; this only maps a verified claim, and never an unverified one."""
    from laborcredit.portal.oidc import uscc_claim_name

    value = claims.get(uscc_claim_name())
    code = normalise_uscc(value) if isinstance(value, str) else None
    if code is None:
        return None
    return (
        EmployerAccount.objects.select_related("user", "employer")
        .filter(employer__uscc=code, disabled_at__isnull=True, user__is_active=True)
        .first()
    )
