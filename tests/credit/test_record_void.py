"""record_void (第七条): a record found wrong is voided by a new version with a reason."""

from __future__ import annotations

import pytest

from laborcredit.audit.chain import verify
from laborcredit.credit.models import CreditRecord
from laborcredit.credit.services import record_correct, record_create, record_void
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade, GradeChange
from tests.credit.helpers import audit_entries, days_ago, row_counts
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def penalty():
    employer = EmployerFactory()
    record_create(
        employer=employer, type="violation_found", date=days_ago(30), case="K1", actor="officer"
    )
    return record_create(
        employer=employer, type="penalty_imposed", date=days_ago(20), case="K1", actor="officer"
    )


def test_a_void_is_a_new_version_and_the_voided_record_stays_readable(penalty):
    void = record_void(record=penalty, reason="重复录入", actor="李四")
    assert (void.action, void.version, void.supersedes_id, void.reason) == (
        "void",
        2,
        penalty.pk,
        "重复录入",
    )
    assert CreditRecord.objects.get(pk=penalty.pk).type == "penalty_imposed"
    assert CreditRecord.objects.filter(lineage=penalty.lineage).count() == 2
    effective = CreditRecord.objects.effective().filter(employer=penalty.employer)
    assert penalty.lineage not in {r.lineage for r in effective}
    assert effective.count() == 1
    assert verify().ok


def test_a_void_is_audited_once_with_its_rows_hash(penalty):
    void = record_void(record=penalty, reason="重复录入", actor="officer")
    (entry,) = audit_entries("record_void", str(void.pk))
    assert entry.data["record_hash"] == CreditRecord.objects.get(pk=void.pk).compute_content_hash()
    assert (entry.data["reason"], entry.data["supersedes"]) == ("重复录入", penalty.pk)


def test_a_void_regrades_at_once_with_a_grade_change_naming_it(penalty):
    assert EmployerGrade.objects.get(employer=penalty.employer).grade == "C"
    void = record_void(record=penalty, reason="重复录入", actor="officer")
    assert EmployerGrade.objects.get(employer=penalty.employer).grade == "B"
    change = GradeChange.objects.filter(employer=penalty.employer).order_by("-id").first()
    assert (change.from_grade, change.to_grade, change.record_id) == ("C", "B", void.pk)


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_void_without_a_reason_is_refused_and_changes_nothing(penalty, reason):
    before = row_counts()
    with pytest.raises(Refused) as refused:
        record_void(record=penalty, reason=reason, actor="officer")
    assert refused.value.codes == ["reason-missing"]
    assert row_counts() == before


def test_voiding_twice_is_refused(penalty):
    void = record_void(record=penalty, reason="重复录入", actor="officer")
    before = row_counts()
    with pytest.raises(Refused) as refused:
        record_void(record=penalty, reason="再次", actor="officer")
    assert refused.value.codes == ["record-superseded"]
    with pytest.raises(Refused) as refused:
        record_void(record=void, reason="再次", actor="officer")
    assert refused.value.codes == ["record-void"]
    with pytest.raises(Refused) as refused:
        record_correct(record=void, reason="改", actor="officer", case="K2")
    assert refused.value.codes == ["record-void"]
    assert row_counts() == before


def test_voiding_the_violation_of_a_penalty_is_refused(penalty):
    violation = CreditRecord.objects.get(employer=penalty.employer, type="violation_found")
    before = row_counts()
    with pytest.raises(Refused) as refused:
        record_void(record=violation, reason="错", actor="officer")
    assert "case-unknown" in refused.value.codes
    assert row_counts() == before


def test_voiding_a_listing_that_was_later_lifted_is_refused():
    employer = EmployerFactory()
    listing = record_create(
        employer=employer, type="blacklist_listed", date=days_ago(90), actor="officer"
    )
    record_create(employer=employer, type="blacklist_removed", date=days_ago(10), actor="officer")
    before = row_counts()
    with pytest.raises(Refused) as refused:
        record_void(record=listing, reason="错", actor="officer")
    assert "blacklist-removal-without-listing" in refused.value.codes
    assert row_counts() == before
