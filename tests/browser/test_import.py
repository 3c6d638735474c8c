"""批量导入 in a browser: the template, a refused file with its problems and report, then a good file."""

from __future__ import annotations

import datetime

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from laborcredit.credit.importing import ERROR_HEADER, RECORD_COLUMNS
from laborcredit.credit.models import CreditRecord
from tests.browser.helpers import shoot
from tests.factories import EmployerFactory, make_uscc

pytestmark = pytest.mark.browser

RECORD_HEADER = [c.header for c in RECORD_COLUMNS]
UNKNOWN = make_uscc(7_654_321)  # a valid code that no employer holds
UNKNOWN_SAID = f"单位 {UNKNOWN} 未登记，也不在本文件的单位中"


@pytest.fixture(autouse=True)
def inline_jobs(settings, tmp_path):
    """The import runs inside the request, so the result page is there at once."""
    settings.LABORCREDIT_JOBS_INLINE = True
    settings.DATA_DIR = tmp_path / "data"


def _days_ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def record_row(uscc: str, type_label: str, date: str, case: str = "") -> list[str]:
    row = dict.fromkeys(RECORD_HEADER, "")
    row.update({"统一社会信用代码": uscc, "记录类型": type_label, "日期": date, "案件编号": case})
    return list(row.values())


def write_xlsx(path, rows) -> str:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "信用记录"
    sheet.append(RECORD_HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return str(path)


def upload_records(page, path: str) -> None:
    page.get_by_role("radio", name="信用记录").check()
    page.get_by_label("文件").set_input_files(path)
    page.get_by_role("button", name="上传并导入").press("Enter")


def test_an_officer_downloads_the_template_is_refused_a_bad_file_then_imports_a_good_one(
    page, sign_in, officer, tmp_path
):
    employer = EmployerFactory(name="舞钢市钢城机械制造有限公司")
    records_before = CreditRecord.objects.count()
    sign_in(officer)
    page.goto("/employers/")
    menu = page.get_by_role("navigation", name="主菜单")
    menu.get_by_role("link", name="批量导入").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="批量导入", level=1)).to_be_visible()

    # The records template arrives and is a workbook with the import's columns.
    templates = page.get_by_role("listitem").filter(has_text="信用记录：")
    with page.expect_download() as info:
        templates.get_by_role("link", name="Excel 模板（.xlsx）").click()
    download = info.value
    assert download.suggested_filename == "信用记录导入模板.xlsx"
    template_path = tmp_path / download.suggested_filename
    download.save_as(template_path)
    template = openpyxl.load_workbook(template_path, read_only=True)
    assert template.sheetnames[:2] == ["信用记录", "说明"]
    header = next(template["信用记录"].iter_rows(max_row=1, values_only=True))
    assert list(header) == RECORD_HEADER

    # A file with an unknown credit code and an impossible date: refused whole.
    bad = write_xlsx(
        tmp_path / "有错误的记录.xlsx",
        [
            record_row(employer.uscc, "认定为市级劳动关系和谐企业", _days_ago(20)),
            record_row(UNKNOWN, "认定为市级劳动关系和谐企业", _days_ago(20)),
            record_row(
                employer.uscc, "违反人社法律法规行为被查处", "2026-13-45", "舞人社监〔2026〕9号"
            ),
        ],
    )
    upload_records(page, bad)
    expect(page.get_by_role("heading", name="导入信用记录", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("未导入任何数据")
    problems = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="问题"))
    expect(problems.get_by_role("columnheader")).to_have_text(["行号", "列", "问题"])
    unknown_row = problems.get_by_role("row").filter(has_text="第 3 行")
    expect(unknown_row.get_by_role("cell")).to_have_text(
        ["第 3 行", "统一社会信用代码", UNKNOWN_SAID]
    )
    expect(unknown_row).to_have_attribute("data-code", "employer-unknown")
    date_row = problems.get_by_role("row").filter(has_text="第 4 行")
    expect(date_row.get_by_role("cell").nth(1)).to_have_text("日期")
    expect(date_row.get_by_role("cell").nth(2)).to_contain_text("2026-13-45")
    expect(problems.get_by_role("row")).to_have_count(3)  # the header and the two problems
    shoot(page, "import-refused")
    assert CreditRecord.objects.count() == records_before  # not even the good first row

    with page.expect_download() as info:
        page.get_by_role("link", name="下载错误报告").click()
    report_path = tmp_path / "report.xlsx"
    info.value.save_as(report_path)
    assert info.value.suggested_filename == "有错误的记录-错误报告.xlsx"
    rows = list(openpyxl.load_workbook(report_path, read_only=True).active.values)
    errors = [row[rows[0].index(ERROR_HEADER)] for row in rows[1:]]  # file rows 2, 3, 4
    assert errors[0] is None
    assert errors[1].startswith("统一社会信用代码：") and UNKNOWN in errors[1]
    assert errors[2].startswith("日期：") and "2026-13-45" in errors[2]

    # The corrected file imports: two records, and the page says so.
    page.get_by_role("link", name="重新上传").click()
    good = write_xlsx(
        tmp_path / "改正后的记录.xlsx",
        [
            record_row(employer.uscc, "认定为市级劳动关系和谐企业", _days_ago(20)),
            record_row(
                employer.uscc, "违反人社法律法规行为被查处", _days_ago(10), "舞人社监〔2026〕9号"
            ),
        ],
    )
    upload_records(page, good)
    expect(page.get_by_text("已完成")).to_be_visible()
    result = page.get_by_role("table").filter(has_text="新增信用记录")
    expect(result.get_by_role("row", name="数据行数")).to_contain_text("2 行")
    expect(result.get_by_role("row", name="新增信用记录")).to_contain_text("2 条")
    expect(result.get_by_role("row", name="已存在而跳过的记录")).to_contain_text("0 条")
    shoot(page, "import-done")
    assert CreditRecord.objects.count() == records_before + 2
