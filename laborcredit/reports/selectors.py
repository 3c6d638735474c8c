"""Reads of 第六条: what an employer's credit report shows, the verification of a report's
code, and the periodic report to superior departments."""

from __future__ import annotations

import calendar as month_calendar
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import F, Min
from django.utils import timezone

from laborcredit.credit.models import CreditRecord, Disclosure, Employer
from laborcredit.credit.reference import INDUSTRY_SECTIONS, TOWNSHIPS
from laborcredit.lib.errors import Refused
from laborcredit.measures.selectors import measures_on
from laborcredit.portal.selectors import scrubbed
from laborcredit.rating.models import Cause, EmployerGrade, GradeChange
from laborcredit.reports.codes import code_for, serial_of
from laborcredit.reports.models import IssuedReport
from laborcredit.rules.articles import article_text, cited_articles
from laborcredit.rules.meaning import GRADE_ARTICLE, grade_meaning
from laborcredit.rules.vocabulary import Grade, RecordType

GRADES = [g.value for g in Grade]
UNGRADED = "未评价"
RECORDS_NOTE = (
    "本报告只载明经授权公开的信用记录（第七条：未经授权公开的信用信息不得泄露）；"
    "仅供内部使用或仅向授权部门共享的记录不在本报告中列出，评价依据中涉及的相应案件编号以“〔不公开〕”代替。"
)
INVALID_CODE = "验证码无效"


# ------------------------------------------------------------------ the credit report


def _public_references(employer: Employer) -> tuple[set[int], list[str]]:
    """The record versions the report may show (public versions of records whose current version
    is public and not void), and the case and document numbers found only elsewhere."""
    chains: dict[Any, list[CreditRecord]] = {}
    for record in CreditRecord.objects.filter(employer=employer).order_by("lineage", "version"):
        chains.setdefault(record.lineage, []).append(record)
    shown: set[str] = set()
    every: set[str] = set()
    public: set[int] = set()
    for chain in chains.values():
        current = chain[-1]
        current_public = current.disclosure == Disclosure.PUBLIC
        for version in chain:
            references = {x for x in (version.case, version.document_number) if x}
            every |= references
            if current_public and version.disclosure == Disclosure.PUBLIC:
                shown |= references
                public.add(version.pk)
    return public, sorted(every - shown, key=len, reverse=True)


def _describe(record: CreditRecord) -> str:
    text = f"{record.date:%Y-%m-%d} {record.get_type_display()}"
    return f"{text}（{record.case}）" if record.case else text


def _penalty_summary(record: CreditRecord) -> str:
    """What a 行政处罚 imposed (双公示 处罚类别 and 罚款金额), as the report prints it; empty
    when the record holds neither."""
    parts = [record.penalty_category] if record.penalty_category else []
    if record.fine_amount is not None:
        parts.append(f"罚款 {record.fine_amount:,.2f} 元")
    return "；".join(parts)


def credit_report_content(*, employer: Employer) -> dict[str, Any]:
    """What an employer's credit report shows, as JSON-ready data: basic information, the grade
    in force with its basis and articles, the grade history, the public records and measures."""
    public, hidden = _public_references(employer)
    industry = " ".join(x for x in (employer.industry_code, employer.industry_name) if x)
    basic = [
        ["统一社会信用代码", employer.uscc],
        ["单位名称", employer.name],
        ["地址", employer.address or "—"],
        ["乡镇（街道）", employer.township or "—"],
        ["行业", industry or "—"],
        ["登记注册类型", employer.registration_type or "—"],
    ]
    former = list(employer.names.exclude(name=employer.name).values_list("name", flat=True))
    if former:
        basic.append(["曾用名", "、".join(dict.fromkeys(former))])
    grade_row = EmployerGrade.objects.filter(employer=employer).select_related("decision").first()
    grade: dict[str, Any] | None = None
    measures: list[dict[str, str]] = []
    if grade_row is not None:
        official = grade_row.official_grade
        decision = grade_row.decision
        grade = {
            "code": official,
            "label": Grade(official).label,
            "as_of": grade_row.as_of.isoformat(),
            "article": GRADE_ARTICLE[official],
            "article_text": article_text(GRADE_ARTICLE[official]),
            "meaning": grade_meaning(
                official,
                (entry.get("rule", "") for entry in grade_row.basis or []),
                decided=decision is not None,
            ),
            "decided": decision is not None,
            "decided_on": f"{timezone.localtime(decision.decided_at):%Y-%m-%d}" if decision else "",
            "decision_reason": scrubbed(decision.reason, hidden) if decision else "",
            "pending_review": grade_row.needs_review and decision is None,
            "provincial_level": grade_row.provincial_level,
            "basis": [
                {
                    "citation": entry.get("article", ""),
                    "reason": scrubbed(entry.get("reason", ""), hidden),
                    "articles": cited_articles(entry.get("article", "")),
                }
                for entry in grade_row.basis or []
            ],
        }
        measures = [
            {
                "kind": m["kind"],
                "citation": m["citation"],
                "text": m["text"],
                "why": scrubbed(m["why"], hidden),
            }
            for m in measures_on(grade_row=grade_row, on=timezone.localdate())
        ]
    history = []
    for change in (
        GradeChange.objects.filter(employer=employer)
        .select_related("record")
        .order_by("-created_at", "-id")
    ):
        record = change.record
        history.append(
            {
                "as_of": change.as_of.isoformat(),
                "from": change.from_grade or "（首次评价）",
                "to": change.to_grade,
                "cause": change.get_cause_display(),
                "record": _describe(record) if record is not None and record.pk in public else "",
            }
        )
    records = [
        {
            "date": record.date.isoformat(),
            "type": record.get_type_display(),
            "category": RecordType(record.type).category.label,
            "article": RecordType(record.type).article,
            "case": record.case,
            "document_number": record.document_number,
            "issuing_body": record.issuing_body,
            "penalty": _penalty_summary(record),
        }
        for record in CreditRecord.objects.effective()
        .filter(employer=employer, pk__in=public)
        .order_by("-date", "-id")
    ]
    return {
        "employer": {"uscc": employer.uscc, "name": employer.name},
        "basic": basic,
        "grade": grade,
        "history": history,
        "records": records,
        "records_note": RECORDS_NOTE,
        "measures": measures,
    }


# ------------------------------------------------------------------ verification


@dataclass(frozen=True)
class Verification:
    """The answer to one verification code: authentic or not and, if so, what the report said
    and whether its grade is still the employer's grade in force."""

    authentic: bool
    message: str
    code: str = ""
    issued_at: datetime.datetime | None = None
    employer_name: str = ""
    employer_uscc: str = ""
    grade: str = ""
    grade_as_of: datetime.date | None = None
    current_grade: str = ""
    current_as_of: datetime.date | None = None
    still_current: bool = False
    pdf_sha256: str = ""
    report: IssuedReport | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields, for the API."""
        data: dict[str, Any] = {}
        for item in fields(self):
            if item.name == "report":
                continue
            value = getattr(self, item.name)
            data[item.name] = value.isoformat() if hasattr(value, "isoformat") else value
        return data


def report_verify(code: str) -> Verification:
    """Whether `code` is the verification code of a report this system issued (a read; the
    audited call is `reports.services.report_verify_audited`)."""
    serial = serial_of(code)
    report = (
        IssuedReport.objects.filter(serial=serial).select_related("employer").first()
        if serial
        else None
    )
    if report is None:
        return Verification(authentic=False, message=INVALID_CODE)
    current = EmployerGrade.objects.filter(employer=report.employer).select_related("decision")
    row = current.first()
    current_grade = row.official_grade if row is not None else ""
    still = bool(report.grade) and current_grade == report.grade
    if not report.grade:
        message = "验证通过：本报告由本系统出具；出具时该单位尚未评价信用等级"
    elif still:
        message = f"验证通过：本报告由本系统出具，所载 {report.grade}级 仍为该单位现行信用等级"
    else:
        now = f"{current_grade}级" if current_grade else "尚无等级"
        message = (
            f"验证通过：本报告由本系统出具，但所载 {report.grade}级 已不是该单位现行信用等级"
            f"（现行：{now}）"
        )
    return Verification(
        authentic=True,
        message=message,
        code=code_for(report.serial),
        issued_at=report.issued_at,
        employer_name=report.employer_name,
        employer_uscc=report.employer_uscc,
        grade=report.grade,
        grade_as_of=report.grade_as_of,
        current_grade=current_grade,
        current_as_of=row.as_of if row is not None else None,
        still_current=still,
        pdf_sha256=report.pdf_sha256,
        report=report,
    )


# ------------------------------------------------------------------ reports to superior departments

PERIOD_LABELS = {"month": "月度", "quarter": "季度", "year": "年度"}
PERIOD_COUNTS = {"month": 12, "quarter": 4, "year": 1}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int
    start: datetime.date
    end: datetime.date

    @property
    def title(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.number - 1]}季度"
        return f"{self.year}年"

    @property
    def slug(self) -> str:
        suffix = {"month": f"-{self.number:02d}", "quarter": f"-Q{self.number}", "year": ""}
        return f"{self.year}{suffix[self.kind]}"

    def months(self) -> list[tuple[int, int]]:
        first = self.start.month
        return [(self.year, m) for m in range(first, self.end.month + 1)]


def period_of(*, period: str, year: Any, number: Any = 1) -> Period:
    """The dates of a month, quarter or year; Refused with a Chinese reason for bad input."""
    if period not in PERIOD_COUNTS:
        raise Refused.one("period", "报表期间应为 月度、季度 或 年度", "period-invalid")
    try:
        year = int(str(year).strip())
        number = 1 if number is None or str(number).strip() == "" else int(str(number).strip())
    except ValueError:
        raise Refused.one("year", "年份和期数应为整数", "period-invalid") from None
    if not 2022 <= year <= 2100:
        raise Refused.one(
            "year", "年份应在 2022 至 2100 之间（《办法》自2022年12月15日起施行）", "year-invalid"
        )
    if period == "year":
        number = 1  # a year has one period, whatever number came with it
    if not 1 <= number <= PERIOD_COUNTS[period]:
        raise Refused.one(
            "number",
            f"{PERIOD_LABELS[period]}的期数应为 1 至 {PERIOD_COUNTS[period]}",
            "number-invalid",
        )
    if period == "month":
        first_month, last_month = number, number
    elif period == "quarter":
        first_month, last_month = 3 * number - 2, 3 * number
    else:
        first_month, last_month = 1, 12
    start = datetime.date(year, first_month, 1)
    end = datetime.date(year, last_month, month_calendar.monthrange(year, last_month)[1])
    return Period(period, year, number, start, end)


DETAIL_SHOWN = 500
"""A detail table (a row per employer) shows this many rows on the page and in the PDF; the
xlsx holds them all. A province's year holds hundreds of thousands of grade changes: all of
them made a 29 MB page and a PDF of 9,000 pages that took five minutes (docs/performance.md,
第十三轮)."""


@dataclass
class Table:
    """One table of the report: one sheet of the xlsx, one table of the PDF."""

    key: str  # the sheet's name
    title: str
    headers: list[str]
    rows: list[list[Any]]
    note: str = ""
    chart: str = ""  # "grades": stacked bars of the grade columns; "bars": bars of column 1
    detail: bool = False  # a row per employer: the page and the PDF show the first DETAIL_SHOWN

    @property
    def shown(self) -> list[list[Any]]:
        """The rows the page and the PDF show."""
        return self.rows[:DETAIL_SHOWN] if self.detail else self.rows

    @property
    def not_shown(self) -> int:
        return len(self.rows) - len(self.shown)

    @property
    def not_shown_note(self) -> str:
        if not self.not_shown:
            return ""
        return (
            f"本期共 {len(self.rows)} 条，此处列出前 {len(self.shown)} 条；"
            "完整明细见 Excel（.xlsx）文件。"
        )


@dataclass
class SuperiorReport:
    period: Period
    generated_at: datetime.datetime
    tables: list[Table] = field(default_factory=list)
    pushes_available: bool = False

    @property
    def title(self) -> str:
        return f"舞钢市用人单位劳动保障信用{PERIOD_LABELS[self.period.kind]}报表（{self.period.title}）"

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _grades_at(end: datetime.date) -> dict[int, str]:
    """Each employer's grade at the end of `end` (第十三条 动态调整): its latest change on or
    before that day, an officer's decision included."""
    grades: dict[int, str] = {}
    for employer_id, to_grade in (
        GradeChange.objects.filter(as_of__lte=end)
        .order_by("employer_id", "as_of", "created_at", "id")
        .values_list("employer_id", "to_grade")
    ):
        grades[employer_id] = to_grade
    return grades


def _grade_table(
    key: str, title: str, label: str, groups: dict[str, Counter[str]], order: list[str]
) -> Table:
    rows = []
    total: Counter[str] = Counter()
    for name in order:
        counts = groups.get(name, Counter())
        if not counts and name not in TOWNSHIPS:
            continue
        total.update(counts)
        rows.append([name, *(counts[g] for g in [*GRADES, UNGRADED]), sum(counts.values())])
    rows.append(["合计", *(total[g] for g in [*GRADES, UNGRADED]), sum(total.values())])
    headers = [label, *(f"{g}级" for g in GRADES), UNGRADED, "合计"]
    return Table(key, title, headers, rows, chart="grades")


def _objection_table(period: Period, today: datetime.date | None) -> Table:
    from laborcredit.objections.selectors import MonthReport, objection_month_report

    total = MonthReport(period.year, period.start.month)
    numbers = [f.name for f in fields(MonthReport) if f.type in ("int", int)]
    for year, month in period.months():
        one = objection_month_report(year=year, month=month, today=today)
        for name in numbers:
            setattr(total, name, getattr(total, name) + getattr(one, name))
    rows = [[label.strip().replace("本月", "本期"), count] for label, count in total.lines()]
    note = (
        "第二十条：自收到之日起 3 个工作日内处理并告知（需向有关部门核实的 10 个工作日），"
        "处理完毕后 5 个工作日内推送至市信用信息共享平台；是否按期按工作日计算，截至出表之日。"
    )
    return Table(
        "异议处理", "异议处理及期限执行情况（第十九条、第二十条）", ["项目", "件数"], rows, note
    )


def _repair_table(period: Period) -> tuple[Table, Table]:
    from laborcredit.repair.models import RepairAdjustment

    adjustments = list(
        RepairAdjustment.objects.filter(adjusted_on__gte=period.start, adjusted_on__lte=period.end)
        .select_related("employer")
        .order_by("adjusted_on", "id")
    )
    on_time = sum(a.on_time for a in adjustments)
    after = Counter(a.grade_after for a in adjustments)
    rows = [
        ["本期完成信用修复调整", len(adjustments)],
        ["　其中在评价周期期满后 5 个工作日内调整", on_time],
        ["　其中逾期调整", len(adjustments) - on_time],
        *([f"　调整后为 {g}级", after[g]] for g in GRADES if after[g]),
    ]
    summary = Table("信用修复", "信用修复（第二十一条）", ["项目", "家数"], rows)
    detail = Table(
        "信用修复明细",
        "信用修复调整明细（第二十一条）",
        [
            "统一社会信用代码",
            "单位名称",
            "评价周期期满日",
            "调整期限",
            "调整生效日期",
            "调整前",
            "调整后",
            "是否按期",
        ],
        [
            [
                a.employer.uscc,
                a.employer.name,
                a.cycle_end.isoformat(),
                a.deadline.isoformat() + ("（暂定）" if a.deadline_provisional else ""),
                a.adjusted_on.isoformat(),
                a.grade_before,
                a.grade_after,
                "按期" if a.on_time else "逾期",
            ]
            for a in adjustments
        ],
        detail=True,
    )
    return summary, detail


PUSHES_UNAVAILABLE = "推送统计暂不可用"


def _push_tables(period: Period) -> tuple[list[Table], bool]:
    """第六条、第二十条: what was pushed to the city credit information sharing platform, from
    the exchange app's outbox summary."""
    try:
        from laborcredit.exchange.selectors import push_summary
    except ImportError:
        push_summary = None
    title = "向市信用信息共享平台推送情况（第六条、第二十条）"
    if push_summary is None:
        return [Table("数据推送", title, ["项目", "数量"], [[PUSHES_UNAVAILABLE, "—"]])], False
    summary = push_summary(start=period.start, end=period.end)
    rows: list[list[Any]] = [
        [label, summary.get(key, 0)]
        for key, label in (
            ("created", "本期生成的推送项"),
            ("sent", "已推送"),
            ("queued", "待推送"),
            ("failed", "推送失败（待处理）"),
            ("sent_on_time", "有期限的推送项：按期推送"),
            ("sent_late", "有期限的推送项：逾期推送"),
            ("overdue_unsent", "有期限的推送项：逾期尚未推送"),
        )
    ]
    kinds = [
        [
            k.get("label", key),
            k.get("created", 0),
            k.get("sent", 0),
            k.get("queued", 0),
            k.get("failed", 0),
        ]
        for key, k in (summary.get("by_kind") or {}).items()
    ]
    note = "有期限的推送项指异议处理结果，须在处理完毕后 5 个工作日内推送（第二十条）。"
    return [
        Table("数据推送", title, ["项目", "数量"], rows, note),
        Table("推送分类", "推送项按类型统计", ["类型", "生成", "已推送", "待推送", "失败"], kinds),
    ], True


def _before_the_system(span: Period) -> str:
    """A period that ended before the system held any employer has no data: say so, not 0."""
    first = Employer.objects.aggregate(first=Min("created_at"))["first"]
    if first is not None and timezone.localtime(first).date() <= span.end:
        return ""
    since = f"自 {timezone.localtime(first):%Y-%m-%d} 起" if first is not None else "尚未"
    return (
        f"本系统{since}登记用人单位和信用等级，本报告期没有系统中的数据"
        "（此前的信用记录可以补录，但此前各期的等级不作追溯）。"
    )


def superior_report(
    *, period: str, year: Any, number: Any = 1, today: datetime.date | None = None
) -> SuperiorReport:
    """第六条: the periodic report to superior departments — employers and grades by township
    and industry at the period's end, grade movements, objections and their deadlines, credit
    repairs and pushes in the period."""
    span = period_of(period=period, year=year, number=number)
    if span.start > (today or timezone.localdate()):
        raise Refused.one(
            "number", f"{span.start} 开始的报告期尚未开始，不能出具报表", "period-in-future"
        )
    report = SuperiorReport(span, timezone.now())
    # A period not yet over is counted as it stands today, and says so: not 期末.
    today = today or timezone.localdate()
    cut = min(span.end, today)
    at = "期末" if cut == span.end else f"截至{cut:%Y-%m-%d}（报告期尚未结束）"
    end_moment = timezone.make_aware(
        datetime.datetime.combine(cut + datetime.timedelta(days=1), datetime.time.min)
    )
    employers = list(
        Employer.objects.filter(created_at__lt=end_moment).values_list(
            "id", "township", "industry_code"
        )
    )
    grades = _grades_at(cut)
    by_township: dict[str, Counter[str]] = defaultdict(Counter)
    by_industry: dict[str, Counter[str]] = defaultdict(Counter)
    overall: Counter[str] = Counter()
    for pk, township, industry in employers:
        grade = grades.get(pk, UNGRADED)
        overall[grade] += 1
        by_township[township or "未填写"][grade] += 1
        section = (industry or "")[:1].upper()
        name = (
            f"{section} {INDUSTRY_SECTIONS[section]}" if section in INDUSTRY_SECTIONS else "未填写"
        )
        by_industry[name][grade] += 1

    # Only the columns the report shows: a province's year holds hundreds of thousands.
    moves = list(
        GradeChange.objects.filter(as_of__gte=span.start, as_of__lte=span.end)
        .exclude(from_grade="")
        .exclude(from_grade=F("to_grade"))
        .order_by("as_of", "created_at", "id")
        .values_list("employer__uscc", "employer__name", "as_of", "from_grade", "to_grade", "cause")
    )
    rank = {g: i for i, g in enumerate(reversed(GRADES))}  # C=0 … A+=3
    up = sum(rank[to_grade] > rank[from_grade] for _, _, _, from_grade, to_grade, _ in moves)

    objections = _objection_table(span, today)
    repair_summary, repair_detail = _repair_table(span)
    pushes, report.pushes_available = _push_tables(span)

    by_objection = dict((label, count) for label, count in objections.rows)
    overview_rows: list[list[Any]] = [
        [f"{at}登记的用人单位", len(employers)],
        *([f"　{g}级（{Grade(g).label}）", overall[g]] for g in GRADES),
        [f"　{UNGRADED}", overall[UNGRADED]],
        ["本期信用等级变动", len(moves)],
        ["　其中等级上升", up],
        ["　其中等级下降", len(moves) - up],
        ["本期收到异议申请", by_objection.get("本期收到异议申请", 0)],
        ["　按期告知申请人", by_objection.get("按期告知申请人", 0)],
        ["　逾期告知申请人", by_objection.get("逾期告知申请人", 0)],
        ["本期完成信用修复调整", repair_summary.rows[0][1]],
    ]
    if report.pushes_available:
        overview_rows += [[f"推送：{label}", value] for label, value in pushes[0].rows[:4]]
    else:
        overview_rows.append(["向市信用信息共享平台推送", PUSHES_UNAVAILABLE])
    report.tables.append(
        Table(
            "总体情况",
            "总体情况",
            ["项目", "数量"],
            overview_rows,
            note=_before_the_system(span)
            + f"等级为{at if cut != span.end else f'期末（{cut:%Y-%m-%d}）'}的信用等级"
            "（第八条至第十三条），含人工认定结果。",
        )
    )
    report.tables.append(
        Table(
            "等级分布",
            f"{at}信用等级分布",
            ["信用等级", "单位数"],
            [[f"{g}级（{Grade(g).label}）", overall[g]] for g in GRADES]
            + [[UNGRADED, overall[UNGRADED]]],
            chart="bars",
        )
    )
    report.tables.append(
        _grade_table(
            "按乡镇",
            "按乡镇（街道）统计的信用等级",
            "乡镇（街道）",
            by_township,
            [*TOWNSHIPS, "未填写"],
        )
    )
    industry_order = [f"{k} {v}" for k, v in INDUSTRY_SECTIONS.items()] + ["未填写"]
    report.tables.append(
        _grade_table(
            "按行业",
            "按行业门类统计的信用等级（GB/T 4754-2017）",
            "行业门类",
            by_industry,
            industry_order,
        )
    )
    causes = dict(Cause.choices)
    matrix = Counter((from_grade, to_grade) for _, _, _, from_grade, to_grade, _ in moves)
    report.tables.append(
        Table(
            "等级变动",
            "本期信用等级变动（第十三条 动态调整）",
            ["原等级＼新等级", *(f"{g}级" for g in GRADES), "合计"],
            [
                [f"{a}级", *(matrix[(a, b)] for b in GRADES), sum(matrix[(a, b)] for b in GRADES)]
                for a in GRADES
            ],
            note="只计等级改变的变动；首次评价不计入。",
        )
    )
    report.tables.append(
        Table(
            "等级变动明细",
            "本期信用等级变动明细",
            ["统一社会信用代码", "单位名称", "评价日期", "原等级", "新等级", "原因"],
            [
                [uscc, name, day.isoformat(), from_grade, to_grade, causes.get(cause, cause)]
                for uscc, name, day, from_grade, to_grade, cause in moves
            ],
            detail=True,
        )
    )
    report.tables += [objections, repair_summary, repair_detail, *pushes]
    return report
