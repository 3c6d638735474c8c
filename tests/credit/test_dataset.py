"""benchmarks/dataset.py: the benchmark dataset, deterministic, bulk-written, verifiable.

The load tests run on whichever database the test run uses: COPY on PostgreSQL,
executemany on SQLite; both must store the rows `rows()` makes, and the same.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
from collections import Counter

import pytest
from django.db import connection

from laborcredit.audit.chain import verify
from laborcredit.audit.context import acting_as
from laborcredit.audit.models import AuditEntry
from laborcredit.credit.models import CreditRecord, Employer, EmployerName
from laborcredit.credit.services import record_create
from laborcredit.lib.errors import Refused
from laborcredit.lib.fieldcrypto import EncryptedTextField
from laborcredit.rating.models import EmployerGrade, GradeChange
from laborcredit.rating.services import effective_records, grade_records
from laborcredit.rules.vocabulary import Record, RecordType
from tests.benchmarks.loading import benchmark_module
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 24)
SOURCE = "基准数据集（测试）"
TABLES = [
    "credit_employer", "credit_employername", "credit_creditrecord", "rating_employergrade",
    "rating_gradechange", "audit_entry",
]  # fmt: skip

dataset = benchmark_module("dataset")


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


def _load(seed=7, employers=200, per_employer=5, prepare_for=None, workers=1, **options):  # type: ignore[no-untyped-def]
    """`prepare_for`: the items come prepared by the generator (as `dataset.py` makes them);
    for another database than this one the load prepares them again itself."""
    items = dataset.rows(
        seed, employers, per_employer, AS_OF, block=80, workers=workers, prepare_for=prepare_for
    )
    with acting_as(actor="bench", role="system", address="local"):
        return dataset.load(items, actor="bench", source_name=SOURCE, as_of=AS_OF, **options)


def _schema():  # type: ignore[no-untyped-def]
    """The written tables' indexes and constraints, as the database lists them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) UNION ALL "
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid::regclass::text = ANY(%s)",
                [TABLES, TABLES],
            )
        else:
            marks = ", ".join(["%s"] * len(TABLES))
            cursor.execute(
                f"SELECT coalesce(sql, name) FROM sqlite_master WHERE type = 'index' "
                f"AND tbl_name IN ({marks})",
                TABLES,
            )
        return sorted(row[0] for row in cursor.fetchall())


def _digest(rows):  # type: ignore[no-untyped-def]
    """SHA-256 over (uscc, type, date, case, fingerprint, grade), in a fixed order."""
    digest = hashlib.sha256()
    for row in sorted(rows):
        digest.update("\t".join(str(v) for v in row).encode() + b"\n")
    return digest.hexdigest()


def _expected_digest(seed, employers, per_employer):  # type: ignore[no-untyped-def]
    """The digest from `rows()` alone: fingerprints by the model's own code on unsaved
    records, grades by the rules package."""
    types = {t.value: t for t in RecordType}
    rows = []
    for item in dataset.rows(seed, employers, per_employer, AS_OF, block=80):
        owner = Employer(uscc=item.row["uscc"])
        records = []
        for v in item.records:
            record = CreditRecord(employer=owner, **{k: v[k] for k in v if k != "lineage"})
            records.append((record.type, record.date, record.case, record.compute_fingerprint()))
        grade = grade_records(
            [Record(types[v["type"]], v["date"], v["case"] or None, v["correction_deadline"],
                    v.get("document_number") or None, v["passed"], v["level"] or None)
             for v in item.records],
            AS_OF,
        ).grade.value  # fmt: skip
        rows += [(item.row["uscc"], *r, grade) for r in records]
    return _digest(rows)


@pytest.mark.parametrize("prepared", [False, True])
def test_a_load_writes_every_row_with_grades_and_the_audit_log_still_verifies(prepared):
    entries_before = AuditEntry.objects.count()
    schema_before = _schema()

    done = _load(
        chunk=64, rebuild_indexes=True, workers=2 if prepared else 1,
        prepare_for=connection.vendor if prepared else None,
    )  # fmt: skip

    assert (done.employers, done.records) == (200, 1000)
    assert Employer.objects.count() == EmployerName.objects.count() == 200
    assert CreditRecord.objects.count() == 1000
    assert EmployerGrade.objects.count() == GradeChange.objects.count() == 200
    assert sum(done.grades.values()) == 200
    new = AuditEntry.objects.order_by("seq")[entries_before:]
    events = Counter(e.event for e in new)
    assert events == {"record_create": 1000, "import_run": 4}  # one per chunk of 64 employers
    for record in CreditRecord.objects.select_related("employer"):
        assert record.content_hash == record.compute_content_hash()
        assert record.fingerprint == record.compute_fingerprint()
    result = verify()
    assert result.ok, result.problems
    # The indexes and constraints dropped for the load are all back.
    assert _schema() == schema_before


@pytest.mark.parametrize(
    ("rebuild_indexes", "prepare_for"),
    [(True, None), (False, None), (True, "this database"), (True, "another database")],
)
def test_the_load_stores_the_rows_the_seed_makes(rebuild_indexes, prepare_for, monkeypatch):
    calls = Counter()
    real_prepare = dataset.prepare

    def counted(item, as_of, vendor):  # type: ignore[no-untyped-def]
        calls[vendor] += 1
        return real_prepare(item, as_of, vendor)

    monkeypatch.setattr(dataset, "prepare", counted)
    if prepare_for == "this database":
        prepare_for = connection.vendor
    _load(
        seed=11, employers=150, per_employer=4, rebuild_indexes=rebuild_indexes,
        prepare_for=prepare_for,
    )  # fmt: skip
    # Each item is prepared once for this database: by the generator when it was asked to,
    # else by the load (also when the generator prepared it for another one).
    assert calls[connection.vendor] == 150
    assert sum(calls.values()) == (300 if prepare_for == "another database" else 150)

    stored = CreditRecord.objects.values_list(
        "employer__uscc", "type", "date", "case", "fingerprint", "employer__current_grade__grade"
    )
    assert _digest(stored) == _expected_digest(11, 150, 4)
    expected = [
        (i.row["uscc"], r["lineage"], r["type"], r["date"], r["case"], r.get("description", ""))
        for i in dataset.rows(11, 150, 4, AS_OF, block=80)
        for r in i.records
    ]
    assert sorted(
        CreditRecord.objects.values_list(
            "employer__uscc", "lineage", "type", "date", "case", "description"
        )
    ) == sorted(expected)
    # The stored grade is the one the rating service computes from the records as read back.
    effective = effective_records(list(Employer.objects.values_list("id", flat=True)))
    for employer_id, grade, basis in EmployerGrade.objects.values_list(
        "employer_id", "grade", "basis"
    ):
        graded = grade_records(effective[employer_id], AS_OF)
        assert grade == graded.grade.value
        assert basis and isinstance(basis, list)


def test_inserts_after_a_load_take_ids_past_the_loaded_ones_and_the_log_still_verifies():
    _load(employers=20, per_employer=2)
    last_employer = max(Employer.objects.values_list("id", flat=True))
    last_record = max(CreditRecord.objects.values_list("id", flat=True))

    employer = EmployerFactory()
    with acting_as(actor="clerk", role="clerk"):
        added = record_create(
            employer=employer, type="harmonious_certified", date=datetime.date(2026, 1, 5),
            actor="clerk",
        )  # fmt: skip

    assert employer.id > last_employer
    assert added.id > last_record
    result = verify()
    assert result.ok, result.problems


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's stored form")
def test_on_sqlite_every_value_is_stored_as_django_would_store_it():
    _load(employers=30, per_employer=3)

    models = (Employer, EmployerName, CreditRecord, EmployerGrade, GradeChange, AuditEntry)
    with connection.cursor() as cursor:
        for model in models:
            fields = model._meta.concrete_fields
            # Unary plus: the value as stored, without the converters of the declared type.
            columns = ", ".join(f'+"{f.column}"' for f in fields)
            cursor.execute(f'SELECT {columns} FROM "{model._meta.db_table}"')
            raw = {row[[f.primary_key for f in fields].index(True)]: row for row in cursor}
            assert raw, model
            for instance in model._base_manager.all():
                for f, stored in zip(fields, raw[instance.pk], strict=True):
                    value = getattr(instance, f.attname)
                    if isinstance(f, EncryptedTextField):  # a fresh nonce each time it is written
                        assert f.from_db_value(stored, None, connection) == value
                        continue
                    prepared = f.get_db_prep_save(value, connection)
                    assert stored == prepared, (model, f.name)
                    if isinstance(prepared, bool):
                        prepared = int(prepared)  # sqlite3 binds booleans as integers
                    elif isinstance(prepared, decimal.Decimal):
                        # Bound as text, kept as a number by the column's NUMERIC affinity.
                        prepared = int(prepared) if prepared == int(prepared) else float(prepared)
                    assert type(stored) is type(prepared), (model, f.name)


def test_a_database_that_already_has_employers_is_refused_and_nothing_is_written():
    EmployerFactory()
    records_before = CreditRecord.objects.count()
    entries_before = AuditEntry.objects.count()
    schema_before = _schema()

    with pytest.raises(Refused) as refused:
        _load(employers=20, per_employer=2, rebuild_indexes=True)

    assert "已有用人单位" in refused.value.problems[0].message
    assert CreditRecord.objects.count() == records_before
    assert AuditEntry.objects.count() == entries_before
    assert Employer.objects.count() == 1
    assert _schema() == schema_before
