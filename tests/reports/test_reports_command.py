"""`laborcredit reports superior …` and `laborcredit reports credit USCC -o FILE.pdf`."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from laborcredit.reports.models import IssuedReport
from laborcredit.reports.selectors import report_verify
from tests.factories import EmployerFactory
from tests.reports.helpers import pdf_text

pytestmark = pytest.mark.django_db


def test_the_quarterly_report_is_written_as_xlsx_and_as_pdf(command_line, tmp_path):
    EmployerFactory(township="八台镇")
    status, out, _ = command_line(
        "reports", "superior", "--period", "quarter", "--year", "2026", "--number", "3",
        "-o", str(tmp_path / "q3.xlsx"),
    )  # fmt: skip
    assert status == 0 and "2026年第三季度" in out
    assert "按乡镇" in load_workbook(tmp_path / "q3.xlsx").sheetnames
    status, _, _ = command_line(
        "reports", "superior", "--period", "year", "--year", "2026", "-o", str(tmp_path / "y.pdf")
    )
    assert status == 0 and "2026年" in pdf_text((tmp_path / "y.pdf").read_bytes())


def test_the_credit_report_is_written_with_its_code(command_line, tmp_path):
    employer = EmployerFactory(name="舞钢市命令行测试有限公司")
    status, out, _ = command_line("reports", "credit", employer.uscc, "-o", str(tmp_path / "r.pdf"))
    assert status == 0
    code = out.strip().splitlines()[-1].split("：")[1]
    assert report_verify(code).authentic
    assert "舞钢市命令行测试有限公司" in pdf_text((tmp_path / "r.pdf").read_bytes())
    assert IssuedReport.objects.get().channel == "command"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["superior", "--period", "quarter", "--year", "2026", "--number", "5", "-o", "x.xlsx"],
         "季度的期数应为 1 至 4"),
        (["superior", "--period", "month", "--year", "2026", "--number", "1", "-o", "x.csv"],
         "应以 .xlsx 或 .pdf 结尾"),
        (["credit", "91410481MA0000000X", "-o", "x.pdf"], "统一社会信用代码"),
        (["credit", "91410481MA00000010", "-o", "x.docx"], "应以 .pdf 结尾"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_a_chinese_message_and_writes_nothing(
    command_line, tmp_path, monkeypatch, argv, message
):
    monkeypatch.chdir(tmp_path)
    status, out, err = command_line("reports", *argv)
    assert status == 2 and message in err and out == ""
    assert list(tmp_path.iterdir()) == []
    assert not IssuedReport.objects.exists()


def test_an_unknown_employer_is_named(command_line, tmp_path):
    from tests.factories import make_uscc

    code = make_uscc(999)
    status, _, err = command_line("reports", "credit", code, "-o", str(tmp_path / "r.pdf"))
    assert status == 2 and f"未找到统一社会信用代码为 {code} 的用人单位" in err
