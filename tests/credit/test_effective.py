"""CreditRecord.objects.effective (第七条): the latest version of every record, voids left out,
for the whole file or for a range of employers."""

from __future__ import annotations

import pytest

from laborcredit.credit.models import CreditRecord
from laborcredit.credit.services import record_correct, record_create, record_void
from tests.credit.helpers import days_ago
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def _violation(employer, days: int, case: str) -> CreditRecord:
    return record_create(
        employer=employer, type="violation_found", date=days_ago(days), case=case, actor="officer"
    )


def test_a_range_of_employers_reads_what_the_whole_file_reads_for_them():
    first, middle, last = EmployerFactory(), EmployerFactory(), EmployerFactory()
    for employer in (first, middle, last):
        _violation(employer, 30, f"K{employer.pk}")
        corrected = _violation(employer, 60, f"L{employer.pk}")
        corrected = record_correct(record=corrected, reason="日期录错", actor="o",
                                   date=days_ago(90))  # fmt: skip
        record_correct(record=corrected, reason="再次核对", actor="o", date=days_ago(120))
        record_void(record=_violation(employer, 10, f"M{employer.pk}"), reason="重复", actor="o")
    whole = set(CreditRecord.objects.effective().filter(employer=middle).values_list("pk"))
    ranged = set(CreditRecord.objects.effective(employers=(middle.pk, middle.pk)).values_list("pk"))
    assert ranged == whole
    assert len(ranged) == 2  # the kept violation and the latest correction
    assert {r.date for r in CreditRecord.objects.filter(pk__in=[p for (p,) in ranged])} == {
        days_ago(30),
        days_ago(120),
    }
    everyone = CreditRecord.objects.effective(employers=(first.pk, last.pk))
    assert set(everyone.values_list("pk")) == set(
        CreditRecord.objects.effective().values_list("pk")
    )


def test_a_later_version_must_belong_to_the_records_employer():
    """effective(employers=…) looks for a record's later versions among its own employer's."""
    record = _violation(EmployerFactory(), 30, "K1")
    other = EmployerFactory()
    stray = CreditRecord(
        employer=other, lineage=record.lineage, version=2, supersedes=record, action="correct",
        type=record.type, date=record.date, case=record.case, reason="x", entered_by="o",
    )  # fmt: skip
    with pytest.raises(ValueError, match="同一用人单位"):
        stray.save(force_insert=True)
    assert not CreditRecord.objects.filter(supersedes=record).exists()
