"""`laborcredit evaluate --as-of DATE`: the annual evaluation of every employer, as a draft."""

from __future__ import annotations

import sys

from django.core.management.base import CommandError
from tqdm import tqdm

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.credit.models import Employer
from laborcredit.lib.commands import DomainCommand, date_option
from laborcredit.rating.services import evaluation_run_create
from laborcredit.rules import NotInForce


class Command(DomainCommand):
    help = "年度评价（第十三条）：按评价日期评价全部用人单位，生成待批准的评价结果"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--as-of", required=True, help="评价日期 YYYY-MM-DD")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        as_of = date_option(options["as_of"], "评价日期")
        actor = command_line_actor()
        try:
            with acting_as(actor=actor, role="credit_officer", address="local"):
                with tqdm(
                    total=Employer.objects.count(), unit="家", disable=not sys.stderr.isatty(),
                    desc="年度评价",
                ) as bar:  # fmt: skip
                    run = evaluation_run_create(as_of=as_of, actor=actor, progress=bar.update)
        except NotInForce as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"已生成第 {run.pk} 次评价（草稿），评价日期 {run.as_of}，用时 {run.seconds} 秒"
        )
        self.stdout.write(describe_counts(run))
        self.stdout.write(
            f"查看：laborcredit runs show {run.pk}；批准：laborcredit runs approve {run.pk} --by 账号"
        )


def describe_counts(run) -> str:  # type: ignore[no-untyped-def]
    counts = "，".join(f"{grade}级 {n} 家" for grade, n in run.counts.items())
    return (
        f"共 {run.employer_count} 家：{counts}；等级变动 {run.moved_count} 家，"
        f"需人工复核 {run.needs_review_count} 家"
    )
