"""The demo data's bulk path (COPY on PostgreSQL) stores what the import service stores."""

import datetime
import hashlib
import json
import re
from collections import Counter

import pytest
from django.db import connection, transaction

from laborcredit.audit.chain import verify
from laborcredit.audit.context import acting_as
from laborcredit.audit.models import AuditEntry
from laborcredit.credit import demo
from laborcredit.credit.demo import demo_copy, demo_import, demo_load, generate
from laborcredit.credit.models import CreditRecord, Employer, EmployerName
from laborcredit.exchange.models import OutboxItem
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade, GradeChange

AS_OF = datetime.date(2026, 11, 24)
SOURCE = "演示数据（种子 11）"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's bulk path"
)


def _load(load, employers, records):  # type: ignore[no-untyped-def]
    with acting_as(actor="demo", role="system", address="local"):
        return load(employers, records, actor="demo", source_name=SOURCE, as_of=AS_OF)


def _credit_file(after_seq: int) -> dict:
    """Everything the load stored, by credit code, without ids and timestamps."""
    skipped = {"id", "created_at", "updated_at"}
    fields = [f.attname for f in Employer._meta.concrete_fields if f.attname not in skipped]
    employers = {e.uscc: {f: getattr(e, f) for f in fields} for e in Employer.objects.all()}
    records = sorted(
        CreditRecord.objects.values_list(
            "employer__uscc", "type", "date", "case", "correction_deadline", "passed", "level",
            "document_number", "issuing_body", "description", "disclosure", "source",
            "source_ref", "action", "version", "supersedes", "reason", "entered_by", "fingerprint",
        )
    )  # fmt: skip
    grades = {
        g.employer.uscc: (g.grade, g.needs_review, g.provincial_level, g.basis, g.rule_version,
                          g.as_of, g.next_change_on, g.cause, g.run_id, g.decision_id)
        for g in EmployerGrade.objects.select_related("employer")
    }  # fmt: skip
    changes = sorted(
        GradeChange.objects.values_list(
            "employer__uscc", "from_grade", "to_grade", "needs_review", "rule_version", "as_of",
            "cause", "record", "actor",
        )
    )  # fmt: skip
    entries = AuditEntry.objects.filter(seq__gt=after_seq)
    pushes = sorted(
        (
            item.kind,
            item.employer.uscc,
            json.dumps(item.payload, ensure_ascii=False, sort_keys=True),
        )
        for item in OutboxItem.objects.select_related("employer")
    )
    return {
        "pushes": [(kind, uscc, _without_lineage(payload)) for kind, uscc, payload in pushes],
        "employers": employers,
        "names": sorted(EmployerName.objects.values_list("employer__uscc", "name")),
        "records": records,
        "grades": grades,
        "changes": changes,
        "events": Counter(entries.exclude(event="import_run").values_list("event", flat=True)),
        "employer_entries": {e.object_id: e.data for e in entries.filter(event="employer_create")},
        "grade_entries": {e.object_id: e.data for e in entries.filter(event="grade_change")},
    }


def _without_lineage(payload: str) -> dict:
    """A push's payload without the record's lineage (a new uuid in each load)."""
    values = json.loads(payload)
    values.pop("记录标识", None)
    return values


def _head() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@postgresql_only
@pytest.mark.django_db
def test_copy_stores_the_same_employers_records_grades_and_audit_as_the_import_service():
    employers, records = generate(11, 150, 6, AS_OF)
    with transaction.atomic():
        start = _head()
        imported = _load(demo_import, employers, records)
        through_import = _credit_file(start)
        transaction.set_rollback(True)
    assert not Employer.objects.exists()

    start = _head()
    copied = _load(demo_copy, employers, records)
    through_copy = _credit_file(start)

    assert copied.path == "copy" and imported.path == "import"
    assert (copied.employers, copied.records) == (150, len(records))
    assert (copied.employers, copied.records) == (imported.employers, imported.records)
    assert copied.grades == imported.grades
    for part in through_import:
        assert through_copy[part] == through_import[part], part
    assert len(through_copy["records"]) == len(records)
    kinds = Counter(kind for kind, _uscc, _payload in through_copy["pushes"])
    assert kinds["penalty"] > 0 and kinds["grade_change"] == 150


@postgresql_only
@pytest.mark.django_db
def test_copy_encrypts_personal_numbers_and_search_by_id_number_finds_the_employer():
    from laborcredit.credit.selectors import employer_search

    employers, records = generate(12, 20, 6, AS_OF)
    _load(demo_copy, employers, records)
    first = employers[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT legal_rep_id_number, contact_phone FROM credit_employer WHERE uscc = %s",
            [first["uscc"]],
        )
        id_number, phone = cursor.fetchone()
    assert id_number.startswith("v1:") and first["legal_rep_id_number"] not in id_number
    assert phone.startswith("v1:") and first["contact_phone"] not in phone
    found = employer_search(query=first["legal_rep_id_number"]).employers
    assert [e.uscc for e in found] == [first["uscc"]]
    by_rep = employer_search(query=first["legal_rep_name"]).employers
    assert first["uscc"] in {e.uscc for e in by_rep}


@postgresql_only
@pytest.mark.django_db
def test_the_audit_chain_verifies_after_a_bulk_load_and_after_a_write_on_top_of_it():
    from laborcredit.credit.services import record_create

    employers, records = generate(13, 60, 6, AS_OF)
    summary = _load(demo_copy, employers, records)
    assert summary.audit_entries == 60 + len(records) + 60 + 1
    assert AuditEntry.objects.filter(event="import_run", data__bulk=True).count() == 1
    result = verify()
    assert result.ok, result.problems
    record_create(
        employer=Employer.objects.first(),
        type="arbitration_lost",
        date=AS_OF,
        case="舞劳人仲案字〔2026〕99号",
        actor="officer",
    )
    result = verify()
    assert result.ok, result.problems


@postgresql_only
@pytest.mark.django_db
def test_a_bulk_load_of_employers_already_registered_is_refused_and_writes_nothing():
    employers, records = generate(14, 30, 6, AS_OF)
    _load(demo_copy, employers[:5], [r for r in records if r["uscc"] == employers[0]["uscc"]])
    before = (Employer.objects.count(), CreditRecord.objects.count(), AuditEntry.objects.count())
    with pytest.raises(Refused) as refused:
        _load(demo_copy, employers, records)
    assert refused.value.problems[0].code == "employer-exists"
    after = (Employer.objects.count(), CreditRecord.objects.count(), AuditEntry.objects.count())
    assert after == before


@pytest.mark.django_db
def test_on_sqlite_the_load_goes_through_the_import_service():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite has no COPY: the import service is its path")
    employers, records = generate(15, 10, 6, AS_OF)
    summary = _load(demo_load, employers, records)
    assert summary.path == "import" and summary.employers == 10
    with pytest.raises(ValueError, match="PostgreSQL"):
        _load(demo_copy, employers, records)


def test_a_city_larger_than_the_plain_names_still_gets_unique_names(monkeypatch):
    # Few brands and one trade: about 270 plain company names for about 530 companies.
    monkeypatch.setattr(demo, "_BRANDS", ("华瑞",))
    monkeypatch.setattr(demo, "_LUCKY", "华瑞宏达兴鑫源恒通永金天")
    monkeypatch.setattr(demo, "_INDUSTRIES", (("C31", 1, ("钢铁",)),))
    employers, _ = generate(16, 600, 6, AS_OF)
    assert len({e["name"] for e in employers}) == 600
    assert len({e["uscc"] for e in employers}) == 600


def penalties_of(records):
    return [r for r in records if r["type"] == "penalty_imposed"]


def test_a_demonstration_sized_city_is_row_for_row_what_it_was_before_names_were_widened():
    # The digest of generate(20221215, 3000, 6, 2026-11-24) before `_Names` existed; the
    # penalties' 双公示 details, added later without drawing from the generator, left out.
    employers, records = generate(20221215, 3000, 6, AS_OF)
    details = {"violation_type", "penalty_basis", "penalty_category", "penalty_content",
               "fine_amount"}  # fmt: skip
    penalties = [r for r in records if r["type"] == "penalty_imposed"]
    assert penalties and all(details <= set(r) for r in penalties)
    records = [{k: v for k, v in r.items() if k not in details} for r in records]
    for r in penalties_of(records):  # the amount was then written 罚款5千元, now 罚款5000元
        r["description"] = re.sub(r"罚款(\d+)000元$", r"罚款\1千元", r["description"])
    rows = json.dumps([employers, records], ensure_ascii=False, sort_keys=True)
    assert hashlib.sha256(rows.encode()).hexdigest()[:16] == "07eca040e06936c4"
