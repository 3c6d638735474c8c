"""plan_publish: a draft becomes the period's plan, once; an incomplete plan is not published."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.inspections.models import InspectionPlan
from laborcredit.inspections.services import conflict_declare, plan_publish
from laborcredit.lib.errors import Refused
from tests.accounts.helpers import entries
from tests.inspections.helpers import drawn_plan, graded, pool, roster

pytestmark = pytest.mark.django_db


def test_publishing_fixes_the_plan_and_is_audited():
    pool(1)
    roster(4)
    plan = plan_publish(plan=drawn_plan(), actor="王科长")
    plan.refresh_from_db()
    assert plan.status == InspectionPlan.Status.PUBLISHED
    assert plan.published_by == "王科长" and plan.published_at is not None
    [entry] = entries("inspection_plan_publish")
    assert entry.object_id == str(plan.pk)


def test_a_published_plan_is_not_published_again():
    pool(1)
    roster(4)
    plan = plan_publish(plan=drawn_plan(), actor="officer")
    with pytest.raises(Refused) as refused:
        plan_publish(plan=plan, actor="officer")
    assert refused.value.codes == ["plan-published"]


def test_a_second_draft_of_a_published_period_is_refused():
    pool(1)
    roster(4)
    first, second = drawn_plan(seed=1), drawn_plan(seed=2)
    plan_publish(plan=first, actor="officer")
    with pytest.raises(Refused) as refused:
        plan_publish(plan=second, actor="officer")
    assert refused.value.codes == ["plan-published"]
    assert InspectionPlan.objects.get(pk=second.pk).status == "draft"


def test_a_plan_with_unassigned_inspections_is_not_published():
    employer = graded("C")
    inspectors = roster(2)
    conflict_declare(inspector=inspectors[1], employer=employer, reason="亲属", actor="officer")
    plan = drawn_plan()
    with pytest.raises(Refused) as refused:
        plan_publish(plan=plan, actor="officer")
    assert refused.value.codes == ["plan-unassigned"]
    assert "4 次检查" in refused.value.problems[0].message
    assert not entries("inspection_plan_publish")


def test_a_draft_of_a_period_before_the_regulation_is_not_published():
    """A draft drawn before the periods were checked (a 1990年 plan was drawn and published)."""
    pool(1)
    roster(4)
    plan = drawn_plan()
    InspectionPlan.objects.filter(pk=plan.pk).update(
        period_start=datetime.date(1990, 1, 1), period_end=datetime.date(1990, 12, 31)
    )
    plan.refresh_from_db()
    with pytest.raises(Refused) as refused:
        plan_publish(plan=plan, actor="officer")
    assert refused.value.codes == ["period-before-in-force"]
    assert InspectionPlan.objects.get(pk=plan.pk).status == InspectionPlan.Status.DRAFT
