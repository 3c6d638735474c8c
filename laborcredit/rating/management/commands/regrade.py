"""`laborcredit regrade --due`: keep every grade true as time passes (第十三条 动态调整)."""

from __future__ import annotations

import sys

from tqdm import tqdm

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.lib.commands import DomainCommand, date_option
from laborcredit.rating.services import regrade_due


class Command(DomainCommand):
    help = "重新评价因时间推移（评价窗口变化）可能改变等级的用人单位；建议每天运行一次"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--due", action="store_true", required=True, help="只评价到期的单位")
        parser.add_argument("--as-of", help="评价日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        today = None
        if options["as_of"]:
            today = date_option(options["as_of"], "评价日期")
        actor = command_line_actor()
        with acting_as(actor=actor, role="system", address="local"):
            with tqdm(unit="家", disable=not sys.stderr.isatty(), desc="重新评价") as bar:
                summary = regrade_due(today=today, actor=actor, progress=bar.update)
        self.stdout.write(f"检查 {summary.checked} 家，等级变化 {summary.changed} 家")
        for (before, after), count in sorted((summary.transitions or {}).items()):
            if before == after:
                self.stdout.write(f"  {after}级不变、依据或复核标记变化：{count} 家")
            else:
                self.stdout.write(f"  {before or '（无）'} → {after}：{count} 家")
        if summary.repairs_refreshed:
            self.stdout.write(f"信用修复状态另行更新 {summary.repairs_refreshed} 家（第二十一条）")
