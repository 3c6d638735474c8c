"""Accounts with roles, and TOTP codes, for the accounts tests."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from laborcredit.accounts.models import AccountProfile
from laborcredit.accounts.services import role_assign, user_create
from laborcredit.audit.models import AuditEntry

PASSWORD = "Wugang-Credit-2026"
NEW_PASSWORD = "Pingdingshan#2027x"


def make_user(username="zhangsan", *roles, password=PASSWORD, must_change=False, device=False):
    user = user_create(username=username, password=password, actor=None)
    for role in roles:
        role_assign(user=user, role=role, actor=None)
    AccountProfile.objects.filter(user=user).update(must_change_password=must_change)
    if device:
        TOTPDevice.objects.create(user=user, name="默认", confirmed=True)
    return get_user_model().objects.get(pk=user.pk)


def code_for(device, at=None):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"  # the code as an app shows it: leading zeros kept


def entries(event):
    return list(AuditEntry.objects.filter(event=event).order_by("seq"))
