"""年度评价 (第十三条): draft a run as a job, watch it, read its counts, movers and needs_review
queue, record an officer's decision, and approve it (another person, as a job)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from laborcredit.jobs.models import Job
from laborcredit.jobs.runner import job_state
from laborcredit.lib.errors import Refused
from laborcredit.lib.forms import Form
from laborcredit.rating.models import EvaluationRun
from laborcredit.rating.services import review_decide
from laborcredit.rules import NotInForce, parameters_on
from laborcredit.rules.vocabulary import Grade
from laborcredit.web import runs

VIEW = "rating.view_evaluationrun"
DRAFT = "rating.add_evaluationrun"
DECIDE = "rating.add_reviewdecision"
APPROVE = "rating.approve_evaluationrun"
# The run page's list positions, kept across its links and its decision forms.
KEPT = ("from", "to", "after", "review", "review_after")
GRADE_CHOICES = [(g.value, f"{g.value}级（{g.label}）") for g in Grade]


class DraftForm(Form):
    as_of = forms.DateField(
        label="评价日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "请填写评价日期",
            "invalid": "评价日期格式应为 YYYY-MM-DD，例如 2026-11-24",
        },
    )

    def clean_as_of(self):  # type: ignore[no-untyped-def]
        as_of = self.cleaned_data["as_of"]
        today = timezone.localdate()
        if as_of > today:
            raise ValidationError(
                f"评价日期不能晚于今天（{today:%Y-%m-%d}）", code="date-in-future"
            )
        try:
            parameters_on(as_of)
        except NotInForce as error:
            raise ValidationError(str(error), code="not-in-force") from None
        return as_of


class DecisionForm(Form):
    """An officer's decision; the reason is checked by the service (reason-missing)."""

    uscc = forms.CharField(error_messages={"required": "缺少统一社会信用代码"})
    decided_grade = forms.ChoiceField(
        label="认定等级",
        choices=GRADE_CHOICES,
        error_messages={
            "required": "请选择认定等级",
            "invalid_choice": "无效的信用等级“%(value)s”",
        },
    )
    reason = forms.CharField(label="认定理由", required=False)


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _job_url(job: Job) -> str:
    return reverse("runs:job", args=[job.pk])


# ---------------------------------------------------------------- list and draft


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    """历次年度评价, the jobs under way, and the form that drafts a run."""
    if request.method == "POST":
        return _run_draft(request)
    return _list_page(request, DraftForm(initial={"as_of": timezone.localdate()}))


@permission_required(DRAFT, raise_exception=True)
def _run_draft(request: HttpRequest) -> HttpResponse:
    form = DraftForm(request.POST)
    if form.is_valid():
        busy = runs.running_job(runs.DRAFT_KIND)
        if busy is not None:
            form.add_error(
                None, f"已有年度评价正在生成（任务编号 {busy.pk}），请等待其完成后再发起"
            )
        else:
            job = runs.draft_start(
                as_of=form.cleaned_data["as_of"], actor=request.user.get_username()
            )
            return _see_other(_job_url(job))
    return _list_page(request, form, status=400)


def _list_page(request: HttpRequest, form: DraftForm, status: int = 200) -> HttpResponse:
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        page = 1
    context = {
        "form": form,
        "jobs": runs.recent_jobs(),
        "grades": runs.GRADES,
        "today": timezone.localdate(),
        **runs.run_page(page),
    }
    return render(request, "web/runs/list.html", context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    """One evaluation or approval job: its progress, and the run once it is done."""
    job = get_object_or_404(Job, pk=job_id, kind__in=runs.KINDS)
    run_id = runs.job_run_id(job)
    run = EvaluationRun.objects.filter(pk=run_id).first() if run_id else None
    context = {"state": job_state(job), "run": run, "approving": job.kind == runs.APPROVE_KIND}
    return render(request, "web/runs/job.html", context)


# ---------------------------------------------------------------- one run


def _run_context(request: HttpRequest, run: EvaluationRun) -> dict[str, Any]:
    params = request.GET if request.method == "GET" else request.POST
    is_draft = run.status == EvaluationRun.Status.DRAFT
    kept = _kept(params, KEPT)
    movers = runs.movers(
        run, from_grade=params.get("from", ""), to_grade=params.get("to", ""),
        after=params.get("after"),
    )  # fmt: skip
    review = runs.run_review_queue(
        run, state=params.get("review", ""), after=params.get("review_after")
    )
    return {
        "run": run,
        **runs.run_header(run),
        "movers": movers,
        "review": review,
        "grades": runs.GRADES,
        "can_decide": is_draft and request.user.has_perm(DECIDE),
        "can_approve": is_draft and request.user.has_perm(APPROVE),
        "kept": kept,
        "links": _links(kept, movers, review),
    }


def _query(kept: dict[str, str], **changes: Any) -> str:
    merged = {name: value for name, value in {**kept, **changes}.items() if value}
    return f"?{urlencode(merged)}" if merged else "?"


def _links(kept: dict[str, str], movers: dict[str, Any], review: dict[str, Any]) -> dict[str, Any]:
    """Pager and filter links of the two lists, each keeping the other's place."""
    return {
        "movers_first": _query(kept, after="") + "#movers" if movers["after"] else "",
        "movers_next": _query(kept, after=movers["next_after"]) + "#movers"
        if movers["next_after"]
        else "",
        "review_first": _query(kept, review_after="") + "#review" if review["after"] else "",
        "review_next": _query(kept, review_after=review["next_after"]) + "#review"
        if review["next_after"]
        else "",
        "review_states": [
            (code, label, _query(kept, review=code, review_after="") + "#review")
            for code, label in review["states"].items()
        ],
    }


def _kept(params: Any, names: tuple[str, ...]) -> dict[str, str]:
    return {name: params.get(name) for name in names if params.get(name)}


@login_required
@permission_required(VIEW, raise_exception=True)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """第 N 次评价: header, counts beside the previous run's, movers, the needs_review queue."""
    run = get_object_or_404(EvaluationRun.objects.select_related("previous"), pk=run_id)
    return render(request, "web/runs/detail.html", _run_context(request, run))


def _failed(form: DecisionForm, problems: list[Any] | None = None) -> dict[str, Any]:
    """A refused decision, to show beside the row's form with what was typed."""
    errors: dict[str, list[str]] = {"decided_grade": [], "reason": [], "other": []}
    for name, messages_ in form.errors.items():
        errors[name if name in ("decided_grade", "reason") else "other"].extend(messages_)
    for problem in problems or []:
        errors[problem.place if problem.place in ("decided_grade", "reason") else "other"].append(
            problem.message
        )
    return {
        "uscc": form.data.get("uscc", ""),
        "errors": errors,
        "grade": form.data.get("decided_grade", ""),
        "reason": form.data.get("reason", ""),
    }


def _decide(request: HttpRequest, run: EvaluationRun | None) -> dict[str, Any] | None:
    """Record the decision; returns what to show beside the form when refused."""
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _failed(form)
    employer = runs.employer_of(form.cleaned_data["uscc"])
    if employer is None:
        form.add_error("uscc", f"没有统一社会信用代码为 {form.cleaned_data['uscc']} 的单位")
        return _failed(form)
    try:
        review_decide(
            employer=employer,
            decided_grade=form.cleaned_data["decided_grade"],
            reason=form.cleaned_data["reason"],
            actor=request.user.get_username(),
            run=run,
        )
    except Refused as refused:
        return _failed(form, refused.problems)
    messages.success(
        request, f"已记录对 {employer.name} 的人工认定：{form.cleaned_data['decided_grade']}级"
    )
    return None


@login_required
@permission_required(VIEW, raise_exception=True)
@permission_required(DECIDE, raise_exception=True)
@require_POST
def run_decide(request: HttpRequest, run_id: int) -> HttpResponse:
    """人工认定 on one result of a draft run (第九条(二)、第十一条、第八条)."""
    run = get_object_or_404(EvaluationRun.objects.select_related("previous"), pk=run_id)
    failed = _decide(request, run)
    if failed is None:
        query = _query(_kept(request.POST, KEPT))
        return _see_other(f"{reverse('runs:detail', args=[run.pk])}{query}#review")
    context = {**_run_context(request, run), "failed": failed}
    return render(request, "web/runs/detail.html", context, status=400)


# ---------------------------------------------------------------- approval


@login_required
@permission_required(APPROVE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def run_approve(request: HttpRequest, run_id: int) -> HttpResponse:
    """批准: what approving does, then the approval as a job (another person than the drafter)."""
    run = get_object_or_404(EvaluationRun, pk=run_id)
    problems = runs.approval_problems(run, request.user)
    if request.method == "POST" and not problems:
        job = runs.approve_start(run=run, approver=request.user)
        return _see_other(_job_url(job))
    status = 400 if request.method == "POST" else 200
    context = {"run": run, "problems": problems, **runs.run_header(run)}
    return render(request, "web/runs/approve.html", context, status=status)


# ---------------------------------------------------------------- current grades to review


@login_required
@permission_required(VIEW, raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    """当前等级待人工复核: current grades the rules leave open, with no decision yet."""
    return _review_page(request)


def _review_page(
    request: HttpRequest, failed: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    params = request.GET if request.method == "GET" else request.POST
    after = params.get("after")
    context = {
        **runs.current_review_queue(after=after),
        "page_kept": {"after": after} if after else {},
        "can_decide": request.user.has_perm(DECIDE),
        "failed": failed,
    }
    return render(request, "web/runs/review.html", context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
@permission_required(DECIDE, raise_exception=True)
@require_POST
def review_decide_current(request: HttpRequest) -> HttpResponse:
    """人工认定 on an employer's current grade; it becomes the official grade at once."""
    failed = _decide(request, None)
    if failed is None:
        after = request.POST.get("after")
        query = f"?{urlencode({'after': after})}" if after else ""
        return _see_other(f"{reverse('runs:review')}{query}")
    return _review_page(request, failed, status=400)
