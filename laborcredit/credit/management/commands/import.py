"""`laborcredit import employers|records FILE` and `laborcredit import template employers|records`."""

from __future__ import annotations

import logging
import sys

from django.core.management.base import CommandError
from django.db import DatabaseError
from tqdm import tqdm

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.credit.importing import KINDS, ImportRefused, import_file, write_template
from laborcredit.lib.commands import DomainCommand

MAX_LISTED = 20
logger = logging.getLogger(__name__)


class Command(DomainCommand):
    help = (
        "从 Excel（.xlsx）或 CSV 导入用人单位或信用记录：有任何一行出错则全部不导入，并生成错误报告。"
        "import template employers|records 下载导入模板。"
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "what", choices=[*KINDS, "template"], help="employers、records 或 template"
        )
        parser.add_argument(
            "file", nargs="?", help="要导入的文件；template 时为 employers 或 records"
        )
        parser.add_argument("--report", help="错误报告的保存路径（默认在导入文件旁边）")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx", help="模板格式")
        parser.add_argument("-o", "--output", help="模板的保存路径")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["what"] == "template":
            return self._template(options)
        if not options["file"]:
            raise CommandError("请指定要导入的文件：laborcredit import employers|records 文件")
        actor = command_line_actor()
        with (
            acting_as(actor=actor, role="credit_officer", address="local"),
            tqdm(unit="行", disable=not sys.stderr.isatty(), desc="读取") as bar,
        ):  # fmt: skip
            shown = ["读取"]

            def step(stage: str, rows: int) -> None:
                if shown[0] != stage:
                    shown[0] = stage
                    bar.set_description(stage)
                bar.update(rows)

            try:
                result = import_file(
                    options["file"], options["what"], actor=actor, report=options["report"],
                    progress=step,
                )  # fmt: skip
            except ImportRefused as refused:
                bar.close()
                raise CommandError(self._refusal(refused), returncode=1) from None
            except DatabaseError as error:
                # One transaction: a lost connection or a restarted server leaves nothing behind.
                bar.close()
                logger.info("import of %s interrupted: %s", options["file"], error)
                raise CommandError(
                    "导入未完成：数据库连接中断或出错。"
                    "本次导入已整体回滚，未导入任何数据，可直接重新运行。",
                    returncode=1,
                ) from None
        self.stdout.write(result.sentence())

    def _refusal(self, refused: ImportRefused) -> str:
        lines = ["导入失败，未导入任何数据："]
        lines += [f"  {p}" for p in refused.problems[:MAX_LISTED]]
        if len(refused.problems) > MAX_LISTED:
            lines.append(f"  ……共 {len(refused.problems)} 个问题")
        if refused.report:
            lines.append(f"错误报告：{refused.report}")
        return "\n".join(lines)

    def _template(self, options):  # type: ignore[no-untyped-def]
        kind = options["file"]
        if kind not in KINDS:
            raise CommandError("请指定模板种类：laborcredit import template employers|records")
        fmt = options["format"]
        output = (
            options["output"] or f"{'单位' if kind == 'employers' else '信用记录'}导入模板.{fmt}"
        )
        try:
            path = write_template(kind, output, fmt)
        except OSError as error:
            raise CommandError(f"无法写入 {output}：{error.strerror or error}") from None
        self.stdout.write(f"已生成模板：{path}")
