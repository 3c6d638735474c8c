"""record_correct (第七条): a new version supersedes the old one, which stays readable."""

from __future__ import annotations

import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from laborcredit.audit.chain import verify
from laborcredit.credit.models import CreditRecord
from laborcredit.credit.services import record_correct, record_create
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade, GradeChange
from tests.credit.helpers import audit_entries, days_ago, row_counts
from tests.factories import EmployerFactory


@pytest.fixture
def violation(db):
    employer = EmployerFactory()
    return record_create(
        employer=employer, type="violation_found", date=days_ago(30), case="K1", actor="officer"
    )


@pytest.mark.django_db
def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(violation):
    new = record_correct(record=violation, reason="日期录错", actor="李四", date=days_ago(400))
    assert (new.version, new.supersedes_id, new.action, new.lineage) == (
        2,
        violation.pk,
        "correct",
        violation.lineage,
    )
    assert (new.reason, new.entered_by, new.case) == ("日期录错", "李四", "K1")
    old = CreditRecord.objects.get(pk=violation.pk)
    assert old.date == days_ago(30)
    assert old.content_hash == violation.content_hash
    assert list(CreditRecord.objects.effective().filter(lineage=violation.lineage)) == [new]
    assert verify().ok


@pytest.mark.django_db
def test_a_correction_is_audited_once_with_the_new_rows_hash(violation):
    new = record_correct(record=violation, reason="日期录错", actor="officer", date=days_ago(40))
    (entry,) = audit_entries("record_correct", str(new.pk))
    assert entry.data["record_hash"] == CreditRecord.objects.get(pk=new.pk).compute_content_hash()
    assert entry.data["supersedes"] == violation.pk
    assert entry.data["reason"] == "日期录错"
    assert entry.data["before"] == {"date": days_ago(30).isoformat()}


@pytest.mark.django_db
def test_a_correction_regrades_at_once_with_a_grade_change_naming_it(violation):
    new = record_correct(record=violation, reason="日期录错", actor="officer", date=days_ago(400))
    assert EmployerGrade.objects.get(employer=violation.employer).grade == "A"
    change = GradeChange.objects.filter(employer=violation.employer).order_by("-id").first()
    assert (change.from_grade, change.to_grade, change.record_id) == ("B", "A", new.pk)


@pytest.mark.django_db
def test_correcting_a_superseded_version_is_refused_and_changes_nothing(violation):
    record_correct(record=violation, reason="日期录错", actor="officer", date=days_ago(40))
    before = row_counts()
    with pytest.raises(Refused) as refused:
        record_correct(record=violation, reason="再改", actor="officer", date=days_ago(50))
    assert refused.value.codes == ["record-superseded"]
    assert row_counts() == before


@pytest.mark.django_db
def test_a_stale_object_corrected_twice_wins_only_once(violation):
    """SQLite has one writer at a time: the second of two officers holds a stale copy."""
    stale = CreditRecord.objects.get(pk=violation.pk)
    record_correct(record=violation, reason="第一位", actor="甲", date=days_ago(40))
    with pytest.raises(Refused) as refused:
        record_correct(record=stale, reason="第二位", actor="乙", date=days_ago(50))
    assert refused.value.codes == ["record-superseded"]
    assert CreditRecord.objects.filter(lineage=violation.lineage).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reason", "changes", "code"),
    [
        ("", {"date": 40}, "reason-missing"),
        ("   ", {"date": 40}, "reason-missing"),
        ("改类型", {"type": "arbitration_lost"}, "type-change"),
        ("无变化", {"case": "K1"}, "no-change"),
        ("将来", {"date": -3}, "date-in-future"),
        ("多余字段", {"colour": "red"}, "field-unknown"),
    ],
)
def test_a_refused_correction_changes_nothing(violation, reason, changes, code):
    if "date" in changes:
        changes = {"date": days_ago(changes["date"])}
    before = row_counts()
    with pytest.raises(Refused) as refused:
        record_correct(record=violation, reason=reason, actor="officer", **changes)
    assert code in refused.value.codes
    assert row_counts() == before


@pytest.mark.django_db
def test_a_correction_that_leaves_a_penalty_without_its_violation_is_refused(violation):
    record_create(
        employer=violation.employer,
        type="penalty_imposed",
        date=days_ago(20),
        case="K1",
        actor="officer",
    )
    before = row_counts()
    with pytest.raises(Refused) as refused:
        record_correct(record=violation, reason="案号错", actor="officer", case="K2")
    assert "case-unknown" in refused.value.codes
    assert row_counts() == before


def _correct(record, reason, outcomes, barrier):
    try:
        barrier.wait()
        outcomes.append(
            record_correct(record=record, reason=reason, actor=reason, date=days_ago(45))
        )
    except Refused as refused:
        outcomes.append(refused)
    except BaseException as error:  # pragma: no cover - reported by the assertion below
        outcomes.append(error)
    finally:
        connections[DEFAULT_DB_ALIAS].close()


def test_concurrent_corrections_of_one_record_on_postgresql_exactly_one_wins(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; see the stale-object test above")
    employer = EmployerFactory()
    record = record_create(
        employer=employer, type="violation_found", date=days_ago(30), case="K1", actor="officer"
    )
    outcomes: list[object] = []
    writers = 4
    barrier = threading.Barrier(writers)
    threads = [
        threading.Thread(target=_correct, args=(record, f"更正{n}", outcomes, barrier))
        for n in range(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [o for o in outcomes if isinstance(o, CreditRecord)]
    refused = [o for o in outcomes if isinstance(o, Refused)]
    assert len(won) == 1, outcomes
    assert len(refused) == writers - 1, outcomes
    assert all(r.codes == ["record-superseded"] for r in refused)
    assert CreditRecord.objects.filter(lineage=record.lineage).count() == 2
    assert verify().ok


# ---------------------------------------------------------------- a case's records in order


@pytest.mark.django_db
def test_moving_a_finding_after_its_correction_is_refused_naming_both_dates(violation):
    record_create(employer=violation.employer, type="violation_corrected", date=days_ago(20),
                  case="K1", actor="officer")  # fmt: skip
    before = row_counts()
    with pytest.raises(Refused) as refused:
        record_correct(record=violation, reason="日期录错", actor="officer", date=days_ago(10))
    assert refused.value.codes == ["date-order"]
    message = refused.value.problems[0].message
    assert message.startswith("更正后其他记录")
    assert days_ago(20).isoformat() in message and days_ago(10).isoformat() in message
    assert row_counts() == before


@pytest.mark.django_db
def test_a_deadline_corrected_to_before_the_finding_is_refused(violation):
    with pytest.raises(Refused) as refused:
        record_correct(record=violation, reason="期限录错", actor="officer",
                       correction_deadline=days_ago(31))  # fmt: skip
    assert [(p.place, p.code) for p in refused.value.problems] == [
        ("record.correction_deadline", "date-order")
    ]


@pytest.mark.django_db
def test_a_correction_dated_before_the_finding_by_a_correction_is_refused(violation):
    fix = record_create(employer=violation.employer, type="violation_corrected",
                        date=days_ago(20), case="K1", actor="officer")  # fmt: skip
    with pytest.raises(Refused) as refused:
        record_correct(record=fix, reason="日期录错", actor="officer", date=days_ago(40))
    assert refused.value.codes == ["date-order"]


@pytest.mark.django_db
def test_correcting_the_one_correction_of_a_case_is_how_its_date_changes(violation):
    fix = record_create(employer=violation.employer, type="violation_corrected",
                        date=days_ago(20), case="K1", actor="officer")  # fmt: skip
    new = record_correct(record=fix, reason="日期录错", actor="officer", date=days_ago(25))
    assert new.date == days_ago(25)


@pytest.mark.django_db
def test_moving_a_penalty_after_its_fulfilment_is_refused(violation):
    employer = violation.employer
    penalty = record_create(employer=employer, type="penalty_imposed", date=days_ago(20),
                            case="K1", actor="officer")  # fmt: skip
    record_create(employer=employer, type="penalty_fulfilled", date=days_ago(10), case="K1",
                  actor="officer")  # fmt: skip
    with pytest.raises(Refused) as refused:
        record_correct(record=penalty, reason="日期录错", actor="officer", date=days_ago(5))
    assert refused.value.codes == ["date-order"]


@pytest.mark.django_db
def test_an_old_order_problem_of_other_records_does_not_stop_an_unrelated_correction(violation):
    """Records entered before these checks existed: a correction elsewhere still goes through."""
    from laborcredit.credit.services import _new_version

    _new_version(employer=violation.employer, type="violation_corrected", date=days_ago(40),
                 case="K1", entered_by="旧系统")  # fmt: skip
    other = record_create(employer=violation.employer, type="arbitration_lost",
                          date=days_ago(5), case="仲1", actor="officer")  # fmt: skip
    new = record_correct(record=other, reason="日期录错", actor="officer", date=days_ago(6))
    assert new.date == days_ago(6)
