"""`laborcredit inspections draw|show|verify|publish|export`: routine inspection plans (双随机)."""

from __future__ import annotations

from django.core.management.base import CommandError

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.inspections.models import InspectionPlan
from laborcredit.inspections.services import (
    parse_period,
    plan_draw,
    plan_export,
    plan_publish,
    plan_redraw_check,
    plan_summary,
)
from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.errors import Refused
from laborcredit.rules.inspections import GRADES


def parse_rates(text: str) -> dict[str, str]:
    """Rates written as A+=0,A=0.5,B=2,C=4, as a mapping; the service checks the values."""
    rates = {}
    for part in text.replace("，", ",").split(","):
        grade, sep, value = part.partition("=")
        if not sep:
            raise CommandError(f"检查频次应写作 A+=0,A=0.5,B=2,C=4，收到“{text}”")
        rates[grade.strip().upper()] = value.strip()
    return rates


class Command(DomainCommand):
    help = "日常巡视检查计划（双随机）：抽取、查看、复核、公布、导出"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="draw|show|verify|publish|export"
        )
        draw = sub.add_parser("draw", help="按信用等级抽取一个年度或季度的检查计划（草稿）")
        draw.add_argument("--period", required=True, help="期间：年度写 2027，季度写 2027Q1")
        draw.add_argument("--kind", choices=["year", "quarter"], default="year", help="计划类型")
        draw.add_argument("--seed", help="随机种子（不填则随机生成，并保存在计划中）")
        draw.add_argument("--rates", help="本计划的检查频次（次/年），如 A+=0,A=0.5,B=2,C=4")
        show = sub.add_parser("show", help="查看检查计划及其名单")
        show.add_argument("plan", type=int)
        show.add_argument("--limit", type=int, default=50, help="名单最多显示条数")
        verify = sub.add_parser("verify", help="用计划保存的随机种子重新抽取，并与名单比对")
        verify.add_argument("plan", type=int)
        publish = sub.add_parser("publish", help="公布检查计划")
        publish.add_argument("plan", type=int)
        export = sub.add_parser("export", help="导出检查计划（.xlsx）")
        export.add_argument("plan", type=int)
        export.add_argument("-o", "--output", required=True, help="输出文件（.xlsx）")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        actor = command_line_actor()
        try:
            with acting_as(actor=actor, role="credit_officer", address="local"):
                if options["action"] == "draw":
                    return self._draw(options, actor)
                plan = InspectionPlan.objects.filter(pk=options["plan"]).first()
                if plan is None:
                    raise CommandError(f"没有第 {options['plan']} 号检查计划")
                getattr(self, f"_{options['action']}")(plan, options, actor)
        except Refused as refused:
            raise CommandError("；".join(p.message for p in refused.problems)) from None

    def _draw(self, options, actor):  # type: ignore[no-untyped-def]
        kind = options["kind"]
        plan = plan_draw(
            period_start=parse_period(options["period"], kind), kind=kind, seed=options["seed"],
            rates=parse_rates(options["rates"]) if options["rates"] else None, actor=actor,
        )  # fmt: skip
        self.stdout.write(
            f"已抽取第 {plan.pk} 号检查计划（{plan.period_label}，草稿），随机种子 {plan.seed}"
        )
        self.stdout.write(self._counts(plan))
        if plan.unassigned_count:
            self.stdout.write(f"注意：有 {plan.unassigned_count} 次检查未能指派两名监察员")
        self.stdout.write(
            f"查看：laborcredit inspections show {plan.pk}；复核：laborcredit inspections verify "
            f"{plan.pk}；公布：laborcredit inspections publish {plan.pk}"
        )

    def _counts(self, plan: InspectionPlan) -> str:
        parts = "，".join(f"{g}级 {plan.counts.get(g, 0)} 次" for g in GRADES)
        return f"共 {sum(plan.counts.values())} 次检查：{parts}"

    def _show(self, plan, options, actor):  # type: ignore[no-untyped-def]
        for label, value in plan_summary(plan):
            self.stdout.write(f"{label}：{value}")
        self.stdout.write(self._counts(plan))
        limit = options["limit"]
        self.stdout.write(f"\n检查名单（前 {limit} 项）：")
        rows = plan.inspections.select_related(
            "employer", "inspector_1__user", "inspector_2__user"
        ).order_by("order")[:limit]
        for i in rows:
            who = "、".join(x.label for x in i.inspectors) or f"未指派（{i.unassigned_reason}）"
            self.stdout.write(
                f"  {i.order:>4}  {i.employer.uscc} {i.employer.name}  {i.grade}级  {who}  "
                f"{i.get_result_display()}"
            )

    def _verify(self, plan, options, actor):  # type: ignore[no-untyped-def]
        check = plan_redraw_check(plan)
        self.stdout.write(f"第 {plan.pk} 号检查计划，随机种子 {plan.seed}：{check.verdict}")
        for line in check.differences[:20]:
            self.stdout.write(f"  {line}")
        if not check.identical:
            raise CommandError("重新抽取结果与计划不一致")

    def _publish(self, plan, options, actor):  # type: ignore[no-untyped-def]
        plan_publish(plan=plan, actor=actor)
        self.stdout.write(f"第 {plan.pk} 号检查计划（{plan.period_label}）已公布")

    def _export(self, plan, options, actor):  # type: ignore[no-untyped-def]
        target = options["output"]
        if not target.lower().endswith(".xlsx"):
            raise CommandError("输出文件应以 .xlsx 结尾")
        rows = plan_export(plan=plan, target=target)
        self.stdout.write(f"已导出第 {plan.pk} 号检查计划（{rows} 项）到 {target}")
