"""`laborcredit export employers|records|grades -o FILE [--format xlsx|csv] [--reason TEXT]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.credit.exporting import FORMATS, KINDS, TITLES, export_file
from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.errors import Refused


class Command(DomainCommand):
    help = "导出用人单位、信用记录或信用等级为 .xlsx 或 CSV；个人信息默认脱敏，批量导出须说明事由"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("kind", choices=KINDS, help="employers、records 或 grades")
        parser.add_argument("-o", "--output", required=True, help="导出文件路径")
        parser.add_argument("--format", choices=FORMATS, help="xlsx 或 csv（默认按文件扩展名）")
        parser.add_argument("--reason", default="", help="导出事由（导出全部单位时必填）")
        parser.add_argument("--uscc", action="append", default=[], help="只导出该单位（可重复）")
        parser.add_argument(
            "--unmasked", action="store_true", help="不对个人信息脱敏（须有权限并说明事由）"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        output = Path(options["output"])
        fmt = options["format"] or ("csv" if output.suffix.lower() == ".csv" else "xlsx")
        with acting_as(actor=command_line_actor(), role="credit_officer", address="local"):
            try:
                result = export_file(
                    options["kind"], output, fmt=fmt, reason=options["reason"],
                    usccs=options["uscc"], unmasked=options["unmasked"],
                )  # fmt: skip
            except Refused as refused:
                raise CommandError(
                    "导出被拒绝：" + "；".join(p.message for p in refused.problems), returncode=1
                ) from None
            except OSError as error:
                raise CommandError(f"无法写入 {output}：{error.strerror or error}") from None
        self.stdout.write(f"已导出{TITLES[result.kind]} {result.rows} 行：{result.path}")
