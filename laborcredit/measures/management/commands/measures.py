"""`laborcredit measures joint-punishment -o FILE [--format xlsx|csv|json] [--unmasked --reason TEXT]`,
`laborcredit measures interviews-due -o FILE [--format xlsx|csv|json] [--reason TEXT]`, and
`laborcredit measures exports-expire` (daily: remove the web's background export files past
their keeping time)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.errors import Refused
from laborcredit.measures.exporting import (
    FORMATS,
    INTERVIEWS_TITLE,
    KEPT_HOURS,
    TITLE,
    exports_expire,
    interviews_due_export,
    joint_punishment_export,
)


class Command(DomainCommand):
    help = "信用评价结果应用（第十四条至第十七条）：导出联合惩戒名单、待约谈单位清单"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(
            dest="action",
            required=True,
            metavar="joint-punishment | interviews-due | exports-expire",
        )
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
        due = sub.add_parser(
            "interviews-due",
            help="导出因行政处罚被评为C级、自评为C级以来尚未约谈的单位清单（第十七条（三））",
        )
        due.add_argument("-o", "--output", required=True, help="导出文件路径")
        due.add_argument("--format", choices=FORMATS, help="xlsx、csv 或 json（默认按文件扩展名）")
        due.add_argument("--reason", default="", help="导出事由（记入审计日志）")
        sub.add_parser(
            "exports-expire",
            help=f"删除网页后台导出超过 {KEPT_HOURS} 小时的文件（请每天运行）",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["action"] == "exports-expire":
            removed = exports_expire()
            self.stdout.write(f"已删除超过保留期限的后台导出文件 {removed} 个")
            return
        output = Path(options["output"])
        suffix = output.suffix.lower().lstrip(".")
        fmt = options["format"] or (suffix if suffix in FORMATS else "xlsx")
        with acting_as(actor=command_line_actor(), role="credit_officer", address="local"):
            try:
                if options["action"] == "interviews-due":
                    title = INTERVIEWS_TITLE
                    result = interviews_due_export(output, fmt=fmt, reason=options["reason"])
                else:
                    title = TITLE
                    result = joint_punishment_export(
                        output, fmt=fmt, unmasked=options["unmasked"], reason=options["reason"]
                    )
            except Refused as refused:
                raise CommandError(
                    "导出被拒绝：" + "；".join(p.message for p in refused.problems), returncode=1
                ) from None
            except OSError as error:
                raise CommandError(f"无法写入 {output}：{error.strerror or error}") from None
        self.stdout.write(f"已导出{title} {result.rows} 家单位：{result.path}")
