"""`laborcredit runs list|show|approve|decide`: annual evaluation runs from the command line."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from laborcredit.audit.context import acting_as
from laborcredit.credit.models import Employer
from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.errors import Refused
from laborcredit.rating.management.commands.evaluate import describe_counts
from laborcredit.rating.models import EvaluationRun, RunResult
from laborcredit.rating.services import evaluation_run_approve, review_decide


class Command(DomainCommand):
    help = "查看、批准年度评价，对需人工复核的单位作出认定"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="list|show|approve|decide"
        )
        sub.add_parser("list", help="列出历次评价")
        show = sub.add_parser("show", help="查看一次评价：统计、等级变动、需人工复核名单")
        show.add_argument("run", type=int)
        show.add_argument("--limit", type=int, default=50, help="名单最多显示条数")
        approve = sub.add_parser("approve", help="批准评价结果，使之成为正式信用等级")
        approve.add_argument("run", type=int)
        approve.add_argument("--by", required=True, help="批准人账号（须有批准权限，且不是发起人）")
        decide = sub.add_parser("decide", help="对需人工复核的单位作出认定")
        decide.add_argument("run", type=int)
        decide.add_argument("uscc")
        decide.add_argument("--grade", required=True, choices=["A+", "A", "B", "C"])
        decide.add_argument("--reason", required=True)
        decide.add_argument("--by", required=True, help="认定人账号")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        action = options["action"]
        if action == "list":
            return self._list()
        run = EvaluationRun.objects.filter(pk=options["run"]).first()
        if run is None:
            raise CommandError(f"没有第 {options['run']} 次评价")
        try:
            if action == "show":
                self._show(run, options["limit"])
            elif action == "approve":
                approver = self._user(options["by"])
                with acting_as(actor=approver.get_username(), role="leadership", address="local"):
                    evaluation_run_approve(run=run, approver=approver)
                self.stdout.write(
                    f"第 {run.pk} 次评价已由 {approver.get_username()} 批准，成为正式信用等级"
                )
            elif action == "decide":
                employer = Employer.objects.filter(uscc=options["uscc"].upper()).first()
                if employer is None:
                    raise CommandError(f"没有统一社会信用代码为 {options['uscc']} 的单位")
                officer = self._user(options["by"])
                with acting_as(
                    actor=officer.get_username(), role="credit_officer", address="local"
                ):
                    review_decide(
                        employer=employer, decided_grade=options["grade"],
                        reason=options["reason"], actor=officer.get_username(), run=run,
                    )  # fmt: skip
                self.stdout.write(f"已记录对 {employer.name} 的人工认定：{options['grade']}级")
        except Refused as refused:
            raise CommandError("；".join(p.message for p in refused.problems)) from None

    def _user(self, username: str):  # type: ignore[no-untyped-def]
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有有效账号 {username}")
        return user

    def _list(self) -> None:
        runs = EvaluationRun.objects.order_by("-id")[:50]
        if not runs:
            self.stdout.write("还没有年度评价；用 laborcredit evaluate --as-of YYYY-MM-DD 发起")
        for run in runs:
            approved = (
                f"，{run.approved_by} 于 {run.approved_at:%Y-%m-%d} 批准" if run.approved_at else ""
            )
            self.stdout.write(
                f"第 {run.pk} 次  评价日期 {run.as_of}  {run.get_status_display()}  "
                f"发起人 {run.created_by}{approved}  {describe_counts(run)}"
            )

    def _show(self, run: EvaluationRun, limit: int) -> None:
        self.stdout.write(f"第 {run.pk} 次评价  评价日期 {run.as_of}  {run.get_status_display()}  "
                          f"规则版本 {run.rule_version}  第八条运用方式 {run.provincial_policy}")  # fmt: skip
        self.stdout.write(describe_counts(run))
        results = RunResult.objects.filter(run=run).select_related("employer")
        moved = [r for r in results.exclude(previous_grade="").iterator() if r.moved][:limit]
        self.stdout.write(f"\n等级变动（前 {limit} 家）：")
        for r in moved:
            why = "；".join(f"{b['article']} {b['reason']}" for b in r.basis)
            self.stdout.write(
                f"  {r.employer.uscc} {r.employer.name}：{r.previous_grade} → {r.grade}（{why}）"
            )
        self.stdout.write(f"\n需人工复核（前 {limit} 家）：")
        for r in results.filter(needs_review=True)[:limit]:
            why = "；".join(f"{b['article']} {b['reason']}" for b in r.basis)
            self.stdout.write(f"  {r.employer.uscc} {r.employer.name}：{r.grade}（{why}）")
