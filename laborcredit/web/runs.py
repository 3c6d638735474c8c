"""Reads and job work for the evaluation-run pages (第十三条 年度评价, 人工复核).

Lists over a run's results are keyset pages on `employer_id`, which the
(run, employer) unique index serves: a run may hold a million results.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, QuerySet

from laborcredit.credit.models import Employer
from laborcredit.jobs.models import Job
from laborcredit.jobs.runner import JobFailed, Progress, job_start, job_state
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade, EvaluationRun, ReviewDecision, RunResult
from laborcredit.rating.services import (
    evaluation_run_approval_problems,
    evaluation_run_approve,
    evaluation_run_create,
)
from laborcredit.rules import NotInForce
from laborcredit.rules.parameters import PROVINCIAL_POLICY_LABELS
from laborcredit.rules.review import decidable_grades
from laborcredit.rules.vocabulary import Grade
from laborcredit.web.employer_selectors import badge_class

DRAFT_KIND = "evaluation_run"
APPROVE_KIND = "evaluation_run_approve"
KINDS = (DRAFT_KIND, APPROVE_KIND)
PAGE_SIZE = 50
RUNS_PAGE_SIZE = 20
GRADES = [g.value for g in Grade]


# ---------------------------------------------------------------- the list of runs


def run_page(page: int) -> dict[str, Any]:
    """Runs newest first, by limit/offset: one a year plus drafts, a small set."""
    page = max(page, 1)
    start = (page - 1) * RUNS_PAGE_SIZE
    runs = list(EvaluationRun.objects.order_by("-id")[start : start + RUNS_PAGE_SIZE + 1])
    return {
        "runs": [run_row(run) for run in runs[:RUNS_PAGE_SIZE]],
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if len(runs) > RUNS_PAGE_SIZE else None,
    }


def run_row(run: EvaluationRun) -> dict[str, Any]:
    return {"run": run, "counts": [run.counts.get(g, 0) for g in GRADES]}


def recent_jobs(limit: int = 10) -> list[Any]:
    """The latest evaluation and approval jobs with their progress, running ones first."""
    jobs = list(Job.objects.filter(kind__in=KINDS).order_by("-id")[:limit])
    states = [job_state(job) for job in jobs]
    return sorted(states, key=lambda s: s.finished)


def running_job(kind: str, run_id: int | None = None) -> Job | None:
    """A job of this kind (and run) still running in some worker, if any."""
    for job in Job.objects.filter(kind=kind, status=Job.Status.RUNNING).order_by("-id")[:20]:
        if run_id is not None and job.params.get("run") != run_id:
            continue
        if not job_state(job).interrupted:
            return job
    return None


# ---------------------------------------------------------------- one run


def _decided_counts(run: EvaluationRun) -> tuple[int, dict[str, int]]:
    """How many officers' decisions on the run's results change a computed grade, and the
    counts by grade once they do (the latest decision on an employer counts, as at approval)."""
    latest: dict[int, tuple[str, str]] = {}
    for employer_id, computed, decided in (
        ReviewDecision.objects.filter(run=run)
        .order_by("decided_at", "id")
        .values_list("employer_id", "computed_grade", "decided_grade")
    ):
        latest[employer_id] = (computed, decided)
    counts = {g: run.counts.get(g, 0) for g in GRADES}
    changed = 0
    for computed, decided in latest.values():
        if computed != decided:
            changed += 1
            counts[computed] = counts.get(computed, 0) - 1
            counts[decided] = counts.get(decided, 0) + 1
    return changed, counts


def run_header(run: EvaluationRun) -> dict[str, Any]:
    previous = run.previous
    before = previous.counts if previous is not None else {}
    decided, official = _decided_counts(run)
    return {
        "policy": PROVINCIAL_POLICY_LABELS.get(run.provincial_policy, run.provincial_policy),
        # 人工认定 that change a computed grade: the grades that take effect differ from the
        # run's computed counts by these (the counts themselves are the rules' results).
        "decided_changes": decided,
        "grade_counts": [
            {
                "grade": g,
                "label": Grade(g).label,
                "badge": badge_class(g),
                "count": run.counts.get(g, 0),
                "official": official[g],
                "previous": before.get(g, 0) if previous is not None else None,
                "difference": run.counts.get(g, 0) - before.get(g, 0) if previous else None,
            }
            for g in GRADES
        ],
    }


def _grade_choice(value: str) -> str | None:
    return value if value in GRADES else None


def _after(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def movers(run: EvaluationRun, *, from_grade: str, to_grade: str, after: str | None) -> dict:
    """RunResults whose grade differs from the previous one, a keyset page, filtered by grades."""
    query = (
        RunResult.objects.filter(run=run)
        .exclude(previous_grade="")
        .exclude(previous_grade=F("grade"))
    )
    chosen = {"from": _grade_choice(from_grade) or "", "to": _grade_choice(to_grade) or ""}
    if chosen["from"]:
        query = query.filter(previous_grade=chosen["from"])
    if chosen["to"]:
        query = query.filter(grade=chosen["to"])
    filtered = bool(chosen["from"] or chosen["to"])
    total = query.count() if filtered else run.moved_count
    rows, cursor = _keyset(query.select_related("employer"), after)
    return {
        "rows": [_result_row(r) for r in rows],
        "chosen": chosen,
        "filtered": filtered,
        "total": total,
        "after": _after(after),
        "next_after": cursor,
    }


def _keyset(query: QuerySet, after: str | None) -> tuple[list[Any], int | None]:
    start = _after(after)
    if start is not None:
        query = query.filter(employer_id__gt=start)
    rows = list(query.order_by("employer_id")[: PAGE_SIZE + 1])
    cursor = rows[PAGE_SIZE - 1].employer_id if len(rows) > PAGE_SIZE else None
    return rows[:PAGE_SIZE], cursor


def _reasons(basis: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"article": b.get("article", ""), "reason": b.get("reason", "")} for b in basis or []]


def grade_choices(grade: str, basis: list[dict[str, str]]) -> list[tuple[str, str]]:
    """The decision form's grades for a result: those its flagging rules leave open."""
    rules = (b.get("rule", "") for b in basis or [])
    return [(g.value, f"{g.value}级（{g.label}）") for g in decidable_grades(rules, Grade(grade))]


def _result_row(result: RunResult) -> dict[str, Any]:
    return {
        "employer": result.employer,
        "grade": result.grade,
        "badge": badge_class(result.grade),
        "previous": result.previous_grade,
        "previous_badge": badge_class(result.previous_grade),
        "reasons": _reasons(result.basis),
        "grade_choices": grade_choices(result.grade, result.basis),
    }


REVIEW_STATES = {"": "全部", "open": "待认定", "decided": "已认定"}


def run_review_queue(run: EvaluationRun, *, state: str, after: str | None) -> dict[str, Any]:
    """第九条(二)、第十一条、第八条: the run's results left to an officer, with their decisions."""
    decided = ReviewDecision.objects.filter(run=run, employer_id=OuterRef("employer_id"))
    query = RunResult.objects.filter(run=run, needs_review=True).annotate(decided=Exists(decided))
    state = state if state in REVIEW_STATES else ""
    if state == "open":
        query = query.filter(decided=False)
    elif state == "decided":
        query = query.filter(decided=True)
    rows, cursor = _keyset(query.select_related("employer"), after)
    decisions = _latest_decisions(run, [r.employer_id for r in rows if r.decided])
    return {
        "rows": [{**_result_row(r), "decision": decisions.get(r.employer_id)} for r in rows],
        "state": state,
        "states": REVIEW_STATES,
        "after": _after(after),
        "next_after": cursor,
    }


def _latest_decisions(run: EvaluationRun, employer_ids: list[int]) -> dict[int, ReviewDecision]:
    latest: dict[int, ReviewDecision] = {}
    for decision in ReviewDecision.objects.filter(run=run, employer_id__in=employer_ids).order_by(
        "decided_at", "id"
    ):
        latest[decision.employer_id] = decision
    return latest


def current_review_queue(*, after: str | None) -> dict[str, Any]:
    """Employers whose current grade needs review and has no decision yet."""
    query = EmployerGrade.objects.filter(needs_review=True, decision__isnull=True)
    rows, cursor = _keyset(query.select_related("employer"), after)
    return {
        "rows": [
            {
                "employer": g.employer,
                "grade": g.grade,
                "badge": badge_class(g.grade),
                "as_of": g.as_of,
                "reasons": _reasons(g.basis),
                "grade_choices": grade_choices(g.grade, g.basis),
            }
            for g in rows
        ],
        "after": _after(after),
        "next_after": cursor,
    }


def employer_of(uscc: str) -> Employer | None:
    return Employer.objects.filter(uscc=(uscc or "").strip().upper()).first()


# ---------------------------------------------------------------- approval


def approval_problems(run: EvaluationRun, user: Any) -> list[str]:
    """What the approval would refuse at once (the service's own checks), and an approval
    already running: answered on the page, so that a refused approval starts no job."""
    problems = [p.message for p in evaluation_run_approval_problems(run=run, approver=user)]
    if running_job(APPROVE_KIND, run.pk) is not None:
        problems.append("本次评价正在批准中，请等待任务完成")
    return problems


# ---------------------------------------------------------------- jobs


def draft_start(*, as_of: datetime.date, actor: str) -> Job:
    """Start the annual evaluation as a job; its result names the draft run."""
    title = f"年度评价（评价日期 {as_of:%Y-%m-%d}）"

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        advance = progress.counter("评价用人单位", Employer.objects.count())
        try:
            run = evaluation_run_create(as_of=as_of, actor=actor, progress=advance)
        except NotInForce as error:
            raise JobFailed(str(error)) from None
        except Refused as refused:
            raise JobFailed("；".join(p.message for p in refused.problems)) from None
        return {"run": run.pk}

    return job_start(
        kind=DRAFT_KIND, title=title, actor=actor, params={"as_of": as_of.isoformat()}, work=work
    )


def approve_start(*, run: EvaluationRun, approver: Any) -> Job:
    """Start the approval as a job: the run's grades become the official grades."""
    actor = approver.get_username()
    approver_id = approver.pk

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        advance = progress.counter("写入正式信用等级", run.employer_count)
        # A fresh copy: permissions are read in this thread, not from the request's cache.
        user = get_user_model().objects.get(pk=approver_id)
        try:
            evaluation_run_approve(run=run, approver=user, progress=advance)
        except Refused as refused:
            raise JobFailed("；".join(p.message for p in refused.problems)) from None
        return {"run": run.pk}

    return job_start(
        kind=APPROVE_KIND,
        title=f"批准第 {run.pk} 次评价（评价日期 {run.as_of:%Y-%m-%d}）",
        actor=actor,
        params={"run": run.pk},
        work=work,
    )


def approval_in_progress() -> Job | None:
    """The approval running now, if any (not one whose process died): until it commits, the
    grade rows it has written stay locked, and a record for those employers must wait."""
    running = Job.objects.filter(kind=APPROVE_KIND, status=Job.Status.RUNNING).order_by("-pk")
    return next((job for job in running[:5] if not job_state(job).interrupted), None)


def job_run_id(job: Job) -> int | None:
    """The run a job made or approved, once known."""
    return job.result.get("run") or job.params.get("run")
