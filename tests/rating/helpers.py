"""Shared helpers for the rating tests: users with and without the approval permission,
and employers in a known state, all built through the services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from laborcredit.credit.services import record_create
from tests.credit.helpers import days_ago
from tests.factories import EmployerFactory


def user(username: str, *, can_approve: bool = False):
    account = get_user_model().objects.create_user(username=username, password="x")
    if can_approve:
        account.user_permissions.add(
            Permission.objects.get(
                codename="approve_evaluationrun", content_type__app_label="rating"
            )
        )
        account = get_user_model().objects.get(pk=account.pk)  # drop the permission cache
    return account


def penalised(days: int = 30, *, repaired: bool = False):
    """An employer with a penalty `days` ago (C while it is in the last year)."""
    employer = EmployerFactory()
    for record_type in ("violation_found", "penalty_imposed"):
        record_create(
            employer=employer, type=record_type, date=days_ago(days), case="K1", actor="officer"
        )
    if repaired:
        for record_type in ("violation_corrected", "penalty_fulfilled"):
            record_create(
                employer=employer,
                type=record_type,
                date=days_ago(days - 5),
                case="K1",
                actor="officer",
            )
    return employer


def not_corrected():
    """An employer whose violation's correction deadline passed with no correction: B, to review."""
    employer = EmployerFactory()
    record_create(
        employer=employer,
        type="violation_found",
        date=days_ago(200),
        case="K1",
        correction_deadline=days_ago(100),
        actor="officer",
    )
    return employer


def a_plus_candidate():
    """A harmonious enterprise, clean for 60 months, with no labour practice assessment in
    the last year: A, to review whether it is A+ (第九条(二))."""
    employer = EmployerFactory()
    record_create(
        employer=employer, type="harmonious_certified", date=days_ago(400), actor="officer"
    )
    return employer
