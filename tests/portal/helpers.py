"""Employer accounts for the portal tests (第十八条)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from laborcredit.portal.models import EmployerAccount
from laborcredit.portal.services import account_activate, employer_account_create
from tests.factories import EmployerFactory

PASSWORD = "Wugang-Employer-2026"
NEW_PASSWORD = "Pingdingshan#2027x"
LOGIN = "/portal/login/"
ACTIVATE = "/portal/activate/"


def open_account(employer=None, *, password: str | None = PASSWORD, **employer_fields):
    """An employer with an account ready to log in (or waiting for activation when password=None);
    returns (account, activation code or None)."""
    employer = employer or EmployerFactory(**employer_fields)
    account, code = employer_account_create(employer=employer, actor=None, password=password)
    return EmployerAccount.objects.select_related("user", "employer").get(pk=account.pk), code


def activated(employer=None, **fields) -> EmployerAccount:
    account, code = open_account(employer, password=None, **fields)
    account_activate(uscc=account.employer.uscc, code=code, password=PASSWORD)
    return EmployerAccount.objects.select_related("user", "employer").get(pk=account.pk)


def portal_login(client, uscc: str, password: str = PASSWORD):
    return client.post(LOGIN, {"uscc": uscc, "password": password})


def logged_in_as(client, account: EmployerAccount):
    client.force_login(get_user_model().objects.get(pk=account.user_id))
    return client


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session
