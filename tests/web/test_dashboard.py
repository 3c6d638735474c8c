"""/dashboard/: the 统计看板 — grades by township and industry, work waiting, annual movement."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from laborcredit.credit.models import Employer
from laborcredit.rating.models import EmployerGrade
from laborcredit.rating.services import (
    evaluation_run_approve,
    evaluation_run_create,
    review_decide,
)
from laborcredit.web import dashboard as dashboard_selectors
from tests.factories import EmployerFactory, make_uscc
from tests.rating.helpers import not_corrected
from tests.rating.helpers import user as rating_user
from tests.web.helpers import assert_no_outside_assets, log_in, penalise, user_with

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def viewer(client):
    log_in(client, user_with("rating.view_dashboard", "credit.view_employer"))
    return client


def _page(client) -> str:
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def _hrefs(page: str) -> set[str]:
    return {html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)}


def _summary() -> dict:
    return dashboard_selectors.dashboard(today=TODAY())


def _ungraded(n: int) -> Employer:
    """An employer written straight to the table, as a bulk load would, with no grade yet."""
    return Employer.objects.create(uscc=make_uscc(n), name=f"未评级单位{n}", township="尚店镇")


# ---------------------------------------------------------------- who may see it


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get("/dashboard/").status_code == 302


def test_a_user_without_the_permission_is_refused(client):
    log_in(client, user_with("credit.view_employer", username="inspector"))
    assert client.get("/dashboard/").status_code == 403


@pytest.mark.parametrize(("role", "status"), [("leadership", 200), ("credit_officer", 200),
                                              ("inspector", 403), ("licensing_window", 403)])  # fmt: skip
def test_leadership_and_credit_officers_see_it_and_other_roles_do_not(client, role, status):
    account = user_with(username=f"u-{role}")
    account.groups.add(Group.objects.get(name=role))
    log_in(client, account)
    assert client.get("/dashboard/").status_code == status


# ---------------------------------------------------------------- the numbers


def test_an_empty_city_shows_zeros_and_no_chart_errors(viewer):
    page = _page(viewer)
    assert "暂无在册用人单位" in page
    assert "尚无两次已批准的年度评价，无法比较" in page
    assert_no_outside_assets(page)


def test_headline_numbers_count_employers_by_grade_in_force():
    EmployerFactory.create_batch(3)  # no records: A (第十条)
    penalise(EmployerFactory())  # C (第十二条(一))
    not_corrected()  # B, waiting for an officer (第十一条)
    _ungraded(9001)
    summary = _summary()
    by_grade = {g["code"]: g["n"] for g in summary["grades"]}
    assert summary["total"] == 6
    assert summary["graded"] == 5
    assert summary["ungraded"] == 1
    assert by_grade == {"A+": 0, "A": 3, "B": 1, "C": 1, "": 1}
    assert summary["pending_review"] == 1
    assert {g["code"]: g["percent"] for g in summary["grades"]}["A"] == "50.0%"


def test_an_officers_decision_overrides_the_computed_grade_and_ends_the_wait():
    employer = not_corrected()
    review_decide(employer=employer, decided_grade="C", reason="逾期未改正", actor="officer")
    summary = _summary()
    by_grade = {g["code"]: g["n"] for g in summary["grades"]}
    assert by_grade["C"] == 1
    assert by_grade["B"] == 0
    assert summary["pending_review"] == 0


def test_a_grade_whose_next_change_date_has_come_is_overdue():
    due_today, due_yesterday, later = EmployerFactory.create_batch(3)
    EmployerGrade.objects.filter(pk=due_today.pk).update(next_change_on=TODAY())
    EmployerGrade.objects.filter(pk=due_yesterday.pk).update(
        next_change_on=TODAY() - datetime.timedelta(days=1)
    )
    EmployerGrade.objects.filter(pk=later.pk).update(
        next_change_on=TODAY() + datetime.timedelta(days=1)
    )
    assert _summary()["overdue"] == 2


def test_the_page_shows_the_headline_numbers_and_explains_overdue(viewer):
    EmployerFactory.create_batch(2)
    not_corrected()
    page = _page(viewer)
    assert re.search(r"在册用人单位</span><strong class=\"dash-number\">3</strong>", page)
    assert re.search(r"待人工复核</span><strong class=\"dash-number\">1</strong>", page)
    assert "每日自动对到期的单位重新评价" in page and "laborcredit" not in page  # no commands
    assert "/employers/?needs_review=1" in _hrefs(page)
    assert_no_outside_assets(page)


def test_draft_runs_awaiting_approval_are_counted_with_their_dates(viewer):
    EmployerFactory()
    evaluation_run_create(as_of=datetime.date(2026, 1, 1), actor="drafter")
    page = _page(viewer)
    assert re.search(r"待批准的年度评价</span><strong class=\"dash-number\">1</strong>", page)
    assert "评价日期 2026-01-01" in page


# ---------------------------------------------------------------- townships and industries


def test_townships_and_industry_sections_are_broken_down_by_grade():
    EmployerFactory(township="八台镇", industry_code="E48")
    penalise(EmployerFactory(township="八台镇", industry_code="C31"))
    EmployerFactory(township="垭口街道", industry_code="C")
    EmployerFactory(township="", industry_code="")
    summary = _summary()
    townships = {row["label"]: row["counts"] for row in summary["townships"]}
    assert townships["八台镇"] == {"A": 1, "C": 1}
    assert townships["垭口街道"] == {"A": 1}
    assert townships["未填写或无法识别"] == {"A": 1}
    sections = {row["key"]: row["counts"] for row in summary["sections"]}
    assert sections["C"] == {"A": 1, "C": 1}  # C31 counts under 制造业
    assert sections["E"] == {"A": 1}
    assert [row["key"] for row in summary["townships"]][:2] == ["垭口街道", "八台镇"]  # list order


def test_each_bar_segment_links_to_the_employer_list_filtered_the_same_way(viewer):
    penalise(EmployerFactory(township="八台镇", industry_code="C31", name="舞钢市受罚钢构有限公司"))
    EmployerFactory(township="八台镇", industry_code="E48", name="舞钢市守信建筑有限公司")
    hrefs = _hrefs(_page(viewer))
    township_c = "/employers/?township=%E5%85%AB%E5%8F%B0%E9%95%87&grade=C"
    assert township_c in hrefs
    assert "/employers/?industry=C&grade=C" in hrefs
    assert "/employers/?industry=E&grade=A" in hrefs
    assert f"{township_c[:-1]}A%2B" not in hrefs  # no segment for a grade nobody there holds
    listed = viewer.get(township_c).content.decode()
    assert "舞钢市受罚钢构有限公司" in listed
    assert "舞钢市守信建筑有限公司" not in listed


def test_the_charts_carry_their_numbers_as_text(viewer):
    EmployerFactory.create_batch(3, township="枣林镇")
    page = _page(viewer)
    assert "<svg" in page
    assert "枣林镇 A级（良好）：3 家，占本行 100.0%" in page  # the segment's <title>
    assert "A级（良好） 3 家（100.0%）" in page  # the donut's accessible name
    assert "xmlns" not in page  # inline SVG, no namespace URL


def test_the_grade_colours_are_the_sites():
    colours = dashboard_selectors.COLOURS
    assert (colours["A+"], colours["A"], colours["B"], colours["C"]) == (
        "#1a7f37", "#0969da", "#9a6700", "#b3261e",
    )  # fmt: skip


# ---------------------------------------------------------------- movement between runs


@pytest.fixture
def approver():
    return rating_user("approver", can_approve=True)


def test_with_one_approved_run_there_is_nothing_to_compare(viewer, approver):
    EmployerFactory()
    run = evaluation_run_create(as_of=TODAY(), actor="drafter")
    evaluation_run_approve(run=run, approver=approver)
    page = _page(viewer)
    assert "尚无两次已批准的年度评价，无法比较" in page
    assert "等级变动矩阵" not in page


def test_the_matrix_compares_the_last_two_approved_runs(viewer, approver):
    _stays, falls = EmployerFactory.create_batch(2)
    first = evaluation_run_create(as_of=TODAY() - datetime.timedelta(days=10), actor="drafter")
    evaluation_run_approve(run=first, approver=approver)
    penalise(falls, days_ago=5)
    second = evaluation_run_create(as_of=TODAY(), actor="drafter")
    evaluation_run_approve(run=second, approver=approver)
    evaluation_run_create(as_of=TODAY(), actor="drafter")  # a draft is not compared
    movement = _summary()["movement"]
    assert movement["available"]
    assert (movement["earlier"].pk, movement["latest"].pk) == (first.pk, second.pk)
    cells = {(row["from"], c["to"]): c["n"] for row in movement["matrix"] for c in row["cells"]}
    assert cells[("A", "A")] == 1
    assert cells[("A", "C")] == 1
    assert sum(cells.values()) == 2
    totals = {t["key"]: t["n"] for t in movement["totals"]}
    assert totals == {"up": 0, "down": 1, "same": 1}
    page = _page(viewer)
    assert "等级变动矩阵" in page
    assert 'aria-label="由A级（良好）到C级（较差）：1 家"' in page


def test_runs_drafted_side_by_side_are_compared_by_their_own_results(approver):
    """The later draft did not know the earlier run (both drafted before either was approved):
    the matrix reads the earlier run's results, not the grade held when the later was drafted."""
    employer = EmployerFactory()
    first = evaluation_run_create(as_of=TODAY() - datetime.timedelta(days=10), actor="drafter")
    penalise(employer, days_ago=5)
    second = evaluation_run_create(as_of=TODAY(), actor="drafter")
    assert second.previous_id is None
    evaluation_run_approve(run=first, approver=approver)
    evaluation_run_approve(run=second, approver=approver)
    movement = _summary()["movement"]
    cells = {(row["from"], c["to"]): c["n"] for row in movement["matrix"] for c in row["cells"]}
    assert cells[("A", "C")] == 1
    assert cells[("C", "C")] == 0


def test_employers_new_in_the_later_run_are_counted_apart(approver):
    EmployerFactory()
    first = evaluation_run_create(as_of=TODAY() - datetime.timedelta(days=10), actor="drafter")
    evaluation_run_approve(run=first, approver=approver)
    EmployerFactory()
    second = evaluation_run_create(as_of=TODAY(), actor="drafter")
    evaluation_run_approve(run=second, approver=approver)
    movement = _summary()["movement"]
    assert movement["compared"] == 1
    assert movement["newcomers"] == 1


# ---------------------------------------------------------------- cost


def _build(count: int, approver) -> None:  # type: ignore[no-untyped-def]
    townships = ["垭口街道", "八台镇", "尚店镇"]
    industries = ["C31", "E48", "F52", ""]
    for i in range(count):
        EmployerFactory(township=townships[i % 3], industry_code=industries[i % 4])
    not_corrected()
    _ungraded(9100 + count)
    first = evaluation_run_create(as_of=TODAY() - datetime.timedelta(days=10), actor="drafter")
    evaluation_run_approve(run=first, approver=approver)
    second = evaluation_run_create(as_of=TODAY(), actor="drafter")
    evaluation_run_approve(run=second, approver=approver)
    evaluation_run_create(as_of=TODAY(), actor="drafter")


@pytest.mark.parametrize("count", [2, 40])
def test_the_number_of_queries_does_not_grow_with_the_employers(
    viewer, approver, count, django_assert_max_num_queries
):
    _build(count, approver)
    # census, drafts, approved runs, transitions; the repairs' refresh check and due list
    with django_assert_max_num_queries(7):
        summary = _summary()
    assert summary["total"] == count + 2
    assert summary["movement"]["compared"] == count + 2  # every employer is in both runs
    # The page adds only the session, the user and their permissions and roles.
    with django_assert_max_num_queries(17):
        page = _page(viewer)
    assert f'<strong class="dash-number">{count + 2}</strong>' in page


def test_repairs_due_and_overdue_under_article_21_are_counted(viewer):
    from tests.repair.helpers import penalised

    penalised(EmployerFactory(), days_ago=420)  # cycle ended weeks ago: 5 working days passed
    penalised(EmployerFactory(), days_ago=367, case="舞人社监〔2026〕2号")  # ended 2 days ago
    penalised(EmployerFactory(), days_ago=100, case="舞人社监〔2026〕3号")  # cycle still running
    assert _summary()["repairs"] == {"due": 2, "overdue": 1}
    page = _page(viewer)
    assert re.search(r"信用修复待调整等级</span><strong class=\"dash-number\">2</strong>", page)
    assert "已逾期 1 家" in page
