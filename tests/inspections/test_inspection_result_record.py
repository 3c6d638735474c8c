"""inspection_result_record: the drawn inspectors enter a result; a violation found becomes a
violation_found record (第十条、第十一条) and regrades the employer (第十三条)."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.credit.models import CreditRecord
from laborcredit.inspections.models import PlannedInspection
from laborcredit.inspections.services import inspection_result_record, plan_publish
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade
from tests.accounts.helpers import entries
from tests.inspections.helpers import drawn_plan, graded, roster

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
ONE_C = {"A+": 0, "A": 0, "B": 0, "C": 1}


@pytest.fixture
def inspection():
    graded("A")
    roster(4)
    plan = drawn_plan(rates={"A+": 0, "A": 1, "B": 0, "C": 0})
    plan_publish(plan=plan, actor="officer")
    return plan.inspections.select_related("inspector_1__user", "employer").get()


def test_no_violation_is_recorded_without_a_credit_record(inspection):
    done = inspection_result_record(
        inspection=inspection, date=TODAY, violation=False, notes="工资台账齐全",
        actor=inspection.inspector_1.key,
    )  # fmt: skip
    assert done.result == PlannedInspection.Result.NO_VIOLATION
    assert done.result_date == TODAY and done.record is None
    assert not CreditRecord.objects.filter(employer=inspection.employer, type="violation_found")
    [entry] = entries("inspection_result_record")
    assert entry.data["result"] == "未发现违法行为"


def test_a_violation_found_becomes_a_credit_record_and_regrades_the_employer(inspection):
    done = inspection_result_record(
        inspection=inspection, date=TODAY, violation=True, case="舞人社监〔2026〕31号",
        correction_deadline=TODAY + datetime.timedelta(days=30), notes="未按时足额支付工资",
        actor=inspection.inspector_2.key,
    )  # fmt: skip
    record = done.record
    assert record.type == "violation_found" and record.case == "舞人社监〔2026〕31号"
    assert record.source == "inspection" and f"第{inspection.plan_id}号第1项" in record.source_ref
    assert record.entered_by == inspection.inspector_2.key
    assert EmployerGrade.objects.get(employer=inspection.employer).grade == "B"
    assert entries("record_create") and entries("inspection_result_record")


def test_the_inspectors_notes_stay_internal_and_the_record_carries_the_facts(inspection):
    """第七条: 检查情况 may name a complainant; only the 违法事实 reach the credit record, which
    is shared with authorised departments (not published) and names the bureau."""
    notes = "举报人赵七（电话13812345678）反映未签劳动合同"
    done = inspection_result_record(
        inspection=inspection, date=TODAY, violation=True, case="舞人社监〔2026〕32号",
        notes=notes, facts="未与3名劳动者订立书面劳动合同", actor=inspection.inspector_1.key,
    )  # fmt: skip
    record = done.record
    assert (
        record.description == "未与3名劳动者订立书面劳动合同" and "赵七" not in record.description
    )
    assert record.disclosure == "shared" and record.issuing_body == "舞钢市人力资源和社会保障局"
    assert done.notes == notes  # kept with the inspection, for the inspectors


def test_a_result_of_no_violation_refuses_a_case_or_deadline_instead_of_dropping_them(inspection):
    with pytest.raises(Refused) as refused:
        inspection_result_record(
            inspection=inspection, date=TODAY, violation=False, case="舞人社监〔2026〕777号",
            correction_deadline=TODAY + datetime.timedelta(days=20),
            actor=inspection.inspector_1.key,
        )  # fmt: skip
    assert refused.value.codes == ["field-not-applicable", "field-not-applicable"]
    assert PlannedInspection.objects.get(pk=inspection.pk).result == "pending"


def test_only_the_two_drawn_inspectors_may_enter_the_result(inspection):
    with pytest.raises(Refused) as refused:
        inspection_result_record(inspection=inspection, date=TODAY, violation=False, actor="jc9")
    assert refused.value.codes == ["not-drawn"]


def test_a_result_is_entered_once(inspection):
    actor = inspection.inspector_1.key
    inspection_result_record(inspection=inspection, date=TODAY, violation=False, actor=actor)
    with pytest.raises(Refused) as refused:
        inspection_result_record(inspection=inspection, date=TODAY, violation=True, case="K",
                                 actor=actor)  # fmt: skip
    assert refused.value.codes == ["result-recorded"]


@pytest.mark.parametrize(
    "changes,code",
    [
        ({"date": TODAY + datetime.timedelta(days=1)}, "date-in-future"),
        ({"date": datetime.date(TODAY.year - 1, 12, 31)}, "date-before-period"),
        ({"violation": True, "case": "  "}, "case-missing"),
    ],
)
def test_bad_results_are_refused_and_nothing_is_written(inspection, changes, code):
    arguments = {"inspection": inspection, "date": TODAY, "violation": False,
                 "actor": inspection.inspector_1.key, **changes}  # fmt: skip
    with pytest.raises(Refused) as refused:
        inspection_result_record(**arguments)
    assert code in refused.value.codes
    assert PlannedInspection.objects.get(pk=inspection.pk).result == "pending"
    assert not entries("inspection_result_record")


def test_no_result_before_the_plan_is_published():
    graded("C")
    roster(4)
    row = drawn_plan(rates=ONE_C).inspections.select_related("inspector_1__user").get()
    with pytest.raises(Refused) as refused:
        inspection_result_record(inspection=row, date=TODAY, violation=False,
                                 actor=row.inspector_1.key)  # fmt: skip
    assert refused.value.codes == ["plan-not-published"]


def test_a_result_is_dated_within_the_plan_s_period():
    """A result dated 2026-12-08 was saved against a 1990年 plan; the date lies in the period."""
    graded("C")
    roster(4)
    last_year = datetime.date(TODAY.year - 1, 1, 1)
    plan = drawn_plan(period_start=last_year, rates=ONE_C)
    plan_publish(plan=plan, actor="officer")
    row = plan.inspections.select_related("inspector_1__user").get()
    actor = row.inspector_1.key
    with pytest.raises(Refused) as refused:
        inspection_result_record(inspection=row, date=TODAY, violation=False, actor=actor)
    assert refused.value.codes == ["date-after-period"]
    assert refused.value.problems[0].message == (
        f"检查日期应在计划期间内（{last_year.year}-01-01 至 {last_year.year}-12-31），"
        "不能晚于计划截止日期"
    )
    last_day = datetime.date(last_year.year, 12, 31)
    done = inspection_result_record(inspection=row, date=last_day, violation=False, actor=actor)
    assert done.result_date == last_day


def test_a_result_of_the_first_plan_is_not_dated_before_the_regulation_took_effect():
    graded("C")
    roster(4)
    plan = drawn_plan(period_start=datetime.date(2022, 10, 1), kind="quarter", rates=ONE_C)
    plan_publish(plan=plan, actor="officer")
    row = plan.inspections.select_related("inspector_1__user").get()
    with pytest.raises(Refused) as refused:
        inspection_result_record(inspection=row, date=datetime.date(2022, 12, 14),
                                 violation=False, actor=row.inspector_1.key)  # fmt: skip
    assert refused.value.codes == ["date-before-in-force"]
    done = inspection_result_record(inspection=row, date=datetime.date(2022, 12, 15),
                                    violation=False, actor=row.inspector_1.key)  # fmt: skip
    assert done.result_date == datetime.date(2022, 12, 15)
