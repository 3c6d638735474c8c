"""`laborcredit repair due --as-of DATE`: the credit repair due list (第二十一条); `laborcredit
repair states`: rewrite every kept repair (repair.states) after an upgrade of the rules."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils import timezone

from laborcredit.lib.commands import DomainCommand
from laborcredit.repair.selectors import RepairFile, repair_sections
from laborcredit.repair.states import states_refresh
from laborcredit.rules.repair import as_of_problem
from laborcredit.rules.validation import parse_date

# Bad input exits 2, as a usage error of the parser does.
BAD_INPUT = 2


def _deadline(found: RepairFile) -> str:
    if found.deadline is None:
        return "调整期限：证据齐全后起算"
    text = f"调整期限 {found.deadline.describe()}"
    if found.overdue:
        return f"{text}，已逾期"
    return f"{text}，剩余 {found.days_left} 个工作日"


def _line(found: RepairFile, *, steps: bool = False) -> str:
    cases = "、".join(c.case for c in found.status.cases)
    head = (
        f"  {found.employer.uscc} {found.employer.name}  案件 {cases}  "
        f"评价周期期满 {found.status.cycle_end}"
    )
    if steps:
        return f"{head}  尚需：{'；'.join(found.status.remaining)}"
    return f"{head}  {_deadline(found)}"


class Command(DomainCommand):
    help = "信用修复（第二十一条）：列出应调整信用等级的单位（含逾期）、即将期满和待补充证据的单位"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True, metavar="due|states")
        sub.add_parser(
            "states",
            help="重写全部单位的修复状态（清单读的表；升级改变了修复规则后运行一次）",
        )
        due = sub.add_parser("due", help="到期清单：评价周期已满、证据齐全、尚未调整的单位等")
        due.add_argument("--as-of", metavar="YYYY-MM-DD", help="日期（默认今天）")
        due.add_argument(
            "--horizon", default="30", metavar="天数", help="“即将期满”看多少天之内（默认 30）"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["action"] == "states":
            read = states_refresh(timezone.localdate(), every=True)
            self.stdout.write(f"已重写 {read} 家单位的信用修复状态（第二十一条）")
            return
        as_of = timezone.localdate()
        if options["as_of"]:
            day, message = parse_date(options["as_of"])
            if day is None:
                raise CommandError(f"日期：{message}", returncode=BAD_INPUT)
            problem = as_of_problem(day)
            if problem:
                raise CommandError(f"日期：{problem}", returncode=BAD_INPUT)
            as_of = day
        horizon_text = str(options["horizon"]).strip()
        if not horizon_text.isascii() or not horizon_text.isdigit() or int(horizon_text) > 366:
            raise CommandError(
                f"天数应为 0 至 366 之间的整数，收到 “{options['horizon']}”", returncode=BAD_INPUT
            )
        horizon = int(horizon_text)
        sections = repair_sections(as_of=as_of, horizon_days=horizon)
        self.stdout.write(f"信用修复到期清单（第二十一条），截至 {as_of}")
        headings = {
            "due": "待调整（含逾期）",
            "upcoming": f"即将期满（{horizon} 日内）",
            "awaiting": "待补充证据",
        }
        for key, section in sections.items():
            self.stdout.write(f"{headings[key]}：{section.count} 家")
            for found in section.files:
                self.stdout.write(_line(found, steps=key == "awaiting"))
