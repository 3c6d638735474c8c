"""superior_report (第六条): the figures of a small constructed dataset, the xlsx's sheets, the PDF
with its charts, and bad periods refused."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.services import record_create
from laborcredit.lib.errors import Refused
from laborcredit.reports.selectors import period_of, superior_report
from laborcredit.reports.services import superior_report_export
from tests.accounts.helpers import make_user
from tests.factories import EmployerFactory
from tests.reports.helpers import pdf_text
from tests.web.helpers import penalise

pytestmark = pytest.mark.django_db


@pytest.fixture
def wugang():
    """C in 垭口街道 (manufacturing, penalised), A in 尚店镇 (construction), B in 尚店镇
    (manufacturing, a violation found): three movements this month, all downwards."""
    c = EmployerFactory(name="舞钢市甲钢铁有限公司", township="垭口街道", industry_code="C31")
    a = EmployerFactory(name="舞钢市乙建筑有限公司", township="尚店镇", industry_code="E47")
    b = EmployerFactory(name="舞钢市丙机械有限公司", township="尚店镇", industry_code="C34")
    penalise(c, case="舞人社监〔2026〕1号")
    record_create(
        employer=b,
        type="violation_found",
        date=timezone.localdate().replace(day=1),
        case="舞人社监〔2026〕2号",
        actor="officer",
    )
    return {"A": a, "B": b, "C": c}


def this_month() -> dict:
    today = timezone.localdate()
    return {"period": "month", "year": today.year, "number": today.month}


def rows_of(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


def test_the_grades_by_township_and_industry_are_counted_at_the_end_of_the_period(wugang):
    report = superior_report(**this_month())
    township = rows_of(report.table("按乡镇"))
    #                      A+ A  B  C  未评价 合计
    assert township["垭口街道"] == [0, 0, 0, 1, 0, 1]
    assert township["尚店镇"] == [0, 1, 1, 0, 0, 2]
    assert township["铁山乡"] == [0, 0, 0, 0, 0, 0]
    assert township["合计"] == [0, 1, 1, 1, 0, 3]
    industry = rows_of(report.table("按行业"))
    assert industry["C 制造业"] == [0, 0, 1, 1, 0, 2]
    assert industry["E 建筑业"] == [0, 1, 0, 0, 0, 1]
    assert "A 农、林、牧、渔业" not in industry  # an industry with no employer is left out


def test_movements_count_changes_of_grade_but_not_first_gradings(wugang):
    report = superior_report(**this_month())
    matrix = rows_of(report.table("等级变动"))
    assert matrix["A级"] == [0, 0, 2, 0, 2]  # two A → B
    assert matrix["B级"] == [0, 0, 0, 1, 1]  # one B → C
    assert len(report.table("等级变动明细").rows) == 3
    overview = rows_of(report.table("总体情况"))
    assert [v for k, v in overview.items() if k.endswith("登记的用人单位")] == [[3]]
    assert overview["本期信用等级变动"] == [3]
    assert overview["　其中等级下降"] == [3] and overview["　其中等级上升"] == [0]


def test_a_period_before_the_changes_shows_none_of_them(wugang):
    today = timezone.localdate()
    report = superior_report(period="year", year=today.year - 1, number=1)
    assert rows_of(report.table("总体情况"))["期末登记的用人单位"] == [0]
    assert "本报告期没有系统中的数据" in report.table("总体情况").note  # not a city of none
    assert "本报告期没有系统中的数据" not in superior_report(**this_month()).table("总体情况").note
    assert report.table("等级变动明细").rows == []


def test_a_period_not_yet_over_is_counted_as_of_today_and_never_called_its_end(wugang):
    today = timezone.localdate()
    report = superior_report(period="year", year=today.year, number=1, today=today)
    overview = rows_of(report.table("总体情况"))
    if today.month == 12 and today.day == 31:
        pytest.skip("on the year's last day the period is over")
    label = f"截至{today:%Y-%m-%d}（报告期尚未结束）"
    assert overview[f"{label}登记的用人单位"] == [3]
    assert label in report.table("总体情况").note and "期末" not in report.table("总体情况").note
    assert report.table("等级分布").title == f"{label}信用等级分布"
    ended = superior_report(period="year", year=today.year - 1, number=1, today=today)
    assert "期末（" in ended.table("总体情况").note


def test_objections_are_summed_over_the_months_of_the_period(wugang, monkeypatch):
    from laborcredit.objections import selectors as objection_selectors

    months = []

    def month_report(*, year, month, today=None):
        months.append(month)
        report = objection_selectors.MonthReport(year, month)
        report.received, report.told_on_time, report.told_late = 2, 1, 1
        return report

    monkeypatch.setattr(objection_selectors, "objection_month_report", month_report)
    report = superior_report(period="quarter", year=2026, number=2)
    assert months == [4, 5, 6]
    lines = rows_of(report.table("异议处理"))
    assert lines["本期收到异议申请"] == [6]
    assert lines["按期告知申请人"] == [3] and lines["逾期告知申请人"] == [3]
    assert rows_of(report.table("总体情况"))["本期收到异议申请"] == [6]


def test_repairs_in_the_period_are_counted_with_their_timeliness():
    from laborcredit.repair.services import repair_adjust
    from tests.repair.helpers import DAY, graded_on, penalised

    employer = EmployerFactory()
    end = penalised(employer, days_ago=400, regrade=False)
    graded_on(employer, end - DAY)
    repair_adjust(employer=employer, actor="zhang", as_of=end + DAY)
    day = end + DAY
    report = superior_report(period="month", year=day.year, number=day.month)
    lines = rows_of(report.table("信用修复"))
    assert lines["本期完成信用修复调整"] == [1]
    assert lines["　其中在评价周期期满后 5 个工作日内调整"] == [1]
    (row,) = report.table("信用修复明细").rows
    assert row[0] == employer.uscc and row[5:] == ["C", "A", "按期"]


def test_the_pushes_section_reads_the_exchange_outbox(wugang):
    report = superior_report(**this_month())
    assert report.pushes_available
    pushes = rows_of(report.table("数据推送"))
    assert (
        pushes["本期生成的推送项"][0] >= 1
    )  # the grade changes above were queued for the platform


def test_the_xlsx_has_one_sheet_per_table_with_the_figures(wugang):
    report, data = superior_report_export(**this_month(), format="xlsx")
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames[:6] == [
        "总体情况",
        "等级分布",
        "按乡镇",
        "按行业",
        "等级变动",
        "等级变动明细",
    ]
    assert {"异议处理", "信用修复", "信用修复明细", "数据推送"} <= set(book.sheetnames)
    rows = list(book["按乡镇"].iter_rows(values_only=True))
    assert rows[0][0] == report.title
    assert rows[3][:2] == ("乡镇（街道）", "A+级")
    assert ("尚店镇", 0, 1, 1, 0, 0, 2) in rows
    (entry,) = AuditEntry.objects.filter(event="superior_report_export")
    assert entry.data["format"] == "xlsx"


def test_the_pdf_has_the_tables_and_the_charts_in_chinese(wugang):
    report, data = superior_report_export(**this_month(), format="pdf")
    text = pdf_text(data)
    assert report.title in text
    for words in (
        "按乡镇（街道）统计的信用等级",
        "图：各信用等级单位数",
        "尚店镇",
        "舞钢市甲钢铁有限公司",
    ):
        assert words in text
    assert data.count(b"re") > 20  # the bars are drawn rectangles


@pytest.mark.parametrize(
    "arguments, code",
    [
        ({"period": "week", "year": 2026, "number": 1}, "period-invalid"),
        ({"period": "quarter", "year": 2026, "number": 5}, "number-invalid"),
        ({"period": "month", "year": 2026, "number": 0}, "number-invalid"),
        ({"period": "year", "year": 2021, "number": 1}, "year-invalid"),
        ({"period": "month", "year": "二〇二六", "number": 1}, "period-invalid"),
    ],
)
def test_a_bad_period_is_refused_with_a_stable_code(arguments, code):
    with pytest.raises(Refused) as caught:
        period_of(**arguments)
    assert caught.value.codes == [code]


def test_a_year_has_one_period_whatever_number_comes_with_it():
    assert period_of(period="year", year=2026, number=3) == period_of(period="year", year=2026)


def test_a_quarter_runs_from_its_first_to_its_last_day():
    span = period_of(period="quarter", year=2026, number=3)
    assert (str(span.start), str(span.end), span.title) == (
        "2026-07-01",
        "2026-09-30",
        "2026年第三季度",
    )


def test_a_long_detail_table_is_cut_on_the_page_and_in_the_pdf_but_whole_in_the_xlsx(
    wugang, client, monkeypatch
):
    """A province's year holds hundreds of thousands of grade changes: the page and the PDF
    show the first DETAIL_SHOWN and say where the rest are."""
    monkeypatch.setattr("laborcredit.reports.selectors.DETAIL_SHOWN", 2)
    report = superior_report(**this_month())
    detail = report.table("等级变动明细")
    assert len(detail.rows) == 3 and len(detail.shown) == 2 and detail.not_shown == 1
    assert report.table("等级变动").shown == report.table("等级变动").rows  # not a detail table
    note = "本期共 3 条，此处列出前 2 条；完整明细见 Excel（.xlsx）文件。"
    assert detail.not_shown_note == note
    client.force_login(make_user("lingdao", "leadership"))
    page = client.get("/reports/", this_month()).content.decode()
    assert note in page and page.count("<td>信用记录变化</td>") == 2  # the detail's cause column
    _, pdf = superior_report_export(**this_month(), format="pdf")
    assert note.replace(" ", "") in pdf_text(pdf).replace("\n", "").replace(" ", "")
    _, xlsx = superior_report_export(**this_month(), format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True)["等级变动明细"]
    assert len([r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]) == 3
