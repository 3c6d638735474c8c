"""`laborcredit reports superior --period quarter --year 2026 --number 3 -o FILE.xlsx|.pdf` and
`laborcredit reports credit USCC -o FILE.pdf`: 第六条 reports from the command line."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import CommandError

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.credit.models import Employer
from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.errors import Refused
from laborcredit.reports.documents import VERIFY_PATH
from laborcredit.reports.services import report_issue, superior_report_export
from laborcredit.rules.validation import check_uscc

BAD_INPUT = 2


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise CommandError(f"无法写入 {path}：{error.strerror or error}", returncode=1) from None


def _refused(refused: Refused) -> CommandError:
    return CommandError("；".join(p.message for p in refused.problems), returncode=BAD_INPUT)


class Command(DomainCommand):
    help = "报表（第六条）：向上级主管部门报送的月度、季度、年度报表；用人单位信用报告"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True, metavar="superior|credit")
        superior = sub.add_parser("superior", help="向上级主管部门报送的报表（.xlsx 或 .pdf）")
        superior.add_argument(
            "--period", required=True, choices=["month", "quarter", "year"],
            help="month 月度，quarter 季度，year 年度",
        )  # fmt: skip
        superior.add_argument("--year", required=True, metavar="年份", help="年份，如 2026")
        superior.add_argument(
            "--number", default="1", metavar="期数", help="月份（1–12）或季度（1–4）；年度不填"
        )
        superior.add_argument(
            "-o", "--output", required=True, metavar="文件", help="输出文件（.xlsx 或 .pdf）"
        )
        credit = sub.add_parser("credit", help="出具用人单位信用报告（PDF，带验证码）")
        credit.add_argument("uscc", metavar="统一社会信用代码")
        credit.add_argument(
            "-o", "--output", required=True, metavar="文件", help="输出文件（.pdf）"
        )
        credit.add_argument("--purpose", default="", metavar="用途", help="用途（选填）")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        output = Path(options["output"])
        suffix = output.suffix.lower().lstrip(".")
        with acting_as(actor=command_line_actor(), role="credit_officer", address="local"):
            if options["action"] == "superior":
                if suffix not in ("xlsx", "pdf"):
                    raise CommandError("输出文件应以 .xlsx 或 .pdf 结尾", returncode=BAD_INPUT)
                try:
                    report, data = superior_report_export(
                        period=options["period"],
                        year=options["year"],
                        number=options["number"],
                        format=suffix,
                        actor=command_line_actor(),
                    )
                except Refused as refused:
                    raise _refused(refused) from None
                _write(output, data)
                self.stdout.write(f"已生成{report.title}：{output}")
                return
            if suffix != "pdf":
                raise CommandError("信用报告的输出文件应以 .pdf 结尾", returncode=BAD_INPUT)
            code, problem = check_uscc((options["uscc"] or "").strip().upper())
            if problem is not None:
                raise CommandError(f"统一社会信用代码：{problem}", returncode=BAD_INPUT)
            employer = Employer.objects.filter(uscc=code).first()
            if employer is None:
                raise CommandError(
                    f"未找到统一社会信用代码为 {code} 的用人单位", returncode=BAD_INPUT
                )
            base = os.environ.get("LABORCREDIT_SITE_URL", "").rstrip(
                "/"
            )  # e.g. https://xy.example.gov.cn
            try:
                report = report_issue(
                    employer=employer,
                    actor=command_line_actor(),
                    purpose=options["purpose"],
                    channel="command",
                    verify_url=f"{base}{VERIFY_PATH}",
                )
            except Refused as refused:
                raise _refused(refused) from None
            _write(output, report.pdf)  # type: ignore[attr-defined]
            self.stdout.write(
                f"已出具 {employer.name} 的信用报告：{output}\n验证码：{report.code}"  # type: ignore[attr-defined]
            )
