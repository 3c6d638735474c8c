"""/runs/: the annual evaluation pages (第十三条) — draft as a job, counts, movers, the needs_review
queue with decisions, approval by another person, and who may do what."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from laborcredit.jobs.models import Job
from laborcredit.rating.models import EmployerGrade, EvaluationRun, GradeChange, ReviewDecision
from laborcredit.rating.services import evaluation_run_approve, evaluation_run_create
from tests.factories import EmployerFactory
from tests.rating.helpers import a_plus_candidate, not_corrected
from tests.web.helpers import assert_no_outside_assets, log_in, penalise, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def inline_jobs(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.LABORCREDIT_JOBS_INLINE = True
    return tmp_path


def member(role: str, username: str | None = None):
    account = user_with(username=username or role)
    account.groups.add(Group.objects.get(name=role))
    return account


@pytest.fixture
def officer(client):
    log_in(client, member("credit_officer", "officer"))
    return client


@pytest.fixture
def leader(client):
    account = member("leadership", "王局长")
    log_in(client, account)
    return client


@pytest.fixture
def employers():
    return {"clean": EmployerFactory(name="舞钢市守信有限公司"), "review": not_corrected()}


@pytest.fixture
def draft(employers):
    return evaluation_run_create(as_of=timezone.localdate(), actor="officer")


@pytest.fixture
def moved(employers):
    """An approved run, then a penalty: the clean employer moves A → C in the next run."""
    first = evaluation_run_create(as_of=_days_ago(1), actor="officer")
    evaluation_run_approve(run=first, approver=member("leadership", "李副局长"))
    penalise(employers["clean"])
    second = evaluation_run_create(as_of=timezone.localdate(), actor="officer")
    return first, second


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _page(response) -> str:
    return response.content.decode()


def _decide(client, run, employer, **values):
    data = {"uscc": employer.uscc, "decided_grade": "C", "reason": "整改期限届满后仍拒不整改"}
    return client.post(reverse("runs:decide", args=[run.pk]), {**data, **values})


# ---------------------------------------------------------------- drafting


def test_a_credit_officer_drafts_a_run_and_the_job_page_links_to_it(officer, employers):
    today = timezone.localdate()
    response = officer.post(reverse("runs:list"), {"as_of": today.isoformat()})
    assert response.status_code == 303
    job = Job.objects.get(kind="evaluation_run")
    assert response["Location"] == reverse("runs:job", args=[job.pk])
    run = EvaluationRun.objects.get()
    assert (run.status, run.as_of, run.created_by) == ("draft", today, "officer")
    assert run.employer_count == 2 and run.counts == {"A+": 0, "A": 1, "B": 1, "C": 0}
    assert job.status == "done" and job.result == {"run": run.pk}
    page = _page(officer.get(response["Location"]))
    assert reverse("runs:detail", args=[run.pk]) in page
    assert "已生成第" in page and "已完成" in page
    assert 'http-equiv="refresh"' not in page


def test_the_job_reports_its_progress_against_the_number_of_employers(officer, employers):
    officer.post(reverse("runs:list"), {"as_of": timezone.localdate().isoformat()})
    job = Job.objects.get(kind="evaluation_run")
    assert job.params == {"as_of": timezone.localdate().isoformat()}
    assert job.title.startswith("年度评价")


def test_the_list_shows_each_run_with_its_counts_and_people(officer, moved):
    page = _page(officer.get(reverse("runs:list")))
    first, second = moved
    assert page.index(f"第 {second.pk} 次") < page.index(f"第 {first.pk} 次")
    assert "已批准" in page and "草稿" in page and "李副局长" in page
    assert "生成评价草稿" in page
    assert_no_outside_assets(page)


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ((timezone.localdate() + datetime.timedelta(days=1)).isoformat(), "不能晚于今天"),
        ("", "请填写评价日期"),
        ("2026-13-45", "格式应为"),
        ("2022-12-14", "第二十二条"),
    ],
)
def test_a_refused_date_is_answered_beside_the_field_and_starts_nothing(
    officer, employers, as_of, message
):
    response = officer.post(reverse("runs:list"), {"as_of": as_of})
    assert response.status_code == 400
    assert message in response.context["form"].errors["as_of"][0]
    assert 'id="as_of-error"' in _page(response)
    assert not EvaluationRun.objects.exists() and not Job.objects.exists()


def test_a_second_draft_is_refused_while_one_is_still_running(officer, employers, inline_jobs):
    running = Job.objects.create(kind="evaluation_run", title="年度评价", created_by="officer")
    folder = inline_jobs / "jobs" / str(running.pk)
    folder.mkdir(parents=True)
    (folder / "progress.json").write_text(json.dumps({"stage": "评价用人单位", "done": 1}))
    response = officer.post(reverse("runs:list"), {"as_of": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert f"任务编号 {running.pk}" in _page(response)
    assert Job.objects.count() == 1 and not EvaluationRun.objects.exists()


def test_the_job_page_of_another_kind_of_job_is_not_found(officer):
    job = Job.objects.create(kind="import", title="导入", created_by="officer")
    assert officer.get(reverse("runs:job", args=[job.pk])).status_code == 404


# ---------------------------------------------------------------- one run


def test_the_run_page_shows_counts_beside_the_previous_run_and_the_movers(
    officer, moved, employers
):
    first, second = moved
    response = officer.get(reverse("runs:detail", args=[second.pk]))
    page = _page(response)
    assert second.moved_count == 1
    assert f"上一次（第 {first.pk} 次）" in page
    counts = {c["grade"]: (c["count"], c["previous"]) for c in response.context["grade_counts"]}
    assert counts == {"A+": (0, 0), "A": (0, 1), "B": (1, 1), "C": (1, 0)}
    (row,) = response.context["movers"]["rows"]
    assert (row["employer"], row["previous"], row["grade"]) == (employers["clean"], "A", "C")
    assert reverse("employers:credit_file", args=[employers["clean"].uscc]) in page
    assert "第十二条" in page
    assert "仅提示人工复核" in page


def test_the_movers_can_be_filtered_by_their_old_and_new_grade(officer, moved):
    _, second = moved
    url = reverse("runs:detail", args=[second.pk])
    assert len(officer.get(url, {"from": "A", "to": "C"}).context["movers"]["rows"]) == 1
    filtered = officer.get(url, {"from": "B"}).context["movers"]
    assert filtered["rows"] == [] and filtered["total"] == 0


def test_the_needs_review_queue_shows_the_computed_grade_and_its_reasons(officer, draft, employers):
    response = officer.get(reverse("runs:detail", args=[draft.pk]))
    (row,) = response.context["review"]["rows"]
    assert row["employer"] == employers["review"] and row["grade"] == "B"
    assert row["decision"] is None
    assert any("第十一条" in r["article"] or "第九条" in r["article"] for r in row["reasons"])
    assert 'name="decided_grade"' in _page(response) and "批准本次评价" not in _page(response)


def test_a_decision_through_the_form_is_stored_and_shown(officer, draft, employers):
    response = _decide(officer, draft, employers["review"])
    assert response.status_code == 303
    decision = ReviewDecision.objects.get()
    assert (decision.run, decision.employer, decision.decided_grade) == (
        draft,
        employers["review"],
        "C",
    )
    assert decision.decided_by == "officer" and decision.computed_grade == "B"
    page = _page(officer.get(response["Location"]))
    assert "已认定为 <strong>C级</strong>" in page and "整改期限届满后仍拒不整改" in page
    assert "已记录对" in page


def test_a_decision_without_a_reason_is_refused_beside_the_form(officer, draft, employers):
    response = _decide(officer, draft, employers["review"], reason="  ")
    assert response.status_code == 400
    assert response.context["failed"]["errors"]["reason"] == ["人工认定必须说明理由"]
    assert "人工认定必须说明理由" in _page(response)
    assert not ReviewDecision.objects.exists()


def test_a_decision_on_an_employer_that_needs_no_review_is_refused(officer, draft, employers):
    response = _decide(officer, draft, employers["clean"])
    assert response.status_code == 400
    assert "无需人工复核" in _page(response)
    assert not ReviewDecision.objects.exists()


def test_an_unknown_grade_is_refused(officer, draft, employers):
    response = _decide(officer, draft, employers["review"], decided_grade="D")
    assert response.status_code == 400
    assert "无效的信用等级" in response.context["failed"]["errors"]["decided_grade"][0]
    assert not ReviewDecision.objects.exists()


def _offered(page: str, uscc: str) -> list[str]:
    """The grades the row's decision form offers."""
    form = page.split(f'id="grade-{uscc}"', 1)[1].split("</select>", 1)[0]
    return [part.split('"', 1)[0] for part in form.split('<option value="')[2:]]


def test_the_run_page_offers_only_the_grades_the_flag_leaves_open(officer, employers):
    candidate = a_plus_candidate()
    run = evaluation_run_create(as_of=timezone.localdate(), actor="officer")
    page = _page(officer.get(reverse("runs:detail", args=[run.pk])))
    assert _offered(page, employers["review"].uscc) == ["B", "C"]  # 第十一条
    assert _offered(page, candidate.uscc) == ["A+", "A"]  # 第九条(二)


def test_a_grade_the_flag_rules_out_is_refused_beside_the_form(officer, draft, employers):
    response = _decide(officer, draft, employers["review"], decided_grade="A+", reason="测试")
    assert response.status_code == 400
    (message,) = response.context["failed"]["errors"]["decided_grade"]
    assert message == "按评价依据（第十一条）只能认定为B级或C级，不能认定为A+级"
    assert message in _page(response)
    assert not ReviewDecision.objects.exists()


def test_an_approved_run_takes_no_more_decisions(officer, moved, employers):
    first, _ = moved
    assert 'name="decided_grade"' not in _page(officer.get(reverse("runs:detail", args=[first.pk])))
    response = _decide(officer, first, employers["review"])
    assert response.status_code == 400
    assert "已批准的评价不能再认定" in _page(response)
    assert not ReviewDecision.objects.exists()


# ---------------------------------------------------------------- approval


def test_approval_by_the_person_who_drafted_it_is_refused_in_chinese(client, employers):
    both = user_with(
        "rating.view_evaluationrun",
        "rating.add_evaluationrun",
        "rating.approve_evaluationrun",
        username="张三",
    )
    log_in(client, both)
    run = evaluation_run_create(as_of=timezone.localdate(), actor="张三")
    url = reverse("runs:approve", args=[run.pk])
    assert "须由发起人以外的人员批准" in _page(client.get(url))
    response = client.post(url)
    assert response.status_code == 400
    assert "评价结果须由发起人以外的人员批准" in _page(response)
    assert EvaluationRun.objects.get(pk=run.pk).status == "draft"
    assert not Job.objects.filter(kind="evaluation_run_approve").exists()


def test_approval_by_leadership_makes_the_run_official(client, draft, employers):
    officer = member("credit_officer", "officer")
    log_in(client, officer)
    _decide(client, draft, employers["review"])
    log_in(client, member("leadership", "王局长"))
    page = _page(client.get(reverse("runs:detail", args=[draft.pk])))
    assert "批准本次评价" in page and 'name="decided_grade"' not in page
    confirm = _page(client.get(reverse("runs:approve", args=[draft.pk])))
    assert "第十三条" in confirm and "确认批准" in confirm
    response = client.post(reverse("runs:approve", args=[draft.pk]))
    assert response.status_code == 303
    job = Job.objects.get(kind="evaluation_run_approve")
    assert response["Location"] == reverse("runs:job", args=[job.pk])
    run = EvaluationRun.objects.get(pk=draft.pk)
    assert (run.status, run.approved_by) == ("approved", "王局长")
    grade = EmployerGrade.objects.get(employer=employers["review"])
    assert (grade.grade, grade.official_grade) == ("B", "C")
    assert grade.decision.run == run
    job_page = _page(client.get(response["Location"]))
    assert "已批准" in job_page and reverse("runs:detail", args=[run.pk]) in job_page


def test_the_run_and_its_approval_show_the_grades_decisions_make_official(client, draft, employers):
    """第十三条: the computed counts stay the rules' results; beside them, and on the approval
    page, the grades that take effect once officers' decisions count (the latest one each)."""
    log_in(client, member("credit_officer", "officer"))
    _decide(client, draft, employers["review"], decided_grade="B", reason="整改中")
    _decide(client, draft, employers["review"])  # the latest decision: B → C
    counts = draft.counts
    log_in(client, member("leadership", "王局长"))
    page = _page(client.get(reverse("runs:detail", args=[draft.pk])))
    assert "计入人工认定后" in page and "另有 1 家的人工认定改变了计算等级" in page
    confirm = _page(client.get(reverse("runs:approve", args=[draft.pk])))
    official = {**counts, "B": counts["B"] - 1, "C": counts.get("C", 0) + 1}
    listed = "，".join(f"{g}级 {official.get(g, 0)} 家" for g in ("A+", "A", "B", "C"))
    assert f"1 家的认定改变了计算等级，批准后正式等级为\n  {listed}。" in confirm


def test_an_approved_run_cannot_be_approved_again(leader, moved):
    first, _ = moved
    response = leader.post(reverse("runs:approve", args=[first.pk]))
    assert response.status_code == 400
    assert "不能重复批准" in _page(response)


def test_an_approval_the_service_refuses_shows_its_message_on_the_job_page(leader, moved):
    # A later run approved while this older draft waited: the service refuses (run-outdated).
    _, second = moved
    older = evaluation_run_create(as_of=_days_ago(3), actor="officer")
    evaluation_run_approve(run=second, approver=member("leadership", "赵局长"))
    from laborcredit.web import runs

    runs.approve_start(run=older, approver=member("leadership", "钱局长"))
    job = Job.objects.get(kind="evaluation_run_approve")
    assert job.status == "failed" and "已过时" in job.message
    page = _page(leader.get(reverse("runs:job", args=[job.pk])))
    assert "已过时" in page and reverse("runs:detail", args=[older.pk]) in page
    assert EvaluationRun.objects.get(pk=older.pk).status == "draft"


# ---------------------------------------------------------------- the current-grade review queue


def test_the_review_queue_lists_current_grades_to_review_and_takes_a_decision(officer, employers):
    response = officer.get(reverse("runs:review"))
    assert [row["employer"] for row in response.context["rows"]] == [employers["review"]]
    answer = officer.post(
        reverse("runs:review_decide"),
        {"uscc": employers["review"].uscc, "decided_grade": "C", "reason": "拒不整改"},
    )
    assert answer.status_code == 303
    grade = EmployerGrade.objects.get(employer=employers["review"])
    assert grade.official_grade == "C" and grade.decision.run is None
    assert officer.get(reverse("runs:review")).context["rows"] == []


def test_the_review_queue_refuses_a_decision_without_a_reason(officer, employers):
    response = officer.post(
        reverse("runs:review_decide"),
        {"uscc": employers["review"].uscc, "decided_grade": "A", "reason": ""},
    )
    assert response.status_code == 400
    assert "人工认定必须说明理由" in _page(response)
    assert EmployerGrade.objects.get(employer=employers["review"]).decision is None


def test_the_review_queue_offers_only_the_grades_the_flag_leaves_open(officer, employers):
    candidate = a_plus_candidate()
    page = _page(officer.get(reverse("runs:review")))
    assert _offered(page, employers["review"].uscc) == ["B", "C"]  # 第十一条
    assert _offered(page, candidate.uscc) == ["A+", "A"]  # 第九条(二)


def test_the_review_queue_refuses_a_grade_the_flag_rules_out_and_changes_nothing(
    officer, employers
):
    """第十一条: a violation not corrected is B or C, never A+ with 第十四条's incentives."""
    changes = GradeChange.objects.count()
    response = officer.post(
        reverse("runs:review_decide"),
        {"uscc": employers["review"].uscc, "decided_grade": "A+", "reason": "测试"},
    )
    assert response.status_code == 400
    assert "只能认定为B级或C级，不能认定为A+级" in _page(response)
    grade = EmployerGrade.objects.get(employer=employers["review"])
    assert (grade.decision, grade.official_grade) == (None, "B")
    assert GradeChange.objects.count() == changes
    assert not ReviewDecision.objects.exists()


# ---------------------------------------------------------------- who may do what


def test_an_inspector_is_refused_every_page_and_action(client, draft, employers):
    log_in(client, member("inspector"))
    job = Job.objects.create(kind="evaluation_run", title="年度评价", created_by="officer")
    decision = {"uscc": employers["review"].uscc, "decided_grade": "A", "reason": "理由"}
    refused = [
        client.get(reverse("runs:list")),
        client.post(reverse("runs:list"), {"as_of": timezone.localdate().isoformat()}),
        client.get(reverse("runs:job", args=[job.pk])),
        client.get(reverse("runs:detail", args=[draft.pk])),
        client.post(reverse("runs:decide", args=[draft.pk]), decision),
        client.get(reverse("runs:approve", args=[draft.pk])),
        client.post(reverse("runs:approve", args=[draft.pk])),
        client.get(reverse("runs:review")),
        client.post(reverse("runs:review_decide"), decision),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert EvaluationRun.objects.count() == 1 and not ReviewDecision.objects.exists()


def test_a_credit_officer_is_refused_approval(officer, draft):
    assert officer.get(reverse("runs:approve", args=[draft.pk])).status_code == 403
    assert officer.post(reverse("runs:approve", args=[draft.pk])).status_code == 403
    assert EvaluationRun.objects.get(pk=draft.pk).status == "draft"


def test_leadership_is_refused_drafting_and_deciding(leader, draft, employers):
    page = _page(leader.get(reverse("runs:list")))
    assert "生成评价草稿" not in page
    drafted = leader.post(reverse("runs:list"), {"as_of": timezone.localdate().isoformat()})
    assert drafted.status_code == 403
    assert _decide(leader, draft, employers["review"]).status_code == 403
    current = leader.post(
        reverse("runs:review_decide"),
        {"uscc": employers["review"].uscc, "decided_grade": "A", "reason": "理由"},
    )
    assert current.status_code == 403
    assert 'name="decided_grade"' not in _page(leader.get(reverse("runs:review")))
    assert EvaluationRun.objects.count() == 1 and not ReviewDecision.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, draft):
    for url in (
        reverse("runs:list"),
        reverse("runs:detail", args=[draft.pk]),
        reverse("runs:review"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
