"""plan_redraw_check: the same seed and stored inputs give the same list, even after grades change."""

from __future__ import annotations

import pytest

from laborcredit.inspections.models import Inspector, PlannedInspection
from laborcredit.inspections.services import plan_redraw_check
from laborcredit.rating.models import EmployerGrade
from tests.accounts.helpers import entries
from tests.inspections.helpers import drawn_plan, pool, roster

pytestmark = pytest.mark.django_db


def test_re_running_the_draw_from_the_seed_gives_the_identical_list():
    pool(3)
    roster(5)
    plan = drawn_plan(seed=123456789)
    check = plan_redraw_check(plan)
    assert check.identical and check.differences == []
    assert check.total == plan.inspections.count() > 0


def test_the_check_still_holds_after_grades_and_the_roster_change():
    employers = pool(3)
    inspectors = roster(5)
    plan = drawn_plan(seed=7)
    EmployerGrade.objects.filter(employer__in=employers["A"]).update(grade="C")
    Inspector.objects.filter(pk=inspectors[0].pk).update(active=False)
    assert plan_redraw_check(plan).identical


def test_a_list_changed_after_the_draw_is_caught_with_its_place():
    pool(2)
    inspectors = roster(5)
    plan = drawn_plan(seed=3)
    first = plan.inspections.get(order=1)
    others = [i for i in inspectors if i not in (first.inspector_1, first.inspector_2)]
    PlannedInspection.objects.filter(pk=first.pk).update(inspector_1=others[0])
    check = plan_redraw_check(plan)
    assert not check.identical
    assert check.differences[0].startswith("第 1 项：")
    assert "不一致" in check.verdict


def test_the_check_is_audited_with_its_verdict():
    pool(1)
    roster(4)
    plan = drawn_plan(seed=11)
    plan_redraw_check(plan)
    [entry] = entries("inspection_plan_verify")
    assert entry.object_id == str(plan.pk) and entry.data["identical"] is True
    assert "完全一致" in entry.data["verdict"]
