"""record_create (第五条, 第十三条): one audit entry carrying the row's hash, a regrade in the
same transaction naming the record, and refusals that change nothing."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.audit.chain import verify
from laborcredit.credit.models import CreditRecord
from laborcredit.credit.services import record_create
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade, GradeChange
from tests.credit.helpers import audit_entries, days_ago, row_counts
from tests.factories import EmployerFactory

FIRST_DAY = datetime.date(1995, 1, 1)  # 《劳动法》施行之日

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    return EmployerFactory()


def test_a_record_is_audited_once_with_its_content_hash(employer):
    record = record_create(
        employer=employer, type="violation_found", date=days_ago(10), case="K1", actor="officer"
    )
    (entry,) = audit_entries("record_create", str(record.pk))
    stored = CreditRecord.objects.get(pk=record.pk)
    assert entry.data["record_hash"] == stored.content_hash == stored.compute_content_hash()
    assert entry.data["uscc"] == employer.uscc
    assert verify().ok


def test_a_record_regrades_the_employer_in_the_same_transaction_naming_the_record(employer):
    record = record_create(
        employer=employer, type="violation_found", date=days_ago(10), case="K1", actor="officer"
    )
    change = GradeChange.objects.filter(employer=employer).order_by("-id").first()
    assert (change.from_grade, change.to_grade, change.cause) == ("A", "B", "record")
    assert change.record_id == record.pk
    assert EmployerGrade.objects.get(employer=employer).grade == "B"
    (record_entry,) = audit_entries("record_create", str(record.pk))
    grade_entry = audit_entries("grade_change", employer.uscc)[-1]
    assert grade_entry.seq == record_entry.seq + 1
    assert grade_entry.data["record"] == record.pk


def test_a_record_that_changes_no_grade_adds_no_grade_change(employer):
    before = GradeChange.objects.count()
    record_create(
        employer=employer, type="violation_found", date=days_ago(800), case="旧1", actor="officer"
    )
    assert GradeChange.objects.count() == before
    assert EmployerGrade.objects.get(employer=employer).grade == "A"


def test_the_record_keeps_what_the_officer_filed_with_it(employer):
    record = record_create(
        employer=employer,
        type="violation_found",
        date=days_ago(10),
        case=" K1 ",
        document_number="舞人社监字〔2025〕1号",
        issuing_body="舞钢市人力资源和社会保障局",
        disclosure="internal",
        actor="张三",
    )
    stored = CreditRecord.objects.get(pk=record.pk)
    assert (stored.case, stored.disclosure, stored.entered_by, stored.version) == (
        "K1",
        "internal",
        "张三",
        1,
    )
    assert stored.action == "create" and stored.supersedes is None


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"type": "wage_theft", "date": 10}, "type-unknown"),
        ({"type": "violation_found", "date": 10}, "field-missing"),
        ({"type": "violation_found", "date": -1, "case": "K1"}, "date-in-future"),
        (
            {"type": "violation_found", "date": datetime.date(1, 1, 1), "case": "K1"},
            "date-too-early",
        ),
        (
            {"type": "arbitration_lost", "date": datetime.date(1994, 12, 31), "case": "K1"},
            "date-too-early",
        ),
        ({"type": "penalty_imposed", "date": 10, "case": "K9"}, "case-unknown"),
        ({"type": "blacklist_removed", "date": 10}, "blacklist-removal-without-listing"),
        ({"type": "violation_found", "date": 10, "case": "K1", "colour": "red"}, "field-unknown"),
        (
            {"type": "violation_found", "date": 10, "case": "K1", "disclosure": "all"},
            "value-invalid",
        ),
    ],
)
def test_a_refused_record_changes_nothing(employer, fields, code):
    day = fields["date"]
    fields = {**fields, "date": day if isinstance(day, datetime.date) else days_ago(day)}
    before = row_counts()
    with pytest.raises(Refused) as refused:
        record_create(employer=employer, actor="officer", **fields)
    assert code in refused.value.codes
    assert row_counts() == before
    assert EmployerGrade.objects.get(employer=employer).grade == "A"


def test_a_penalty_after_its_violation_moves_the_employer_to_c(employer):
    record_create(
        employer=employer, type="violation_found", date=days_ago(20), case="K1", actor="officer"
    )
    penalty = record_create(
        employer=employer, type="penalty_imposed", date=days_ago(10), case="K1", actor="officer"
    )
    current = EmployerGrade.objects.get(employer=employer)
    assert current.grade == "C"
    assert "c_penalty_in_last_year" in [entry["rule"] for entry in current.basis]
    assert GradeChange.objects.filter(employer=employer, record=penalty, to_grade="C").exists()


def test_the_labour_law_s_first_day_is_the_earliest_a_record_may_carry(employer):
    """1995-01-01 itself is accepted; the day before is refused (date-too-early)."""
    record_create(employer=employer, actor="officer", type="arbitration_lost", date=FIRST_DAY,
                  case="K1")  # fmt: skip
    assert CreditRecord.objects.filter(employer=employer, date=FIRST_DAY).exists()
    with pytest.raises(Refused) as refused:
        record_create(employer=employer, actor="officer", type="arbitration_lost",
                      date=FIRST_DAY - datetime.timedelta(days=1), case="K2")  # fmt: skip
    assert refused.value.codes == ["date-too-early"]
    assert "1995-01-01" in refused.value.problems[0].message


def test_the_regrade_grades_the_records_read_for_the_checks_with_the_new_one(employer):
    """第十三条: the employer's records are read once, under its row lock; the regrade grades
    those and the new record (the penalty for the violation read makes the employer C)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record_create(
        employer=employer, type="violation_found", date=days_ago(20), case="K1", actor="officer"
    )
    with CaptureQueriesContext(connection) as captured:
        penalty = record_create(
            employer=employer, type="penalty_imposed", date=days_ago(10), case="K1",
            actor="officer",
        )  # fmt: skip
    reads = [q["sql"] for q in captured.captured_queries
             if q["sql"].startswith("SELECT") and "credit_creditrecord" in q["sql"]]  # fmt: skip
    assert len(reads) == 1
    change = GradeChange.objects.filter(employer=employer).order_by("-id").first()
    assert (change.from_grade, change.to_grade, change.record_id) == ("B", "C", penalty.pk)
    assert EmployerGrade.objects.get(employer=employer).basis == change.basis


# ---------------------------------------------------------------- a case's records in order

CASE = "舞人社监〔2026〕302号"


def _create(employer, type_, days, **fields):
    return record_create(
        employer=employer, type=type_, date=days_ago(days), case=CASE, actor="officer", **fields
    )


def _refused(employer, type_, days, **fields) -> Refused:
    before = row_counts()
    with pytest.raises(Refused) as refused:
        _create(employer, type_, days, **fields)
    assert row_counts() == before
    return refused.value


def test_a_correction_deadline_before_the_finding_is_refused_naming_both_dates(employer):
    refused = _refused(employer, "violation_found", 20, correction_deadline=days_ago(50))
    assert [(p.place, p.code) for p in refused.problems] == [
        ("record.correction_deadline", "date-order")
    ]
    message = refused.problems[0].message
    assert days_ago(50).isoformat() in message and days_ago(20).isoformat() in message


def test_a_correction_before_the_finding_is_refused_and_the_basis_never_reads_it(employer):
    """The reported case: found on one day, "corrected" a fortnight before it."""
    _create(employer, "violation_found", 20, correction_deadline=days_ago(5))
    refused = _refused(employer, "violation_corrected", 35)
    assert [(p.place, p.code) for p in refused.problems] == [("record.date", "date-order")]
    assert days_ago(35).isoformat() in refused.problems[0].message
    assert days_ago(20).isoformat() in refused.problems[0].message
    assert EmployerGrade.objects.get(employer=employer).grade == "B"


def test_a_penalty_before_its_finding_is_refused(employer):
    _create(employer, "violation_found", 20)
    assert _refused(employer, "penalty_imposed", 21).codes == ["date-order"]


def test_a_fulfilment_before_its_penalty_is_refused(employer):
    _create(employer, "violation_found", 30)
    _create(employer, "penalty_imposed", 20)
    assert _refused(employer, "penalty_fulfilled", 25).codes == ["date-order"]


def test_a_second_correction_or_fulfilment_of_a_case_is_refused(employer):
    _create(employer, "violation_found", 30)
    _create(employer, "penalty_imposed", 20)
    _create(employer, "violation_corrected", 15)
    _create(employer, "penalty_fulfilled", 10)
    assert _refused(employer, "violation_corrected", 5).codes == ["case-duplicate"]
    assert _refused(employer, "penalty_fulfilled", 5).codes == ["case-duplicate"]


def test_every_step_of_a_case_on_the_day_of_the_finding_is_accepted(employer):
    for type_ in ("violation_found", "violation_corrected", "penalty_imposed", "penalty_fulfilled"):
        _create(employer, type_, 10, **({"correction_deadline": days_ago(10)}
                                         if type_ == "violation_found" else {}))  # fmt: skip
    assert CreditRecord.objects.filter(employer=employer).count() == 4
