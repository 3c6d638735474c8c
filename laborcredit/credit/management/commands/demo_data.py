"""`laborcredit demo-data`: a synthetic Wugang in the credit file, for demonstrations and trials."""

from __future__ import annotations

import sys
import time
from collections import Counter

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone
from tqdm import tqdm

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.credit.demo import DEFAULT_SEED, demo_load, generate
from laborcredit.credit.models import Employer
from laborcredit.lib.commands import DomainCommand, date_option
from laborcredit.lib.errors import Refused
from laborcredit.rules.vocabulary import Grade


class Command(DomainCommand):
    help = "按种子生成舞钢市演示数据（用人单位及其信用记录），经导入校验、审计并评价等级"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--employers", type=int, default=3000, help="单位数（默认 3000）")
        parser.add_argument("--years", type=int, default=6, help="信用记录跨越的年数（默认 6）")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）"
        )
        parser.add_argument("--as-of", help="数据截至日期 YYYY-MM-DD（默认今天）")
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库中已有单位时什么也不做（首次启动用）"
        )
        parser.add_argument(
            "--via-import",
            action="store_true",
            help="在 PostgreSQL 上也逐批经导入校验写入（默认用 COPY 批量写入；其他数据库总是逐批导入）",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        today = timezone.localdate()
        as_of = today
        if options["as_of"]:
            as_of = date_option(options["as_of"], "截至日期")
            if as_of > today:
                raise CommandError(f"截至日期 {as_of} 晚于今天，不能登记将来的事实")
        if options["employers"] < 1 or options["years"] < 1:
            raise CommandError("单位数和年数都应为正整数")
        if settings.PRODUCTION:
            # Records can never be deleted (第七条): demo employers would stay in the real file.
            message = "生产环境（LABORCREDIT_ENV=production）不生成演示数据"
            if options["if_empty"]:
                self.stdout.write(message)
                return
            raise CommandError(message)
        if options["if_empty"] and Employer.objects.exists():
            self.stdout.write("数据库中已有用人单位，不生成演示数据")
            return

        seed = options["seed"]
        started = time.monotonic()
        employer_rows, record_rows = generate(seed, options["employers"], options["years"], as_of)
        generated = time.monotonic() - started
        source_name = f"演示数据（种子 {seed}）"
        actor = command_line_actor()
        bulk = False if options["via_import"] else None
        with (
            acting_as(actor=actor, role="system", address="local"),
            tqdm(total=len(employer_rows), unit="家", desc="生成演示数据",
                 disable=not sys.stderr.isatty()) as bar,
        ):  # fmt: skip
            try:
                summary = demo_load(
                    employer_rows, record_rows, actor=actor, source_name=source_name,
                    as_of=as_of, bulk=bulk, progress=bar.update,
                )  # fmt: skip
            except Refused as refused:
                problems = "\n".join(f"  {p}" for p in refused.problems[:20])
                raise CommandError(f"演示数据未能写入：\n{problems}") from None
        grades, review = summary.grades, summary.needs_review
        self.stdout.write(
            f"已生成舞钢市演示数据（种子 {seed}，截至 {as_of}，{options['years']} 年）："
            f"新增用人单位 {summary.employers} 家，信用记录 {summary.records} 条，"
            f"用时 {generated + summary.seconds:.1f} 秒"
        )
        way = "COPY 批量写入" if summary.path == "copy" else "逐批导入校验"
        self.stdout.write(
            f"  生成 {generated:.1f} 秒；写入（{way}）{summary.seconds:.1f} 秒，"
            f"每秒 {summary.records_per_second:,.0f} 条记录"
        )
        types = Counter(r["type"] for r in record_rows)
        self.stdout.write(
            "  其中：被查处 {} 起，行政处罚 {} 起，列入拖欠农民工工资黑名单 {} 次，"
            "仲裁败诉 {} 起，认定劳动关系和谐企业 {} 家".format(
                types["violation_found"],
                types["penalty_imposed"],
                types["blacklist_listed"],
                types["arbitration_lost"],
                types["harmonious_certified"],
            )
        )
        total = sum(grades.values()) or 1
        self.stdout.write("信用等级分布：")
        for grade in Grade:
            count = grades[grade.value]
            self.stdout.write(
                f"  {grade.value}级（{grade.label}）：{count} 家（{count / total:.1%}）"
            )
        self.stdout.write(f"  需人工复核：{review} 家")
