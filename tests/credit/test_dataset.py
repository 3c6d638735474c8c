"""benchmarks/dataset.py: the benchmark dataset, deterministic, written with COPY, verifiable."""

from __future__ import annotations

import datetime
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from laborcredit.audit.chain import verify
from laborcredit.audit.context import acting_as
from laborcredit.audit.models import AuditEntry
from laborcredit.credit.models import CreditRecord, Employer, EmployerName
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade, GradeChange
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
AS_OF = datetime.date(2026, 11, 24)
SOURCE = "基准数据集（测试）"
TABLES = [
    "credit_employer", "credit_employername", "credit_creditrecord", "rating_employergrade",
    "rating_gradechange", "audit_entry",
]  # fmt: skip

_spec = importlib.util.spec_from_file_location("bench_dataset", ROOT / "benchmarks" / "dataset.py")
assert _spec and _spec.loader
dataset = importlib.util.module_from_spec(_spec)
sys.modules["bench_dataset"] = dataset  # dataclasses and pickling look the module up by name
_spec.loader.exec_module(dataset)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the dataset is written with PostgreSQL's COPY; SQLite has no bulk path",
)


def _plain(items):  # type: ignore[no-untyped-def]
    return [(i.row, i.records) for i in items]


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    first = _plain(dataset.rows(7, 200, 5, AS_OF, block=80))
    again = _plain(dataset.rows(7, 200, 5, AS_OF, block=80))
    other = _plain(dataset.rows(8, 200, 5, AS_OF, block=80))

    assert first == again
    assert [r for r, _ in first] != [r for r, _ in other]
    assert [rs for _, rs in first] != [rs for _, rs in other]


def test_the_rows_do_not_depend_on_the_number_of_worker_processes():
    alone = _plain(dataset.rows(7, 200, 5, AS_OF, block=80))
    shared = _plain(dataset.rows(7, 200, 5, AS_OF, block=80, workers=2))

    assert alone == shared


def test_every_employer_has_its_own_code_and_exactly_k_records_with_the_demo_mix():
    items = list(dataset.rows(7, 200, 5, AS_OF, block=80))

    assert len(items) == 200
    assert len({i.row["uscc"] for i in items}) == 200
    assert all(len(i.records) == 5 for i in items)
    types = Counter(r["type"] for i in items for r in i.records)
    # The demo data's mix: yearly provincial results dominate, violations follow.
    assert types.most_common(1)[0][0] == "provincial_credit"
    assert types["violation_found"] > 0
    lineages = [r["lineage"] for i in items for r in i.records]
    assert len(set(lineages)) == len(lineages)


@postgresql_only
def test_a_load_writes_every_row_with_grades_and_the_audit_log_still_verifies():
    entries_before = AuditEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_indexes WHERE tablename = ANY(%s)), "
            "(SELECT count(*) FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s))",
            [TABLES, TABLES],
        )
        indexes_before = cursor.fetchone()

    with acting_as(actor="bench", role="system", address="local"):
        done = dataset.load(
            dataset.rows(7, 200, 5, AS_OF, block=80), actor="bench", source_name=SOURCE,
            as_of=AS_OF, chunk=64, rebuild_indexes=True,
        )  # fmt: skip

    assert (done.employers, done.records) == (200, 1000)
    assert Employer.objects.count() == EmployerName.objects.count() == 200
    assert CreditRecord.objects.count() == 1000
    assert EmployerGrade.objects.count() == GradeChange.objects.count() == 200
    assert sum(done.grades.values()) == 200
    new = AuditEntry.objects.order_by("seq")[entries_before:]
    events = Counter(e.event for e in new)
    assert events == {"record_create": 1000, "import_run": 4}  # one per chunk of 64 employers
    record = CreditRecord.objects.select_related("employer").order_by("?").first()
    assert record.content_hash == record.compute_content_hash()
    assert record.fingerprint == record.compute_fingerprint()
    result = verify()
    assert result.ok, result.problems
    # The indexes and constraints dropped for the load are all back.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_indexes WHERE tablename = ANY(%s)), "
            "(SELECT count(*) FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s))",
            [TABLES, TABLES],
        )
        assert cursor.fetchone() == indexes_before


@postgresql_only
def test_the_same_seed_loads_the_same_credit_file():
    with acting_as(actor="bench", role="system", address="local"):
        dataset.load(dataset.rows(7, 200, 5, AS_OF), actor="bench", source_name=SOURCE, as_of=AS_OF)
    stored = sorted(
        CreditRecord.objects.values_list(
            "employer__uscc", "lineage", "type", "date", "case", "description", "fingerprint"
        )
    )
    expected = sorted(
        (i.row["uscc"], r["lineage"], r["type"], r["date"], r["case"], r.get("description", ""))
        for i in dataset.rows(7, 200, 5, AS_OF)
        for r in i.records
    )

    assert [s[:6] for s in stored] == expected


@postgresql_only
def test_a_database_that_already_has_employers_is_refused_and_nothing_is_written():
    EmployerFactory()
    records_before = CreditRecord.objects.count()
    entries_before = AuditEntry.objects.count()

    with pytest.raises(Refused) as refused, acting_as(actor="bench", role="system"):
        dataset.load(dataset.rows(7, 20, 2, AS_OF), actor="bench", source_name=SOURCE, as_of=AS_OF)

    assert "已有用人单位" in refused.value.problems[0].message
    assert CreditRecord.objects.count() == records_before
    assert AuditEntry.objects.count() == entries_before
    assert Employer.objects.count() == 1
