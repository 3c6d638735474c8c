"""plan_draw: 双随机 over the graded employers and the roster, stored with its seed and inputs."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.audit.context import acting_as
from laborcredit.inspections.models import InspectionPlan
from laborcredit.inspections.services import (
    conflict_declare,
    inspection_result_record,
    parse_period,
    period_bounds,
    plan_draw,
    plan_publish,
)
from laborcredit.lib.errors import Refused
from tests.accounts.helpers import entries
from tests.inspections.helpers import NEXT_YEAR, THIS_YEAR, drawn_plan, graded, pool, roster

pytestmark = pytest.mark.django_db


def test_a_draw_stores_the_seed_the_rates_and_every_input():
    employers = pool()
    inspectors = roster(4)
    conflict_declare(inspector=inspectors[0], employer=employers["C"][0], reason="配偶任职",
                     actor="officer")  # fmt: skip
    plan = drawn_plan(seed=42)
    assert plan.seed == 42 and plan.status == InspectionPlan.Status.DRAFT
    assert plan.rates == {"A+": "0", "A": "0.5", "B": "2", "C": "4"}
    assert plan.period_end == datetime.date(THIS_YEAR.year, 12, 31)
    assert len(plan.inputs["employers"]) == 8
    assert plan.inputs["inspectors"] == ["jc1", "jc2", "jc3", "jc4"]
    assert plan.inputs["conflicts"] == [["jc1", employers["C"][0].uscc]]
    assert plan.inputs["rates_default"] is True


def test_a_draw_lists_c_first_then_b_and_a_and_never_a_plus():
    pool()
    roster(4)
    plan = drawn_plan()
    rows = list(plan.inspections.order_by("order"))
    grades = [r.grade for r in rows]
    assert grades[:8] == ["C"] * 8
    assert grades.count("B") == 4 and "A+" not in grades
    assert plan.counts["C"] == 8 and plan.counts["A+"] == 0
    assert all(r.inspector_1 and r.inspector_2 and r.inspector_1 != r.inspector_2 for r in rows)


def test_a_declared_conflict_keeps_the_inspector_from_that_employer():
    employers = pool()
    inspectors = roster(4)
    target = employers["C"][1]
    conflict_declare(inspector=inspectors[2], employer=target, reason="曾在该单位任职",
                     actor="officer")  # fmt: skip
    for seed in range(5):
        plan = drawn_plan(seed=seed)
        for row in plan.inspections.filter(employer=target):
            assert inspectors[2] not in (row.inspector_1, row.inspector_2)


def test_the_inspectors_of_the_last_published_plan_are_not_drawn_again_for_the_employer():
    employer = graded("C")
    roster(6)
    last_year = datetime.date(THIS_YEAR.year - 1, 1, 1)
    earlier = plan_draw(period_start=last_year, kind="year", seed=1, rates={"A+": 0, "A": 0,
                        "B": 0, "C": 1}, actor="officer")  # fmt: skip
    plan_publish(plan=earlier, actor="leader")
    before = earlier.inspections.get()
    plan = drawn_plan(seed=1, rates={"A+": 0, "A": 0, "B": 0, "C": 1})
    now = plan.inspections.get()
    assert plan.inputs["last_inspectors"] == {
        employer.uscc: sorted([before.inspector_1.key, before.inspector_2.key])
    }
    assert not {now.inspector_1, now.inspector_2} & {before.inspector_1, before.inspector_2}


def test_too_few_eligible_inspectors_lists_the_inspection_unassigned_with_the_reason():
    employer = graded("C")
    inspectors = roster(2)
    conflict_declare(inspector=inspectors[0], employer=employer, reason="亲属", actor="officer")
    plan = drawn_plan()
    rows = list(plan.inspections.all())
    assert len(rows) == 4 and plan.unassigned_count == 4
    assert all(r.inspector_1 is None and "不足2名" in r.unassigned_reason for r in rows)


def test_the_officer_may_change_the_rates_for_one_plan_and_the_plan_records_them():
    pool()
    roster(3)
    plan = drawn_plan(rates={"A+": "0", "A": "1", "B": "3", "C": "6"})
    assert plan.rates == {"A+": "0", "A": "1", "B": "3", "C": "6"}
    assert plan.inputs["rates_default"] is False
    assert plan.counts == {"A+": 0, "A": 2, "B": 6, "C": 12}


def test_a_quarter_plan_covers_three_months_at_a_quarter_of_the_rates():
    pool()
    roster(3)
    plan = drawn_plan(period_start=datetime.date(NEXT_YEAR.year, 4, 1), kind="quarter")
    assert plan.period_end == datetime.date(NEXT_YEAR.year, 6, 30)
    assert plan.period_label == f"{NEXT_YEAR.year}年第2季度"
    assert plan.counts["C"] == 2 and plan.counts["B"] <= 2


def test_without_a_seed_a_random_one_is_made_and_stored():
    pool(1)
    roster(2)
    first = plan_draw(period_start=NEXT_YEAR, kind="year", actor="officer")
    second = plan_draw(period_start=NEXT_YEAR, kind="year", actor="officer")
    assert first.seed != second.seed and first.seed > 0


def test_a_draw_is_audited_with_its_seed_and_counts():
    pool(1)
    roster(2)
    with acting_as(actor="王科长", role="credit_officer"):
        plan = drawn_plan(seed=99)
    [entry] = entries("inspection_plan_draw")
    assert entry.actor == "王科长" and entry.object_id == str(plan.pk)
    assert entry.data["seed"] == "99" and entry.data["total"] == plan.inspections.count()


@pytest.mark.parametrize(
    "changes,code",
    [
        ({"seed": "abc"}, "seed-invalid"),
        ({"seed": -1}, "seed-invalid"),
        ({"rates": {"A+": "0", "A": "x", "B": "2", "C": "4"}}, "rate-invalid"),
        ({"period_start": datetime.date(2027, 2, 1)}, "period-invalid"),
        ({"kind": "month"}, "kind-invalid"),
        ({"period_start": datetime.date(1990, 1, 1)}, "period-before-in-force"),
        ({"period_start": datetime.date(2021, 1, 1)}, "period-before-in-force"),
        ({"period_start": datetime.date(1, 1, 1)}, "period-before-in-force"),
        ({"period_start": datetime.date(2022, 7, 1), "kind": "quarter"}, "period-before-in-force"),
        ({"period_start": datetime.date(NEXT_YEAR.year + 1, 1, 1)}, "period-too-far-ahead"),
        ({"period_start": datetime.date(9999, 1, 1)}, "period-too-far-ahead"),
        ({"period_start": datetime.date(9999, 10, 1), "kind": "quarter"}, "period-too-far-ahead"),
    ],
)
def test_bad_input_is_refused_with_a_stable_code_and_nothing_drawn(changes, code):
    pool(1)
    roster(2)
    with pytest.raises(Refused) as refused:
        drawn_plan(**changes)
    assert code in refused.value.codes
    assert InspectionPlan.objects.count() == 0


def test_a_roster_of_fewer_than_two_is_refused():
    pool(1)
    roster(1)
    with pytest.raises(Refused) as refused:
        drawn_plan()
    assert refused.value.codes == ["roster-too-small"]


def test_no_graded_employer_is_refused():
    roster(2)
    with pytest.raises(Refused) as refused:
        drawn_plan()
    assert refused.value.codes == ["pool-empty"]


def test_a_period_with_a_published_plan_cannot_be_drawn_again():
    pool(1)
    roster(4)
    plan_publish(plan=drawn_plan(), actor="leader")
    with pytest.raises(Refused) as refused:
        drawn_plan(seed=5)
    assert refused.value.codes == ["plan-published"]


def test_periods_are_read_as_a_year_or_a_quarter():
    assert parse_period("2027", "year") == datetime.date(2027, 1, 1)
    assert parse_period("2027q3", "quarter") == datetime.date(2027, 7, 1)
    assert parse_period("2027-Q4", "quarter") == datetime.date(2027, 10, 1)
    assert period_bounds("quarter", datetime.date(2027, 10, 1))[1] == datetime.date(2027, 12, 31)
    with pytest.raises(Refused) as refused:
        parse_period("2027Q5", "quarter")
    assert refused.value.codes == ["period-invalid"]


@pytest.mark.parametrize("text,kind", [("0000", "year"), ("0000Q1", "quarter")])
def test_year_zero_is_refused_as_before_the_regulation_not_an_error(text, kind):
    with pytest.raises(Refused) as refused:
        parse_period(text, kind)
    assert refused.value.codes == ["period-before-in-force"]
    assert "2022年12月15日起施行（第二十二条）" in refused.value.problems[0].message


def test_the_last_quarter_of_year_9999_has_its_bounds_and_is_refused_as_too_far_ahead():
    start = parse_period("9999Q4", "quarter")
    assert period_bounds("quarter", start) == (start, datetime.date(9999, 12, 31))
    with pytest.raises(Refused) as refused:
        drawn_plan(period_start=start, kind="quarter")
    assert refused.value.codes == ["period-too-far-ahead"]
    message = refused.value.problems[0].message
    assert (
        message == f"计划期间最晚为明年（{NEXT_YEAR.year}年）；9999年第4季度的计划请到9998年再抽取"
    )


@pytest.mark.parametrize(
    "period_start,kind",
    [
        (datetime.date(2022, 1, 1), "year"),  # the year the 办法 took effect in (2022-12-15)
        (datetime.date(2022, 10, 1), "quarter"),  # and its quarter
        (NEXT_YEAR, "year"),
        (datetime.date(NEXT_YEAR.year, 10, 1), "quarter"),
    ],
)
def test_plans_from_the_regulation_s_first_period_to_next_year_are_drawn(period_start, kind):
    pool(1)
    roster(2)
    assert drawn_plan(period_start=period_start, kind=kind).period_start == period_start


def test_a_plan_before_the_regulation_is_refused_with_its_first_period():
    with pytest.raises(Refused) as refused:
        drawn_plan(period_start=datetime.date(2022, 7, 1), kind="quarter")
    assert refused.value.problems[0].message == (
        "《办法》自2022年12月15日起施行（第二十二条），计划期间不能早于2022年第4季度"
    )


def test_last_time_is_the_inspection_with_a_result_rather_than_one_still_pending():
    employer = graded("C")
    roster(6)
    two = {"A+": 0, "A": 0, "B": 0, "C": 2}
    last_year = datetime.date(THIS_YEAR.year - 1, 1, 1)
    earlier = plan_draw(period_start=last_year, kind="year", seed=3, rates=two, actor="officer")
    plan_publish(plan=earlier, actor="leader")
    done, pending = earlier.inspections.order_by("order")
    inspection_result_record(inspection=done, date=datetime.date(last_year.year, 12, 1),
                             violation=False, actor=done.inspector_1.key)  # fmt: skip
    plan = drawn_plan(rates=two)
    assert plan.inputs["last_inspectors"][employer.uscc] == sorted(
        [done.inspector_1.key, done.inspector_2.key]
    )
    assert pending.inspector_1 not in (done.inspector_1, done.inspector_2)
