"""`laborcredit measures joint-punishment -o FILE [--format xlsx|csv|json] [--unmasked --reason TEXT]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.errors import Refused
from laborcredit.measures.exporting import FORMATS, TITLE, joint_punishment_export


class Command(DomainCommand):
    help = "信用评价结果应用（第十四条至第十七条）：导出联合惩戒名单"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True, metavar="joint-punishment")
        joint = sub.add_parser(
            "joint-punishment",
            help="导出因列入拖欠农民工工资“黑名单”被评为C级的单位名单（第十七条），供联合惩戒部门使用",
        )
        joint.add_argument("-o", "--output", required=True, help="导出文件路径")
        joint.add_argument(
            "--format", choices=FORMATS, help="xlsx、csv 或 json（默认按文件扩展名）"
        )
        joint.add_argument("--reason", default="", help="导出事由（不脱敏导出时必填）")
        joint.add_argument(
            "--unmasked", action="store_true", help="不对法定代表人姓名脱敏（须说明事由）"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        output = Path(options["output"])
        suffix = output.suffix.lower().lstrip(".")
        fmt = options["format"] or (suffix if suffix in FORMATS else "xlsx")
        with acting_as(actor=command_line_actor(), role="credit_officer", address="local"):
            try:
                result = joint_punishment_export(
                    output, fmt=fmt, unmasked=options["unmasked"], reason=options["reason"]
                )
            except Refused as refused:
                raise CommandError(
                    "导出被拒绝：" + "；".join(p.message for p in refused.problems), returncode=1
                ) from None
            except OSError as error:
                raise CommandError(f"无法写入 {output}：{error.strerror or error}") from None
        self.stdout.write(f"已导出{TITLE} {result.rows} 家单位：{result.path}")
