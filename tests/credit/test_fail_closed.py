"""AU4: when the audit entry cannot be written, the change it records rolls back."""

from __future__ import annotations

import pytest

from laborcredit.audit.services import AuditError
from laborcredit.credit import services as credit_services
from laborcredit.credit.services import record_create
from laborcredit.rating import services as rating_services
from laborcredit.rating.models import EmployerGrade
from tests.credit.helpers import days_ago, row_counts
from tests.factories import EmployerFactory


def _failing(*args, **kwargs):
    raise AuditError("unavailable", "审计日志无法写入")


def _create(employer):
    return record_create(
        employer=employer, type="violation_found", date=days_ago(10), case="K1", actor="officer"
    )


@pytest.mark.django_db
def test_a_record_whose_audit_entry_fails_leaves_no_record_and_no_grade_change(monkeypatch):
    employer = EmployerFactory()
    before = row_counts()
    monkeypatch.setattr(credit_services, "audit_append", _failing)
    with pytest.raises(AuditError):
        _create(employer)
    assert row_counts() == before
    assert EmployerGrade.objects.get(employer=employer).grade == "A"


@pytest.mark.django_db
def test_a_grade_change_whose_audit_entry_fails_rolls_back_the_record_too(monkeypatch):
    employer = EmployerFactory()
    before = row_counts()
    monkeypatch.setattr(rating_services, "audit_append", _failing)
    with pytest.raises(AuditError):
        _create(employer)
    assert row_counts() == before
    assert EmployerGrade.objects.get(employer=employer).grade == "A"


def test_nothing_is_committed_when_the_audit_entry_fails(transactional_db, monkeypatch):
    employer = EmployerFactory()
    before = row_counts()
    monkeypatch.setattr(credit_services, "audit_append", _failing)
    with pytest.raises(AuditError):
        _create(employer)
    assert row_counts() == before
    monkeypatch.undo()
    _create(employer)  # the database is usable again and the chain continues
    assert row_counts()["records"] == before["records"] + 1
