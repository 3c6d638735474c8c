"""`lib.bulk.bulk_insert`: the rows COPY writes are the rows `bulk_create` writes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from laborcredit.exchange.models import OutboxItem
from laborcredit.lib import bulk
from laborcredit.rating.models import Cause, EmployerGrade, GradeChange
from laborcredit.rules.vocabulary import Grade
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "名称": '引号"、反斜杠\\、制表\t、换行\n、回车\r',
    "空": None,
    "数": [1, 2.5, True],
    "嵌套": {"键": "值"},
}


def _items(employer, prefix: str, count: int) -> list[OutboxItem]:  # type: ignore[no-untyped-def]
    at = datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC)
    return [
        OutboxItem(
            kind="grade_change", employer=employer, idempotency_key=f"{prefix}:{n}",
            payload={**PAYLOAD, "n": n}, next_attempt_at=at,
            due_on=datetime.date(2026, 12, 10) if n % 2 else None,
        )
        for n in range(count)
    ]  # fmt: skip


def _stored(prefix: str) -> list[tuple]:  # type: ignore[type-arg]
    """Every column as the database holds it, the id and key aside."""
    columns = [
        f.column
        for f in OutboxItem._meta.concrete_fields
        if f.name not in ("id", "idempotency_key")
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM exchange_outboxitem "
            "WHERE idempotency_key LIKE %s ORDER BY id",
            [prefix + ":%"],
        )
        return [tuple(row) for row in cursor.fetchall()]


def test_copied_rows_equal_bulk_create_rows_and_get_their_ids(monkeypatch):
    employer = EmployerFactory()
    count = bulk.COPY_FROM + 10
    created = OutboxItem.objects.bulk_create(_items(employer, "orm", count))
    copied = bulk.bulk_insert(_items(employer, "copy", count))
    assert [(row[:-1]) for row in _stored("copy")] == [row[:-1] for row in _stored("orm")]
    by_key = dict(OutboxItem.objects.values_list("idempotency_key", "id"))
    assert [item.pk for item in copied] == [by_key[f"copy:{n}"] for n in range(count)]
    assert OutboxItem.objects.get(pk=copied[3].pk).payload == {**PAYLOAD, "n": 3}
    assert not copied[0]._state.adding
    # The sequence moved past the copied ids: the next insert takes a later one.
    later = OutboxItem.objects.bulk_create(_items(employer, "after", 1))[0]
    assert later.pk > max(item.pk for item in copied) > max(item.pk for item in created)


def test_given_keys_are_kept_and_few_rows_go_through_bulk_create(monkeypatch):
    employers = [EmployerFactory() for _ in range(3)]
    monkeypatch.setattr(bulk, "COPY_FROM", 2)
    rows = [
        EmployerGrade(employer=e, grade="A", basis=[{"rule": "第十条", "text": '"引号"'}],
                      rule_version="2022-127", as_of=datetime.date(2026, 12, 7), cause="record")
        for e in employers
    ]  # fmt: skip
    EmployerGrade.objects.filter(employer__in=employers).delete()
    bulk.bulk_insert(rows)
    stored = EmployerGrade.objects.filter(employer__in=employers).order_by("employer_id")
    assert [g.employer_id for g in stored] == sorted(e.pk for e in employers)
    assert stored[0].basis == [{"rule": "第十条", "text": '"引号"'}]
    called = []
    monkeypatch.setattr(bulk, "COPY_FROM", 100)
    monkeypatch.setattr(
        OutboxItem._base_manager, "bulk_create", lambda objs, **_: called.append(objs) or objs
    )
    bulk.bulk_insert(_items(employers[0], "few", 3))
    assert len(called) == 1 and len(called[0]) == 3


def _changes(employers, actor: str) -> list[GradeChange]:  # type: ignore[no-untyped-def]
    """Values of every kind a field takes as given or asks the field for: plain text, an enum
    member (Cause), JSON, dates, keys set and unset, an auto_now_add time."""
    return [
        GradeChange(
            employer=employers[n % 2], from_grade="" if n % 3 else "A", to_grade=Grade.C.value,
            needs_review=bool(n % 2), basis=[{"rule": "第十二条(一)", "reason": f'"{n}"\\'}],
            rule_version="2022-127", as_of=datetime.date(2026, 12, 7) + datetime.timedelta(n),
            cause=Cause.RUN if n % 2 else "record", actor=actor,
        )
        for n in range(bulk.COPY_FROM + 5)
    ]  # fmt: skip


def _change_rows(actor: str) -> list[tuple]:  # type: ignore[type-arg]
    """Every column but the id, the actor and the time each row was made."""
    columns = [
        f.column
        for f in GradeChange._meta.concrete_fields
        if f.name not in ("id", "actor", "created_at")
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)}, created_at IS NOT NULL FROM rating_gradechange "
            "WHERE actor = %s ORDER BY id",
            [actor],
        )
        return [tuple(row) for row in cursor.fetchall()]


def test_values_taken_as_given_are_stored_as_the_fields_store_them():
    employers = [EmployerFactory(), EmployerFactory()]
    GradeChange.objects.bulk_create(_changes(employers, "orm"))
    bulk.bulk_insert(_changes(employers, "copy"))
    orm, copied = _change_rows("orm"), _change_rows("copy")
    assert len(copied) == bulk.COPY_FROM + 5
    assert copied == orm
    assert (
        GradeChange.objects.filter(actor="copy", cause="run").count() == (bulk.COPY_FROM + 5) // 2
    )
