"""`laborcredit import`: good files import in one go, bad files import nothing and say why (IN2)."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from laborcredit.audit.chain import verify
from laborcredit.credit.importing import (
    EMPLOYER_COLUMNS,
    RECORD_COLUMNS,
    ImportRefused,
    import_file,
    write_template,
)
from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.rating.models import EmployerGrade
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db

EMPLOYER_HEADER = [c.header for c in EMPLOYER_COLUMNS]
RECORD_HEADER = [c.header for c in RECORD_COLUMNS]
DAY = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()


def employer_row(n: int, **changes: object) -> list[object]:
    row = dict(zip(EMPLOYER_HEADER, [make_uscc(n), f"舞钢市导入{n}号有限公司", "张三明",
               "11010519491231002X", "舞钢市", "八台镇", "C31", "有限责任公司", 30, "李四",
               "13812345678"], strict=True))  # fmt: skip
    row.update(changes)
    return list(row.values())


def record_row(n: int, type_: str, **changes: object) -> list[object]:
    row = dict.fromkeys(RECORD_HEADER, "")
    row.update({"统一社会信用代码": make_uscc(n), "记录类型": type_, "日期": DAY})
    row.update(changes)
    return list(row.values())


def xlsx_file(path, header, rows, title="Sheet1"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def csv_file(path, header, rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run_import(kind, path, **kwargs):
    return import_file(path, kind, actor="officer", **kwargs)


def refusal(kind, path, **kwargs) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        run_import(kind, path, **kwargs)
    return caught.value


# ---------------------------------------------------------------- good files


def test_a_good_xlsx_imports_employers_and_records_and_grades_them(tmp_path):
    employers = xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(1), employer_row(2)])
    result = run_import("employers", employers)
    assert result.summary.employers_created == 2
    records = xlsx_file(
        tmp_path / "r.xlsx",
        RECORD_HEADER,
        [
            record_row(1, "违反人社法律法规行为被查处", 案件编号="K1"),
            record_row(1, "行政处罚", 案件编号="K1", 文书号="舞人社罚〔2026〕1号"),
            record_row(2, "劳动用工情况评估", 评估是否通过="是", 日期=datetime.date(2025, 6, 1)),
        ],
    )
    result = run_import("records", records)
    assert result.summary.records_created == 3
    assert EmployerGrade.objects.get(employer__uscc=make_uscc(1)).grade == "C"
    penalty = CreditRecord.objects.get(type="penalty_imposed")
    assert penalty.document_number == "舞人社罚〔2026〕1号" and penalty.source == "import"
    assert CreditRecord.objects.get(type="labor_practice_assessed").passed is True
    assert verify().ok


def test_a_gbk_csv_from_chinese_excel_imports(tmp_path):
    path = csv_file(tmp_path / "e.csv", EMPLOYER_HEADER, [employer_row(3)], encoding="gbk")
    result = run_import("employers", path)
    assert result.summary.employers_created == 1
    assert result.sheet.encoding == "gb18030"
    assert Employer.objects.get(uscc=make_uscc(3)).name == "舞钢市导入3号有限公司"


def test_a_utf8_csv_without_bom_imports(tmp_path):
    path = csv_file(tmp_path / "e.csv", EMPLOYER_HEADER, [employer_row(4)], encoding="utf-8")
    assert run_import("employers", path).summary.employers_created == 1


def test_the_same_file_imported_twice_adds_nothing_the_second_time(tmp_path):
    run_import("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(5)]))
    path = xlsx_file(
        tmp_path / "r.xlsx",
        RECORD_HEADER,
        [record_row(5, "违反人社法律法规行为被查处", 案件编号="K5"),
         record_row(5, "违法行为已纠正", 案件编号="K5")],
    )  # fmt: skip
    assert run_import("records", path).summary.records_created == 2
    second = run_import("records", path).summary
    assert (second.records_created, second.records_skipped) == (0, 2)
    assert CreditRecord.objects.count() == 2


def test_a_csv_file_named_xlsx_is_read_by_its_content(tmp_path):
    path = csv_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(6)])
    assert run_import("employers", path).summary.employers_created == 1


def test_the_command_prints_a_chinese_summary(tmp_path, capsys):
    path = xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(7)])
    call_command("import", "employers", str(path))
    assert "导入成功：新增单位 1 家，新增记录 0 条，跳过重复记录 0 条，等级变化 1 家" in (
        capsys.readouterr().out
    )


# ---------------------------------------------------------------- bad rows


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_problem(tmp_path):
    path = xlsx_file(
        tmp_path / "r.xlsx",
        EMPLOYER_HEADER,
        [
            employer_row(8),
            employer_row(9, 统一社会信用代码="91410481MA00000090"),
            employer_row(10, **{"乡镇（街道）": "北京市", "职工人数": "很多"}),
            employer_row(11, 法定代表人身份证号码="110105194912310021"),
        ],
    )
    refused = refusal("employers", path)
    assert Employer.objects.count() == 0
    found = {(p.row, p.column) for p in refused.problems}
    assert found == {
        (3, "统一社会信用代码"),
        (4, "乡镇（街道）"),
        (4, "职工人数"),
        (5, "法定代表人身份证号码"),
    }
    report = openpyxl.load_workbook(refused.report)
    sheet = report.active
    assert sheet.cell(1, len(EMPLOYER_HEADER) + 1).value == "错误"
    assert sheet.cell(2, len(EMPLOYER_HEADER) + 1).value is None
    assert "统一社会信用代码" in sheet.cell(3, len(EMPLOYER_HEADER) + 1).value
    assert "职工人数：" in sheet.cell(4, len(EMPLOYER_HEADER) + 1).value
    assert sheet.cell(4, 6).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(2, 2).value == "舞钢市导入8号有限公司"


def test_a_full_id_number_in_a_text_cell_is_refused_and_nothing_is_imported(tmp_path):
    """IN2, as the record form and the API refuse it; the ID number's own column is not text."""
    run_import("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(12)]))
    path = xlsx_file(
        tmp_path / "r.xlsx",
        RECORD_HEADER,
        [
            record_row(12, "harmonious_certified"),
            record_row(12, "harmonious_certified", 说明="法定代表人 11010519491231002X 到场"),
        ],
    )
    refused = refusal("records", path)
    assert [(p.row, p.column, p.code) for p in refused.problems] == [
        (3, "说明", "id-number-in-text")
    ]
    assert "身份证号码" in refused.problems[0].message
    assert not CreditRecord.objects.exists()


def test_record_problems_name_the_row_and_the_chinese_column_in_a_csv_report(tmp_path):
    employers = [employer_row(12), employer_row(21)]
    run_import("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, employers))
    future = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    path = csv_file(
        tmp_path / "r.csv",
        RECORD_HEADER,
        [
            record_row(12, "违反人社法律法规行为被查处", 案件编号="K12"),
            record_row(21, "行政处罚", 案件编号="K99"),
            record_row(12, "被表扬"),
            record_row(12, "劳动用工情况评估", 评估是否通过="也许"),
            record_row(12, "列入拖欠农民工工资黑名单", 日期="2024/02/30"),
            record_row(12, "列入拖欠农民工工资黑名单", 日期=future),
            record_row(13, "列入拖欠农民工工资黑名单"),
            record_row(12, "河南省公共信用综合评价结果", 省级评价等级="E"),
        ],
        encoding="gbk",
    )
    refused = refusal("records", path, report=tmp_path / "report.csv")
    assert CreditRecord.objects.count() == 0
    found = {(p.row, p.column) for p in refused.problems}
    assert found == {
        (3, "案件编号"),
        (4, "记录类型"),
        (5, "评估是否通过"),
        (6, "日期"),
        (7, "日期"),
        (8, "统一社会信用代码"),
        (9, "省级评价等级"),
    }
    lines = list(csv.reader(io.StringIO(refused.report.read_bytes().decode("utf-8-sig"))))
    assert lines[0] == ["行号", "列", "问题"]
    assert ["3", "案件编号"] == lines[1][:2] and "K99" in lines[1][2]
    assert len(lines) == 8


def test_the_command_exits_1_and_names_the_report(tmp_path):
    path = xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(14, 单位名称="")])
    with pytest.raises(CommandError) as caught:
        call_command("import", "employers", str(path))
    assert caught.value.returncode == 1
    assert "第2行“单位名称”列" in str(caught.value)
    assert "错误报告：" in str(caught.value) and (tmp_path / "e.错误报告.xlsx").exists()


# ---------------------------------------------------------------- bad files


def assert_refused(kind, path, code):
    refused = refusal(kind, path)
    assert refused.report is None
    assert code in [p.code for p in refused.problems], refused.problems
    assert Employer.objects.count() == 0
    return refused


def test_wrong_missing_and_duplicate_headers_are_refused_in_one_answer(tmp_path):
    header = ["统一社会信用代码", "单位名", "地址", "地址"]
    refused = assert_refused("employers", xlsx_file(tmp_path / "e.xlsx", header, [["x"] * 4]),
                             "header-unknown")  # fmt: skip
    assert {p.code for p in refused.problems} >= {"header-unknown", "header-missing",
                                                    "header-duplicate"}  # fmt: skip
    assert any("单位名称" in p.message for p in refused.problems)


def test_an_empty_file_is_refused(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    assert_refused("employers", tmp_path / "e.csv", "file-empty")
    xlsx_file(tmp_path / "e.xlsx", [], [])
    assert_refused("employers", tmp_path / "e.xlsx", "file-empty")
    xlsx_file(tmp_path / "h.xlsx", EMPLOYER_HEADER, [])
    assert_refused("employers", tmp_path / "h.xlsx", "file-empty")


def test_a_png_renamed_xlsx_is_refused_by_its_content(tmp_path):
    (tmp_path / "e.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    refused = assert_refused("employers", tmp_path / "e.xlsx", "not-a-spreadsheet")
    assert "PNG" in refused.problems[0].message


def test_random_bytes_are_refused(tmp_path):
    import random

    (tmp_path / "e.xlsx").write_bytes(random.Random(1).randbytes(4096))
    assert_refused("employers", tmp_path / "e.xlsx", "not-a-spreadsheet")


def test_a_damaged_xlsx_is_refused(tmp_path):
    good = xlsx_file(tmp_path / "good.xlsx", EMPLOYER_HEADER, [employer_row(15)]).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    assert_refused("employers", tmp_path / "cut.xlsx", "xlsx-damaged")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook>")
    (tmp_path / "broken.xlsx").write_bytes(buffer.getvalue())
    assert_refused("employers", tmp_path / "broken.xlsx", "xlsx-damaged")


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    (tmp_path / "e.xlsx").write_bytes(buffer.getvalue())
    assert_refused("employers", tmp_path / "e.xlsx", "not-a-spreadsheet")


def zip_bomb(path, good_xlsx: bytes) -> None:
    """A real workbook plus one member of 200 MB of zeros (about 200 KB compressed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        with zipfile.ZipFile(io.BytesIO(good_xlsx)) as src:
            for item in src.infolist():
                out.writestr(item, src.read(item))
        with out.open("xl/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(16 * 1024 * 1024)
            for _ in range(200 // 16 + 1):
                member.write(chunk)


def test_an_xlsx_zip_bomb_is_refused_without_being_expanded(tmp_path):
    good = xlsx_file(tmp_path / "good.xlsx", EMPLOYER_HEADER, [employer_row(16)]).read_bytes()
    zip_bomb(tmp_path / "bomb.xlsx", good)
    assert (tmp_path / "bomb.xlsx").stat().st_size < 1024 * 1024
    refused = assert_refused("employers", tmp_path / "bomb.xlsx", "xlsx-bomb")
    assert "压缩" in refused.problems[0].message


def test_an_xlsx_over_the_unzipped_size_cap_is_refused(tmp_path, settings):
    settings.LABORCREDIT_IMPORT_MAX_UNZIPPED_BYTES = 10_000
    rows = [employer_row(100 + n) for n in range(200)]
    assert_refused("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, rows), "xlsx-bomb")


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
)


def test_an_xml_entity_attack_inside_an_xlsx_is_refused(tmp_path):
    good = xlsx_file(tmp_path / "good.xlsx", EMPLOYER_HEADER, [employer_row(17)]).read_bytes()
    with zipfile.ZipFile(tmp_path / "lol.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        with zipfile.ZipFile(io.BytesIO(good)) as src:
            for item in src.infolist():
                data = (
                    BILLION_LAUGHS.encode()
                    if item.filename == "xl/worksheets/sheet1.xml"
                    else src.read(item)
                )
                out.writestr(item, data)
    refused = assert_refused("employers", tmp_path / "lol.xlsx", "xml-entity")
    assert "实体" in refused.problems[0].message


def test_openpyxl_itself_refuses_entities_even_past_the_prolog_check(tmp_path, monkeypatch):
    from laborcredit.lib import spreadsheets

    def no_fast_path(*args):
        raise ValueError

    monkeypatch.setattr(spreadsheets, "_check_xml_prolog", lambda archive, member: None)
    monkeypatch.setattr(spreadsheets, "_read_xlsx_fast", no_fast_path)
    good = xlsx_file(tmp_path / "good.xlsx", EMPLOYER_HEADER, [employer_row(18)]).read_bytes()
    with zipfile.ZipFile(tmp_path / "lol.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        with zipfile.ZipFile(io.BytesIO(good)) as src:
            for item in src.infolist():
                data = (
                    BILLION_LAUGHS.encode()
                    if item.filename == "xl/worksheets/sheet1.xml"
                    else src.read(item)
                )
                out.writestr(item, data)
    assert_refused("employers", tmp_path / "lol.xlsx", "xml-entity")


def test_a_file_over_the_size_cap_is_refused(tmp_path, settings):
    settings.LABORCREDIT_IMPORT_MAX_BYTES = 1000
    rows = [employer_row(200 + n) for n in range(30)]
    assert_refused(
        "employers", csv_file(tmp_path / "e.csv", EMPLOYER_HEADER, rows), "file-too-large"
    )


def test_a_file_over_the_row_cap_is_refused(tmp_path, settings):
    settings.LABORCREDIT_IMPORT_MAX_ROWS = 5
    rows = [employer_row(300 + n) for n in range(6)]
    refused = assert_refused("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, rows),
                             "too-many-rows")  # fmt: skip
    assert "5" in refused.problems[0].message
    assert_refused(
        "employers", csv_file(tmp_path / "e.csv", EMPLOYER_HEADER, rows), "too-many-rows"
    )


def test_a_csv_mixing_utf8_and_gbk_lines_is_refused_naming_the_line(tmp_path):
    text = [",".join(EMPLOYER_HEADER).encode("utf-8")]
    text.append(",".join(map(str, employer_row(19))).encode("utf-8"))
    text.append(",".join(map(str, employer_row(20))).encode("gbk"))
    (tmp_path / "e.csv").write_bytes(b"\r\n".join(text))
    refused = assert_refused("employers", tmp_path / "e.csv", "encoding-mixed")
    assert "第3行" in refused.problems[0].message


def test_undecodable_bytes_are_refused_naming_the_line(tmp_path):
    header = ",".join(EMPLOYER_HEADER).encode("gbk")
    (tmp_path / "e.csv").write_bytes(header + b"\r\n" + b"91,\x81\x20bad\r\n")
    refused = assert_refused("employers", tmp_path / "e.csv", "encoding-invalid")
    assert "第2行" in refused.problems[0].message


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_templates_parse_back_as_a_valid_import_of_their_example_row(tmp_path, fmt):
    employers = write_template("employers", tmp_path / f"e.{fmt}", fmt)
    records = write_template("records", tmp_path / f"r.{fmt}", fmt)
    assert run_import("employers", employers).summary.employers_created == 1
    assert run_import("records", records).summary.records_created == 1


def test_the_xlsx_templates_example_row_sits_right_under_the_header(tmp_path):
    for kind in ("employers", "records"):
        sheet = openpyxl.load_workbook(write_template(kind, tmp_path / f"{kind}.xlsx")).active
        assert sheet.cell(row=2, column=1).value  # not after the 1,000 rows formatted as text
        assert sheet.cell(row=3, column=1).value is None


def test_the_xlsx_template_explains_record_types_and_townships(tmp_path, capsys):
    call_command("import", "template", "records", "-o", str(tmp_path / "t.xlsx"))
    workbook = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert workbook.sheetnames == ["信用记录", "说明"]
    notes = [row[0] for row in workbook["说明"].iter_rows(values_only=True)]
    assert "列入拖欠农民工工资黑名单" in notes and "八台镇" in notes
    rows = {row[0]: row for row in workbook["说明"].iter_rows(values_only=True) if row[0]}
    assert rows["行政处罚"][1] == "第十二条(一)"
    assert workbook["信用记录"].data_validations.dataValidation


def test_an_xlsx_file_named_csv_is_read_by_its_content(tmp_path):
    path = xlsx_file(tmp_path / "e.csv", EMPLOYER_HEADER, [employer_row(22)])
    assert run_import("employers", path).summary.employers_created == 1


def test_a_corrected_error_report_imports_with_its_error_column_ignored(tmp_path):
    path = xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(23, 职工人数="很多")])
    report = refusal("employers", path).report
    workbook = openpyxl.load_workbook(report)
    workbook.active.cell(2, EMPLOYER_HEADER.index("职工人数") + 1).value = 40
    workbook.save(report)
    assert run_import("employers", report).summary.employers_created == 1


def test_dates_in_the_forms_chinese_users_type_are_understood(tmp_path):
    run_import("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(24)]))
    rows = [
        record_row(24, "河南省公共信用综合评价结果", 日期="2025/3/15", 省级评价等级="b"),
        record_row(24, "河南省公共信用综合评价结果", 日期="2025年4月15日", 省级评价等级="A"),
        record_row(24, "河南省公共信用综合评价结果", 日期=45823, 省级评价等级="A"),
        record_row(24, "河南省公共信用综合评价结果", 日期="20250715", 省级评价等级="C"),
    ]
    run_import("records", xlsx_file(tmp_path / "r.xlsx", RECORD_HEADER, rows))
    dates = sorted(str(d) for d in CreditRecord.objects.values_list("date", flat=True))
    assert dates == ["2025-03-15", "2025-04-15", "2025-06-15", "2025-07-15"]
    assert CreditRecord.objects.filter(level="B").count() == 1


@pytest.mark.parametrize("write_only", [False, True])
@pytest.mark.parametrize("epoch_1904", [False, True])
def test_the_fast_xlsx_reader_reads_what_openpyxl_reads(
    tmp_path, monkeypatch, write_only, epoch_1904
):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    from laborcredit.lib import spreadsheets

    workbook = openpyxl.Workbook(write_only=write_only)
    if epoch_1904:
        workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.create_sheet("说明") if write_only else workbook.active
    if not write_only:
        sheet.title = "说明"
    sheet.append(["不是这张表"])
    data = workbook.create_sheet("信用记录")
    data.append(["文本", "整数", "小数", "日期", "时间", "是非", "空"])
    data.append(["舞钢 & <公司>", 42, 3.5, datetime.date(2024, 3, 15),
                 datetime.datetime(2024, 3, 15, 8, 30), True, None])  # fmt: skip
    data.append([])
    data.append(["=不是公式", -7, 1e20, "2024-03-15", None, False, "末列"])
    if not write_only:
        data["B6"] = "稀疏"
        data["E6"] = datetime.date(2025, 1, 2)
        data["E6"].number_format = 'yyyy"年"m"月"d"日"'
    workbook.save(tmp_path / "w.xlsx")
    raw = (tmp_path / "w.xlsx").read_bytes()
    limits = spreadsheets.Limits()
    fast = spreadsheets._read_xlsx_fast(raw, limits, ("信用记录",), None)

    def no_fast_path(*args):
        raise ValueError

    monkeypatch.setattr(spreadsheets, "_read_xlsx_fast", no_fast_path)
    slow = spreadsheets.read_xlsx(raw, limits, ("信用记录",))

    def trimmed(rows):
        out = []
        for number, values in rows:
            values = list(values)
            while values and values[-1] is None:
                values.pop()
            out.append((number, values))
        return out

    assert fast.name == slow.name == "信用记录"
    assert fast.header == slow.header
    assert trimmed(fast.rows) == trimmed(slow.rows)
    assert fast.rows[0][1][3] == datetime.datetime(2024, 3, 15)


def test_an_entity_attack_in_a_sheet_without_an_xml_name_is_refused(tmp_path):
    good = xlsx_file(tmp_path / "good.xlsx", EMPLOYER_HEADER, [employer_row(25)]).read_bytes()
    with zipfile.ZipFile(tmp_path / "lol.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        with zipfile.ZipFile(io.BytesIO(good)) as src:
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "xl/worksheets/sheet1.xml":
                    out.writestr("xl/worksheets/sheet1.bin", BILLION_LAUGHS.encode())
                    continue
                out.writestr(item, data.replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.bin"))
    assert_refused("employers", tmp_path / "lol.xlsx", "xml-entity")


# ---------------------------------------------------------------- every problem in one answer


def _days_ago(days: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days)).isoformat()


def test_one_upload_names_a_bad_cell_a_case_without_its_violation_and_a_future_date(tmp_path):
    """The page promises “改正后重新上传整个文件即可”: the first upload lists all three rows."""
    run_import("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(31)]))
    path = xlsx_file(
        tmp_path / "r.xlsx",
        RECORD_HEADER,
        [
            record_row(31, "劳动用工情况评估", 评估是否通过="也许"),
            record_row(31, "违法行为已纠正", 案件编号="舞人社监〔2026〕999号"),
            record_row(31, "劳动人事争议仲裁败诉", 案件编号="仲1", 日期="2030-01-01"),
        ],
    )
    refused = refusal("records", path)
    assert {(p.row, p.column, p.code) for p in refused.problems} == {
        (2, "评估是否通过", "cell-invalid"),
        (3, "案件编号", "case-unknown"),
        (4, "日期", "date-in-future"),
    }
    assert not CreditRecord.objects.exists()


def test_a_row_with_a_missing_case_and_a_future_date_reports_both(tmp_path):
    run_import("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(32)]))
    path = xlsx_file(
        tmp_path / "r.xlsx",
        RECORD_HEADER,
        [record_row(32, "行政处罚", 案件编号="K404", 日期="2030-01-01")],
    )
    refused = refusal("records", path)
    assert {(p.row, p.code) for p in refused.problems} == {
        (2, "case-unknown"),
        (2, "date-in-future"),
    }


def test_a_row_with_a_future_violation_does_not_blame_the_rows_of_its_case(tmp_path):
    run_import("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(33)]))
    path = xlsx_file(
        tmp_path / "r.xlsx",
        RECORD_HEADER,
        [
            record_row(33, "违反人社法律法规行为被查处", 案件编号="K33", 日期="2030-01-01"),
            record_row(33, "违法行为已纠正", 案件编号="K33"),
        ],
    )
    refused = refusal("records", path)
    assert [(p.row, p.code) for p in refused.problems] == [(2, "date-in-future")]


def test_an_employer_row_with_a_wrong_check_digit_still_lists_its_other_problems(tmp_path):
    row = employer_row(
        34,
        统一社会信用代码="91410481MA00000090",
        **{"乡镇（街道）": "北京市", "行业代码": "Z99", "登记注册类型": "合伙社",
           "法定代表人身份证号码": "110105194912310021", "联系电话": "电话号码"},
    )  # fmt: skip
    refused = refusal("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [row]))
    assert {p.column for p in refused.problems} == {
        "统一社会信用代码",
        "乡镇（街道）",
        "行业代码",
        "登记注册类型",
        "法定代表人身份证号码",
        "联系电话",
    }


def test_a_record_row_of_an_unknown_employer_still_has_its_cells_checked(tmp_path):
    path = xlsx_file(
        tmp_path / "r.xlsx",
        RECORD_HEADER,
        [record_row(35, "河南省公共信用综合评价结果", 日期="2030-01-01", 省级评价等级="A")],
    )
    refused = refusal("records", path)
    assert {(p.row, p.code) for p in refused.problems} == {
        (2, "employer-unknown"),
        (2, "date-in-future"),
    }


def test_the_rows_of_a_file_are_held_to_the_order_of_their_case_with_existing_records(tmp_path):
    run_import("employers", xlsx_file(tmp_path / "e.xlsx", EMPLOYER_HEADER, [employer_row(36)]))
    found = xlsx_file(
        tmp_path / "f.xlsx",
        RECORD_HEADER,
        [record_row(36, "违反人社法律法规行为被查处", 案件编号="K36", 日期=_days_ago(20))],
    )
    run_import("records", found)
    path = xlsx_file(
        tmp_path / "r.xlsx",
        RECORD_HEADER,
        [
            record_row(36, "违法行为已纠正", 案件编号="K36", 日期=_days_ago(30)),
            record_row(36, "违反人社法律法规行为被查处", 案件编号="K37", 日期=_days_ago(20),
                       整改期限=_days_ago(25)),
            record_row(36, "违法行为已纠正", 案件编号="K37", 日期=_days_ago(10)),
            record_row(36, "违法行为已纠正", 案件编号="K37", 日期=_days_ago(5)),
        ],
    )  # fmt: skip
    refused = refusal("records", path)
    assert [(p.row, p.column, p.code) for p in refused.problems] == [
        (2, "日期", "date-order"),
        (3, "整改期限", "date-order"),
        (5, "案件编号", "case-duplicate"),
    ]
    assert _days_ago(30) in refused.problems[0].message
    assert _days_ago(20) in refused.problems[0].message
    assert CreditRecord.objects.count() == 1
