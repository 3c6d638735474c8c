"""The outbox is written in the same transaction as the change (第六条、第二十条)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from laborcredit.credit.services import (
    credit_file_import,
    record_correct,
    record_create,
    record_void,
)
from laborcredit.exchange.models import Kind, OutboxItem, State
from laborcredit.exchange.services import outbox_add
from laborcredit.lib.appendonly import AppendOnlyError
from laborcredit.rating.models import GradeChange
from laborcredit.rating.services import review_decide
from laborcredit.workdays.selectors import calendar
from tests.factories import EmployerFactory, make_uscc
from tests.objections.helpers import decided
from tests.web.helpers import penalise

pytestmark = pytest.mark.django_db

DAY = datetime.date.today() - datetime.timedelta(days=30)


def keys(kind: str) -> list[str]:
    return list(OutboxItem.objects.filter(kind=kind).values_list("idempotency_key", flat=True))


def test_a_committed_penalty_has_exactly_one_item_and_its_grade_change_follows_it():
    employer = EmployerFactory()
    _, penalty = penalise(employer)
    assert keys(Kind.PENALTY) == [f"penalty:{penalty.pk}"]
    change = GradeChange.objects.filter(employer=employer, record=penalty).get()
    items = list(OutboxItem.objects.filter(employer=employer).order_by("pk"))
    assert [i.idempotency_key for i in items][-2:] == [
        f"penalty:{penalty.pk}",
        f"grade_change:{change.pk}",
    ]
    assert all(i.state == State.PENDING for i in items)


def test_a_rolled_back_record_create_leaves_no_item():
    employer = EmployerFactory()
    before = OutboxItem.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_create(employer=employer, type="violation_found", date=DAY, case="案1", actor="o")
        record_create(employer=employer, type="penalty_imposed", date=DAY, case="案1", actor="o")
        assert OutboxItem.objects.count() > before
        raise RuntimeError("the caller's transaction fails after the records")
    assert OutboxItem.objects.count() == before


def test_the_penalty_carries_the_shuang_gong_shi_fields_empty_where_the_file_has_none():
    employer = EmployerFactory(name="舞钢市示例机械有限公司")
    record_create(employer=employer, type="violation_found", date=DAY, case="案2", actor="o")
    penalty = record_create(
        employer=employer, type="penalty_imposed", date=DAY, case="案2", actor="o",
        document_number="舞人社罚〔2026〕3号", description="拖欠工资", issuing_body="舞钢市人社局",
    )  # fmt: skip
    data = OutboxItem.objects.get(idempotency_key=f"penalty:{penalty.pk}").payload
    assert data["行政相对人名称"] == "舞钢市示例机械有限公司"
    assert data["统一社会信用代码"] == employer.uscc
    assert data["行政处罚决定书文号"] == "舞人社罚〔2026〕3号"
    assert data["违法事实"] == "拖欠工资"
    assert data["处罚决定日期"] == DAY.isoformat()
    assert data["处罚机关"] == "舞钢市人社局"
    for absent in ("违法行为类型", "处罚依据", "处罚类别", "处罚内容", "罚款金额"):
        assert data[absent] == ""
    assert data["数据来源"]


def test_the_penalty_carries_the_shuang_gong_shi_fields_the_record_holds_the_fine_in_wan_yuan():
    employer = EmployerFactory()
    record_create(employer=employer, type="violation_found", date=DAY, case="案5", actor="o")
    penalty = record_create(
        employer=employer, type="penalty_imposed", date=DAY, case="案5", actor="o",
        document_number="舞人社罚〔2026〕5号", violation_type="未按时足额支付劳动报酬",
        penalty_category="罚款、警告", fine_amount="2000", penalty_basis="《劳动保障监察条例》第二十六条",
        penalty_content="警告，罚款人民币贰仟元",
    )  # fmt: skip
    data = OutboxItem.objects.get(idempotency_key=f"penalty:{penalty.pk}").payload
    assert data["违法行为类型"] == "未按时足额支付劳动报酬"
    assert data["处罚类别"] == "警告、罚款"
    assert data["罚款金额"] == "0.2"  # 万元
    assert data["处罚依据"] == "《劳动保障监察条例》第二十六条"
    assert data["处罚内容"] == "警告，罚款人民币贰仟元"
    corrected = record_correct(
        record=penalty, reason="罚款金额录错", actor="o", fine_amount="12345.67"
    )
    item = OutboxItem.objects.get(idempotency_key=f"correction:{corrected.pk}")
    assert item.payload["更正后"]["罚款金额"] == "1.234567"


@pytest.mark.parametrize(
    ("yuan", "wan"),
    [(None, ""), ("0", "0"), ("2000", "0.2"), ("100000", "10"), ("12345.67", "1.234567"),
     ("0.01", "0.000001"), ("999999999999.99", "99999999.999999")],
)  # fmt: skip
def test_a_fine_is_sent_in_wan_yuan_exactly(yuan, wan):
    import decimal

    from laborcredit.exchange.services import fine_in_wan_yuan

    assert fine_in_wan_yuan(decimal.Decimal(yuan) if yuan else None) == wan


def test_a_penalty_for_internal_use_only_is_not_sent():
    employer = EmployerFactory()
    record_create(employer=employer, type="violation_found", date=DAY, case="案3", actor="o")
    record_create(employer=employer, type="penalty_imposed", date=DAY, case="案3", actor="o",
                  disclosure="internal")  # fmt: skip
    assert keys(Kind.PENALTY) == []


def test_records_other_than_penalties_send_only_their_grade_change():
    employer = EmployerFactory()
    record = record_create(
        employer=employer, type="violation_found", date=DAY, case="案4", actor="o"
    )
    assert (
        not OutboxItem.objects.filter(idempotency_key__endswith=f":{record.pk}")
        .exclude(kind=Kind.GRADE_CHANGE)
        .exists()
    )


def test_a_correction_and_a_void_of_a_penalty_each_add_a_correction_item():
    employer = EmployerFactory()
    _, penalty = penalise(employer)
    corrected = record_correct(
        record=penalty, reason="文号录错", actor="o", document_number="新文号"
    )
    voided = record_void(record=corrected, reason="复议撤销", actor="o")
    assert keys(Kind.CORRECTION) == [f"correction:{corrected.pk}", f"correction:{voided.pk}"]
    first, second = (
        OutboxItem.objects.get(idempotency_key=k).payload for k in keys(Kind.CORRECTION)
    )
    assert first["更正类型"] == "更正" and first["更正后"]["行政处罚决定书文号"] == "新文号"
    assert second["更正类型"] == "作废" and second["更正原因"] == "复议撤销"


def test_the_import_adds_the_penalties_and_grade_changes_in_bulk():
    codes = [make_uscc(700 + n) for n in range(3)]
    summary = credit_file_import(
        employers=[
            (f"第{n}行", {"uscc": c, "name": f"导入{n}号公司"}) for n, c in enumerate(codes)
        ],
        records=[
            row
            for n, c in enumerate(codes)
            for row in (
                (
                    f"记录{n}a",
                    {"uscc": c, "type": "violation_found", "date": DAY, "case": f"导{n}"},
                ),
                (
                    f"记录{n}b",
                    {"uscc": c, "type": "penalty_imposed", "date": DAY, "case": f"导{n}"},
                ),
            )
        ],
        actor="o",
    )
    assert summary.records_created == 6
    assert len(keys(Kind.PENALTY)) == 3
    changes = GradeChange.objects.filter(employer__uscc__in=codes)
    assert sorted(keys(Kind.GRADE_CHANGE)) == sorted(f"grade_change:{c.pk}" for c in changes)


def test_an_officers_review_decision_that_moves_the_grade_is_sent():
    employer = EmployerFactory()
    from laborcredit.rating.models import EmployerGrade

    EmployerGrade.objects.filter(employer=employer).update(
        needs_review=True,
        basis=[{"article": "第八条", "rule": "provincial_low_flag", "reason": "省级评价D级"}],
    )
    review_decide(employer=employer, decided_grade="B", reason="复核认定", actor="o")
    change = GradeChange.objects.filter(employer=employer, cause="review").get()
    assert f"grade_change:{change.pk}" in keys(Kind.GRADE_CHANGE)


def test_an_objection_outcome_is_due_five_working_days_after_the_decision():
    employer = EmployerFactory()
    _, penalty = penalise(employer)
    objection = decided(employer, penalty, outcome="upheld", received_on=datetime.date.today())
    item = OutboxItem.objects.get(kind=Kind.OBJECTION_OUTCOME)
    assert item.idempotency_key == f"objection_outcome:{objection.pk}"
    assert item.objection_id == objection.pk
    assert item.due_on == calendar().add_working_days(objection.decided_on, 5).date
    assert item.payload["处理结果"] == "异议成立"
    assert item.payload["更正的记录"][0]["处理"] == "作废"
    # The void itself is a correction of the penalty, queued before the outcome.
    correction = OutboxItem.objects.get(kind=Kind.CORRECTION)
    assert correction.pk < item.pk


def test_an_item_key_is_unique_and_nothing_is_ever_deleted():
    employer = EmployerFactory()
    item = outbox_add(kind=Kind.PENALTY, employer=employer, key="penalty:x", payload={})
    with pytest.raises(AppendOnlyError):
        item.delete()
    with pytest.raises(AppendOnlyError):
        OutboxItem.objects.all().delete()
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        outbox_add(kind=Kind.PENALTY, employer=employer, key="penalty:x", payload={})
