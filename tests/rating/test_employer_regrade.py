"""employer_regrade (第十三条 动态调整): a new record regrades at once; the history says why."""

from __future__ import annotations

import pytest

from laborcredit.credit.services import record_create
from laborcredit.rating.models import EmployerGrade, GradeChange
from laborcredit.rating.services import employer_regrade
from tests.credit.helpers import audit_entries, days_ago
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def test_a_new_penalty_moves_the_employer_to_c_at_once_and_the_history_shows_why():
    employer = EmployerFactory()
    record_create(
        employer=employer, type="violation_found", date=days_ago(20), case="K1", actor="officer"
    )
    penalty = record_create(
        employer=employer,
        type="penalty_imposed",
        date=days_ago(10),
        case="K1",
        document_number="舞人社罚〔2025〕3号",
        actor="张科长",
    )
    current = EmployerGrade.objects.get(employer=employer)
    assert (current.grade, current.cause) == ("C", "record")
    latest = GradeChange.objects.filter(employer=employer).order_by("-id").first()
    assert (latest.from_grade, latest.to_grade, latest.record, latest.actor) == (
        "B",
        "C",
        penalty,
        "张科长",
    )
    assert latest.basis[0]["rule"] == "c_penalty_in_last_year"
    assert latest.basis[0]["article"].startswith("第十二条")
    assert latest.rule_version == current.rule_version != ""
    history = list(
        GradeChange.objects.filter(employer=employer)
        .order_by("id")
        .values_list("from_grade", "to_grade", "cause")
    )
    assert history == [("", "A", "initial"), ("A", "B", "record"), ("B", "C", "record")]
    assert audit_entries("grade_change", employer.uscc)[-1].data["to"] == "C"


def test_regrading_with_nothing_new_adds_no_history():
    employer = EmployerFactory()
    before = GradeChange.objects.count()
    assert employer_regrade(employer=employer, cause="record", actor="officer") is None
    assert GradeChange.objects.count() == before


def test_the_current_grade_knows_when_it_may_next_change():
    employer = EmployerFactory()
    record_create(
        employer=employer, type="violation_found", date=days_ago(20), case="K1", actor="officer"
    )
    current = EmployerGrade.objects.get(employer=employer)
    assert current.next_change_on is not None
    assert current.next_change_on > current.as_of
