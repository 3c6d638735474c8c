"""`laborcredit workdays add|show|arrangement`: working-day deadlines and the official holiday arrangements."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError
from django.db import DatabaseError

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.errors import Refused
from laborcredit.rules.validation import parse_date
from laborcredit.rules.workdays import (
    Calendar,
    WorkdaysInputError,
    package_years,
    parse_count,
    parse_days,
    provisional_reason,
)
from laborcredit.workdays.selectors import arrangement_latest, calendar
from laborcredit.workdays.services import arrangement_enter

# Bad input exits 2, as a usage error of the parser does.
BAD_INPUT = 2


def _days(text: str, label: str) -> list[datetime.date]:
    try:
        return parse_days(text)
    except WorkdaysInputError as error:
        raise CommandError(f"{label}：{error.message}", returncode=BAD_INPUT) from None


def _day(text: str, label: str) -> datetime.date:
    day, message = parse_date(text)
    if day is None:
        raise CommandError(f"{label}：{message}", returncode=BAD_INPUT)
    return day


def _dates(days: list[str]) -> str:
    return "、".join(days) if days else "无"


class Command(DomainCommand):
    help = "按工作日计算期限（不含收到当日，民法典第二百零一条），查看、录入国务院公布的节假日安排"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True, metavar="add|show|arrangement")
        add = sub.add_parser(
            "add",
            help="第 N 个工作日是哪一天（不含起算当日）；结果所在年份尚无节假日安排时在标准错误中注明暂定",
        )
        add.add_argument("date", metavar="日期", help="起算日期（如收到日期）YYYY-MM-DD")
        add.add_argument("n", metavar="N", help="工作日数（正整数）")
        show = sub.add_parser("show", help="查看某年的节假日安排")
        show.add_argument("year", metavar="年份", type=int)
        enter = sub.add_parser(
            "arrangement", help="录入（或更正）某年的节假日安排；系统内置的年份无需录入"
        )
        enter.add_argument("year", metavar="年份", type=int)
        enter.add_argument(
            "--holidays",
            required=True,
            help="放假日期，逗号分隔，可写区间：2027-10-01..2027-10-07,2027-01-01",
        )
        enter.add_argument(
            "--workdays", default="", help="调休上班日期（周六、周日），逗号分隔；没有则省略"
        )
        enter.add_argument(
            "--source",
            required=True,
            help="依据文件：国务院办公厅关于某年部分节假日安排的通知及文号",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        action = options["action"]
        if action == "add":
            self._add(options["date"], options["n"])
        elif action == "show":
            self._show(options["year"])
        else:
            self._enter(options)

    def _add(self, date_text: str, n_text: str) -> None:
        start = _day(date_text, "起算日期")
        try:
            n = parse_count(n_text)
        except WorkdaysInputError as error:
            raise CommandError(error.message, returncode=BAD_INPUT) from None
        try:
            current = calendar()
        except DatabaseError:
            # No database yet (not migrated): the package's years still count.
            self.stderr.write("注意：无法读取数据库中录入的节假日安排，仅按系统内置的安排计算")
            current = Calendar()
        try:
            deadline = current.add_working_days(start, n)
        except WorkdaysInputError as error:
            raise CommandError(error.message, returncode=BAD_INPUT) from None
        self.stdout.write(deadline.date.isoformat())
        if deadline.provisional:
            self.stderr.write(
                f"暂定：{provisional_reason(deadline.provisional_years)}；"
                "录入该年安排（laborcredit workdays arrangement）后结果可能改变"
            )

    def _show(self, year: int) -> None:
        entered = arrangement_latest(year=year)
        arrangement = calendar().arrangement(year)
        if arrangement is None:
            self.stdout.write(
                f"{year}年尚无节假日安排：按周六、周日休息推算，期限为暂定；"
                "国务院公布后用 laborcredit workdays arrangement 录入"
            )
            return
        if entered is not None:
            self.stdout.write(
                f"{year}年节假日安排（第{entered.version}版，{entered.entered_by} 于 "
                f"{entered.entered_at:%Y-%m-%d} 录入）依据：{entered.source}"
            )
        else:
            self.stdout.write(f"{year}年节假日安排：系统内置（{arrangement.source}）")
        holidays = sorted(d.isoformat() for d in arrangement.holidays)
        workdays = sorted(d.isoformat() for d in arrangement.workdays)
        self.stdout.write(f"放假（{len(holidays)} 天）：{_dates(holidays)}")
        self.stdout.write(f"调休上班（{len(workdays)} 天）：{_dates(workdays)}")

    def _enter(self, options: dict) -> None:  # type: ignore[type-arg]
        year = options["year"]
        if year in package_years():
            raise CommandError(
                f"{year}年的节假日安排已由系统内置（chinese-calendar），无需录入",
                returncode=BAD_INPUT,
            )
        holidays = _days(options["holidays"], "放假日期")
        workdays = _days(options["workdays"], "调休上班日期")
        actor = command_line_actor()
        try:
            with acting_as(actor=actor, role="system_admin", address="local"):
                row = arrangement_enter(
                    year=year,
                    holidays=holidays,
                    workdays=workdays,
                    source=options["source"],
                    actor=actor,
                )
        except Refused as refused:
            raise CommandError(
                "；".join(p.message for p in refused.problems), returncode=BAD_INPUT
            ) from None
        self.stdout.write(
            f"已录入{year}年节假日安排第{row.version}版：放假 {len(row.holidays)} 天，"
            f"调休上班 {_dates(row.workdays)}；此后显示的期限按新安排重新计算"
        )
