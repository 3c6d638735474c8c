"""第七条, AU3: credit records, grade history and review decisions are never changed in place;
the application refuses, the database refuses, and a change behind both is caught by verify."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from laborcredit.audit.chain import verify
from laborcredit.credit.models import CreditRecord
from laborcredit.credit.services import record_create
from laborcredit.lib.appendonly import AppendOnlyError, installed_triggers, missing_triggers
from laborcredit.rating.models import GradeChange, ReviewDecision
from laborcredit.rating.services import review_decide
from tests.credit.helpers import days_ago
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

TABLE = CreditRecord._meta.db_table


@pytest.fixture
def record():
    employer = EmployerFactory()
    return record_create(
        employer=employer, type="violation_found", date=days_ago(30), case="K1", actor="officer"
    )


@pytest.fixture
def decision():
    employer = EmployerFactory()
    record_create(
        employer=employer,
        type="violation_found",
        date=days_ago(200),
        case="K1",
        correction_deadline=days_ago(100),
        actor="officer",
    )
    return review_decide(employer=employer, decided_grade="B", reason="已整改", actor="科长")


def test_the_orm_refuses_to_update_or_delete_credit_records(record):
    with pytest.raises(AppendOnlyError):
        CreditRecord.objects.filter(pk=record.pk).update(description="改")
    with pytest.raises(AppendOnlyError):
        CreditRecord.objects.filter(pk=record.pk).delete()
    record.description = "改"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    assert CreditRecord.objects.get(pk=record.pk).description == ""


@pytest.mark.parametrize("model", [GradeChange, ReviewDecision])
def test_the_orm_refuses_to_change_the_grade_history_and_review_decisions(model, decision):
    row = model.objects.order_by("id").first()
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises((AppendOnlyError, DatabaseError)), transaction.atomic():
        model.objects.filter(pk=row.pk).update(actor="x") if model is GradeChange else (
            model.objects.filter(pk=row.pk).update(reason="x")
        )
    with pytest.raises((AppendOnlyError, DatabaseError)), transaction.atomic():
        model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE \"{TABLE}\" SET description = 'forged' WHERE id = %s",
        f'DELETE FROM "{TABLE}" WHERE id = %s',
    ],
)
def test_the_database_refuses_update_and_delete_of_credit_records_in_raw_sql(record, statement):
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, [record.pk])
    assert "第七条" in str(refused.value)
    assert CreditRecord.objects.get(pk=record.pk).description == ""


def test_the_database_refuses_truncate_of_credit_records_on_postgresql(record):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f'TRUNCATE "{TABLE}" CASCADE')
    assert CreditRecord.objects.filter(pk=record.pk).exists()


@pytest.fixture
def attacker():
    """Drops the record table's triggers, as someone with database access could; restores them."""
    saved = [t.definition for t in installed_triggers(connection, TABLE)]
    with connection.cursor() as cursor:
        for trigger in installed_triggers(connection, TABLE):
            if connection.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER "{trigger.name}" ON "{TABLE}"')
            else:
                cursor.execute(f'DROP TRIGGER "{trigger.name}"')
    yield
    if missing_triggers(connection, TABLE):
        with connection.cursor() as cursor:
            for statement in saved:
                cursor.execute(statement)


def test_a_record_edited_in_sql_behind_the_triggers_is_caught_by_verify_naming_it(record, attacker):
    assert missing_triggers(connection, TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{TABLE}" SET "case" = \'K9\' WHERE id = %s', [record.pk])
    assert CreditRecord.objects.get(pk=record.pk).case == "K9"
    result = verify()
    assert not result.ok
    named = [p for p in result.problems if f"信用记录 {record.pk}（credit_record）" in p]
    assert named and "被修改" in named[0]
    assert any("触发器缺失" in p for p in result.problems)


def test_an_untouched_credit_file_verifies(record):
    result = verify()
    assert result.ok, result.problem
