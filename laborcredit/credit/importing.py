"""Importing employers and credit records from Excel (.xlsx) and CSV files (第五条, IN2).

A file is read safely (`laborcredit.lib.spreadsheets`), its Chinese headers
matched to fields, its cells turned into the values the credit file stores,
and the whole file handed to `credit_file_import`, which checks every row and
imports all of it in one transaction, or nothing. A refused file comes back
with an error report in the user's own format: their sheet with a 错误 column,
or a CSV of 行号, 列, 问题.
"""

from __future__ import annotations

import datetime
import gc
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from laborcredit.credit.models import CreditRecord, Disclosure, Employer
from laborcredit.credit.reference import PENALTY_CATEGORIES, REGISTRATION_TYPES, TOWNSHIPS
from laborcredit.credit.services import PENALTY_TEXT_LIMITS, ImportSummary, credit_file_import
from laborcredit.lib.errors import Refused
from laborcredit.lib.forms import ID_NUMBER_IN_TEXT
from laborcredit.lib.masking import find_id_numbers
from laborcredit.lib.spreadsheets import (
    Limits,
    Sheet,
    SpreadsheetError,
    read_sheet,
    read_upload,
    text_cell,
    write_csv,
)
from laborcredit.rules.vocabulary import PROVINCIAL_LEVELS, RecordType

KINDS = ("employers", "records")
KIND_LABELS = {"employers": "单位", "records": "信用记录"}
ERROR_HEADER = "错误"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    convert: str = "text"  # text, code, int, date, bool, type, disclosure
    note: str = ""


EMPLOYER_COLUMNS = (
    Column("统一社会信用代码", "uscc", True, "code", "18位，GB 32100-2015"),
    Column("单位名称", "name", True),
    Column("法定代表人", "legal_rep_name"),
    Column("法定代表人身份证号码", "legal_rep_id_number", convert="code", note="18位，GB 11643"),
    Column("地址", "address"),
    Column("乡镇（街道）", "township", note="见“说明”表中的乡镇（街道）列表"),
    Column("行业代码", "industry_code", note="GB/T 4754-2017 门类字母，可带两位大类，如 C31"),
    Column("登记注册类型", "registration_type", note="、".join(REGISTRATION_TYPES)),
    Column("职工人数", "employees", convert="int"),
    Column("联系人", "contact_name"),
    Column("联系电话", "contact_phone", convert="code"),
)
RECORD_COLUMNS = (
    Column("统一社会信用代码", "uscc", True, "code", "单位须已登记或在同一批导入"),
    Column("记录类型", "type", True, "type", "见“说明”表中的记录类型"),
    Column("日期", "date", True, "date", "YYYY-MM-DD"),
    Column("案件编号", "case", note="违法、处罚、仲裁等记录必填，同一案件的记录填同一编号"),
    Column("整改期限", "correction_deadline", convert="date", note="YYYY-MM-DD，可不填"),
    Column("评估是否通过", "passed", convert="bool", note="劳动用工情况评估填“是”或“否”"),
    Column("省级评价等级", "level", note="河南省公共信用综合评价结果填 A、B、C、D"),
    Column("文书号", "document_number"),
    Column("作出机关", "issuing_body"),
    Column("说明", "description"),
    Column("公开范围", "disclosure", convert="disclosure", note="公开、向授权部门共享、仅内部使用"),
    # 双公示: only on 行政处罚 records (the service refuses them on any other).
    Column("违法行为类型", "violation_type", note="仅行政处罚填写，如：未按时足额支付劳动报酬"),
    Column("处罚类别", "penalty_category",
           note=f"仅行政处罚填写：{'、'.join(PENALTY_CATEGORIES)}，多项用顿号分隔"),
    Column("罚款金额（元）", "fine_amount", note="仅行政处罚填写，以元为单位，如 2000；处罚类别含“罚款”时必填"),
    Column("处罚依据", "penalty_basis", note="仅行政处罚填写，如：《劳动保障监察条例》第二十六条"),
    Column("处罚内容", "penalty_content", note="仅行政处罚填写，如：罚款人民币贰仟元"),
)  # fmt: skip
COLUMNS = {"employers": EMPLOYER_COLUMNS, "records": RECORD_COLUMNS}
SHEET_NAMES = {"employers": ("单位", "用人单位"), "records": ("信用记录", "记录")}
# Fields the service names that are another name of a column.
FIELD_ALIASES = {"document": "document_number"}

_TYPE_BY_NAME = {t.label: t.value for t in RecordType} | {t.value: t.value for t in RecordType}
_DISCLOSURE_BY_NAME = {label: value for value, label in Disclosure.choices} | {
    value: value for value in Disclosure.values
}
_TRUE = {"是", "通过", "true", "1", "y", "yes"}
_FALSE = {"否", "不通过", "未通过", "false", "0", "n", "no"}
_MAX_LENGTHS = {
    **{f.name: f.max_length for f in Employer._meta.fields if getattr(f, "max_length", None)},
    **{f.name: f.max_length for f in CreditRecord._meta.fields if getattr(f, "max_length", None)},
}
_MAX_LENGTHS.update({"legal_rep_id_number": 18, "contact_phone": 30, "description": 2000,
                     **PENALTY_TEXT_LIMITS})  # fmt: skip
_SERIALS = (18264, 73051)  # Excel day numbers of 1950-01-01 and 2100-01-01
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


@dataclass(frozen=True)
class RowProblem:
    """One problem of an imported file: its row (None for the whole file), column and message."""

    row: int | None
    column: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where}{'“' + self.column + '”列' if self.column else ''}：{self.message}"


class ImportRefused(Exception):
    """The file imports nothing; `problems` names every one, `report` is the error report's path."""

    def __init__(self, problems: list[RowProblem], report: Path | None = None) -> None:
        super().__init__("；".join(str(p) for p in problems[:5]))
        self.problems = problems
        self.report = report


@dataclass
class ImportResult:
    summary: ImportSummary
    rows: int
    sheet: Sheet | None = field(default=None, repr=False)

    def sentence(self) -> str:
        s = self.summary
        return (
            f"导入成功：新增单位 {s.employers_created} 家，新增记录 {s.records_created} 条，"
            f"跳过重复记录 {s.records_skipped} 条，等级变化 {s.grades_changed} 家"
            + (f"，更新单位 {s.employers_updated} 家" if s.employers_updated else "")
        )


# ---------------------------------------------------------------- headers


def _normal_header(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）").strip("*")


def match_headers(sheet: Sheet, kind: str) -> dict[int, Column]:
    """Column index → column, or one refusal naming every wrong, missing and duplicate header."""
    by_header = {_normal_header(c.header): c for c in COLUMNS[kind]}
    found: dict[int, Column] = {}
    seen: dict[str, int] = {}
    problems = []
    for index, raw in enumerate(sheet.header):
        name = _normal_header(raw)
        if not name or name == ERROR_HEADER:
            continue
        column = by_header.get(name)
        if column is None:
            problems.append(RowProblem(None, raw, f"未知的列名“{raw}”", "header-unknown"))
        elif column.header in seen:
            problems.append(
                RowProblem(None, raw, f"列名“{raw}”重复（第{seen[column.header] + 1}列和第{index + 1}列）",
                           "header-duplicate")
            )  # fmt: skip
        else:
            seen[column.header] = index
            found[index] = column
    for column in COLUMNS[kind]:
        if column.required and column.header not in seen:
            problems.append(
                RowProblem(None, column.header, f"缺少必需的列“{column.header}”", "header-missing")
            )
    if problems:
        expected = "、".join(c.header for c in COLUMNS[kind])
        problems.append(
            RowProblem(
                None, "", f"{KIND_LABELS[kind]}导入文件的列名应为：{expected}", "header-expected"
            )
        )
        raise ImportRefused(problems)
    return found


# ---------------------------------------------------------------- cells


def _text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(
            sep=" "
        ), None
    if isinstance(value, datetime.date):
        return value.isoformat(), None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    return str(value).strip(), None


def _code(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, float):
        return str(value), "被 Excel 存成了数字，长数字已丢失精度；请把该列设为“文本”格式后重新填写"
    if isinstance(value, int):
        return str(value), None
    return str(value).strip().replace(" ", ""), None


def _int(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return str(value), "应为非负整数"
    if isinstance(value, int):
        return value, None
    if isinstance(value, float) and value.is_integer():
        return int(value), None
    text = str(value).strip().replace(",", "")
    if text.isdigit():
        return int(text), None
    return text, f"应为非负整数，收到“{text}”"


def _date(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat(), None
    if isinstance(value, datetime.date):
        return value.isoformat(), None
    if isinstance(value, int | float) and _SERIALS[0] <= value <= _SERIALS[1]:
        # A date cell whose format openpyxl does not know as a date (the zh-CN built-in
        # formats 27–36 and 50–58, e.g. 2024年3月15日) arrives as Excel's day number.
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date().isoformat(), None
    text = str(value).strip()
    if isinstance(value, int) or re.fullmatch(r"\d{8}", text):
        text = str(value)
        if len(text) == 8:
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE_RE.fullmatch(text)
    if not match:
        return text, f"日期格式应为 YYYY-MM-DD（也可写 2024/3/15 或 2024年3月15日），收到“{text}”"
    try:
        return datetime.date(*(int(g) for g in match.groups())).isoformat(), None
    except ValueError:
        return text, f"不存在的日期“{text}”"


def _bool(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    text = str(value).strip().lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return text, f"应填“是”或“否”，收到“{value}”"


def _type(value: Any) -> tuple[Any, str | None]:
    text = str(value).strip()
    code = _TYPE_BY_NAME.get(text)
    if code is None:
        names = "、".join(t.label for t in RecordType)
        return text, f"未知的记录类型“{text}”，应为：{names}"
    return code, None


def _disclosure(value: Any) -> tuple[Any, str | None]:
    text = str(value).strip()
    code = _DISCLOSURE_BY_NAME.get(text)
    if code is None:
        return text, f"公开范围应为“公开”“向授权部门共享”或“仅内部使用”，收到“{text}”"
    return code, None


_CONVERTERS: dict[str, Callable[[Any], tuple[Any, str | None]]] = {
    "text": _text,
    "code": _code,
    "int": _int,
    "date": _date,
    "bool": _bool,
    "type": _type,
    "disclosure": _disclosure,
}


def _level(value: str) -> tuple[str, str | None]:
    text = value.upper()
    if text and text not in PROVINCIAL_LEVELS:
        return text, f"省级评价等级应为 {'、'.join(PROVINCIAL_LEVELS)} 之一，收到“{value}”"
    return text, None


def sheet_rows(
    sheet: Sheet, kind: str, columns: dict[int, Column]
) -> tuple[list[tuple[str, dict[str, Any]]], list[RowProblem], dict[str, int]]:
    """(place, fields) for the service, the problems found in the cells, and place → row."""
    rows: list[tuple[str, dict[str, Any]]] = []
    problems: list[RowProblem] = []
    places: dict[str, int] = {}
    for number, values in sheet.rows:
        place = f"第{number}行"
        places[place] = number
        fields: dict[str, Any] = {}
        for index, value in enumerate(values):
            column = columns.get(index)
            if column is None:
                if (
                    index < len(sheet.header)
                    and _normal_header(sheet.header[index]) == ERROR_HEADER
                ):
                    continue
                if value is not None and str(value).strip():
                    problems.append(
                        RowProblem(
                            number, f"第{index + 1}列", "该列没有列名，无法导入", "header-missing"
                        )
                    )
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            converted, message = _CONVERTERS[column.convert](value)
            if message is None and column.field == "level":
                converted, message = _level(converted)
            if message is None and isinstance(converted, str):
                limit = _MAX_LENGTHS.get(column.field)
                if limit and len(converted) > limit:
                    message = f"不能超过 {limit} 个字符（现为 {len(converted)} 个）"
            if (
                message is None
                and column.convert == "text"  # not codes: the ID number's own field, the phone
                and isinstance(converted, str)
                and find_id_numbers(converted)
            ):
                # IN2, as the record form and the API refuse it: no full ID number in free text.
                problems.append(
                    RowProblem(number, column.header, ID_NUMBER_IN_TEXT, "id-number-in-text")
                )
            elif message:
                problems.append(RowProblem(number, column.header, message, "cell-invalid"))
            fields[column.field] = converted
        rows.append((place, fields))
    return rows, problems, places


# ---------------------------------------------------------------- the import


class _DryRun(Exception):
    pass


def import_file(
    path: str | os.PathLike[str],
    kind: str,
    *,
    actor: str,
    report: str | os.PathLike[str] | None = None,
    progress: Callable[[str, int], None] | None = None,
    limits: Limits | None = None,
) -> ImportResult:
    """Import a file of employers or records, all or nothing.

    Raises `ImportRefused` with every problem; when rows are at fault an error
    report is written (to `report`, or beside the file) and named in it.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    say = progress or (lambda stage, rows: None)
    try:
        data = read_upload(path, limits)
        sheet = read_sheet(data, limits, SHEET_NAMES[kind], on_rows=lambda rows: say("读取", rows))
        say("读取", len(sheet.rows) % 1000)
    except SpreadsheetError as error:
        raise ImportRefused([RowProblem(None, "", error.message, error.code)]) from None
    columns = match_headers(sheet, kind)
    if not sheet.rows:
        raise ImportRefused([RowProblem(None, "", "文件只有表头，没有数据行", "file-empty")])
    name = Path(path).name
    # Hundreds of thousands of rows, model instances and audit entries, and no reference
    # cycles worth collecting: the cyclic collector would rescan them all again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows, problems, places = sheet_rows(sheet, kind, columns)
        say("校验并写入", 0)
        with transaction.atomic():
            summary = credit_file_import(
                employers=rows if kind == "employers" else [],
                records=rows if kind == "records" else [],
                actor=actor,
                source_name=name,
            )
            if problems:
                raise _DryRun
    except Refused as refused:
        problems += _row_problems(refused, kind, places)
    except _DryRun:
        pass
    finally:
        if collecting:
            gc.enable()
    if problems:
        problems = _deduplicated(problems)
        target = Path(report) if report else default_report_path(path, sheet.kind)
        try:
            write_error_report(sheet, problems, target)
        except OSError as error:
            problems.append(
                RowProblem(
                    None,
                    "",
                    f"无法写入错误报告 {target}：{error.strerror or error}",
                    "report-unwritable",
                )
            )
            raise ImportRefused(problems) from None
        raise ImportRefused(problems, target)
    return ImportResult(summary=summary, rows=len(rows), sheet=sheet)


def default_report_path(path: str | os.PathLike[str], kind: str) -> Path:
    source = Path(path)
    return source.with_name(f"{source.stem}.错误报告.{'xlsx' if kind == 'xlsx' else 'csv'}")


_PLACE_RE = re.compile(r"^(第\d+行)(?:\[\d+\])?(?:\.(\w+))?")


def _row_problems(refused: Refused, kind: str, places: dict[str, int]) -> list[RowProblem]:
    headers = {c.field: c.header for c in COLUMNS[kind]}
    out = []
    for problem in refused.problems:
        match = _PLACE_RE.match(problem.place)
        if match is None or match.group(1) not in places:
            out.append(RowProblem(None, "", problem.message, problem.code))
            continue
        field_name = FIELD_ALIASES.get(match.group(2) or "", match.group(2) or "")
        column = headers.get(field_name, "")
        out.append(RowProblem(places[match.group(1)], column, problem.message, problem.code))
    return out


def _deduplicated(problems: list[RowProblem]) -> list[RowProblem]:
    """One problem per cell: the importer's own message about a cell wins over the
    service's message about the same (unconverted) value."""
    cells = {(p.row, p.column) for p in problems if p.code == "cell-invalid"}
    seen = set()
    kept = []
    for p in problems:
        key = (p.row, p.column, p.message)
        if key in seen or (p.code != "cell-invalid" and p.column and (p.row, p.column) in cells):
            continue
        seen.add(key)
        kept.append(p)
    return sorted(kept, key=lambda p: p.row or 0)


# ---------------------------------------------------------------- error reports


def write_error_report(sheet: Sheet, problems: list[RowProblem], target: Path) -> Path:
    """The user's own sheet with a 错误 column (bad cells highlighted), or a CSV of 行号, 列, 问题."""
    if sheet.kind != "xlsx" or target.suffix.lower() == ".csv":
        write_csv(
            target,
            ["行号", "列", "问题"],
            ([p.row or "", p.column, p.message] for p in problems),
        )
        return target
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    by_row: dict[int, list[RowProblem]] = {}
    for p in problems:
        by_row.setdefault(p.row or 0, []).append(p)
    fill = PatternFill("solid", fgColor="FFC7CE")
    red = Font(color="9C0006")
    header = list(sheet.header)
    error_index = next((i for i, h in enumerate(header) if _normal_header(h) == ERROR_HEADER), None)
    if error_index is None:
        error_index = len(header)
        header.append(ERROR_HEADER)
    bad_columns = {h: i for i, h in enumerate(sheet.header)}
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet.name or "Sheet1")
    for _ in range(sheet.header_row - 1):
        worksheet.append([])
    worksheet.append([text_cell(worksheet, h, font=Font(bold=True)) for h in header])
    general = by_row.get(0, [])
    next_row = sheet.header_row + 1
    for number, values in sheet.rows:
        for _ in range(number - next_row):
            worksheet.append([])
        next_row = number + 1
        values = list(values) + [None] * (len(header) - len(values))
        row_problems = by_row.get(number, [])
        marked = {bad_columns.get(p.column) for p in row_problems}
        cells = []
        for index, value in enumerate(values):
            if index == error_index:
                text = "；".join(
                    (f"{p.column}：" if p.column else "") + p.message for p in row_problems
                )
                cells.append(text_cell(worksheet, text or None, font=red))
            elif index in marked:
                cells.append(text_cell(worksheet, value, fill=fill))
            else:
                cells.append(text_cell(worksheet, value))
        worksheet.append(cells)
    if general:
        worksheet.append([])
        for p in general:
            worksheet.append([text_cell(worksheet, f"{ERROR_HEADER}：{p.message}", font=red)])
    workbook.save(target)
    return target


# ---------------------------------------------------------------- templates


def example_rows(kind: str) -> list[list[Any]]:
    from stdnum.cn import uscc as stdnum_uscc

    body = "91410481MA00000000"[:17]
    code = body + stdnum_uscc.calc_check_digit(body)
    if kind == "employers":
        return [[code, "示例：舞钢市某某机械有限公司（导入前请删除本行）", "张三明",
                 "11010519491231002X", "舞钢市垭口街道示例路1号", TOWNSHIPS[0], "C34",
                 "有限责任公司", 120, "李四", "0375-8123456"]]  # fmt: skip
    return [[code, RecordType.VIOLATION_FOUND.label, "2024-03-15", "舞人社监〔2024〕1号",
             "2024-04-15", "", "", "", "舞钢市人力资源和社会保障局",
             "示例：未按时足额支付工资（导入前请删除本行）", "公开", "", "", "", "", ""]]  # fmt: skip


def write_template(kind: str, target: str | os.PathLike[str], fmt: str = "xlsx") -> Path:
    """A blank import file: the headers, one example row, and (in .xlsx) a 说明 sheet with the
    record types, their articles and fields, and the townships; dropdowns where cheap."""
    target = Path(target)
    columns = COLUMNS[kind]
    header = [c.header for c in columns]
    if fmt == "csv":
        write_csv(target, header, example_rows(kind))
        return target
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAMES[kind][0]
    bold = Font(bold=True)
    required = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        if column.required:
            cell.fill = required
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) * 2 + 4)
        if column.convert in ("code", "text"):
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    # Right under the header (append would go below the 1,000 rows formatted as text above).
    for row_number, row in enumerate(example_rows(kind), start=2):
        for column_number, value in enumerate(row, start=1):
            sheet.cell(row=row_number, column=column_number, value=value)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("说明")
    notes.append(["列名", "是否必填", "填写说明"])
    for column in columns:
        notes.append([column.header, "必填" if column.required else "", column.note])
    notes.append([])
    notes.append(["记录类型", "依据", "需填写的列"])
    labels = {"date": "日期", "case": "案件编号", "correction_deadline": "整改期限",
              "passed": "评估是否通过", "level": "省级评价等级", "document": "文书号"}  # fmt: skip
    for t in RecordType:
        fields = "、".join(labels[f.name] + ("" if f.required else "（可不填）") for f in t.fields)
        notes.append([t.label, t.article, fields])
    notes.append([])
    notes.append(["乡镇（街道）"])
    for township in TOWNSHIPS:
        notes.append([township])
    for row in notes.iter_rows(min_row=1, max_row=1):
        for cell in row:
            cell.font = bold
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 20
    notes.column_dimensions["C"].width = 60

    def dropdown(header_name: str, values: list[str]) -> None:
        index = header.index(header_name) + 1
        letter = sheet.cell(row=1, column=index).column_letter
        validation = DataValidation(
            type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
        )
        validation.error = f"请从列表中选择{header_name}"
        validation.errorTitle = "取值无效"
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}100000")

    if kind == "employers":
        dropdown("乡镇（街道）", list(TOWNSHIPS))
        dropdown("登记注册类型", list(REGISTRATION_TYPES))
    else:
        dropdown("记录类型", [t.label for t in RecordType])
        dropdown("评估是否通过", ["是", "否"])
        dropdown("省级评价等级", list(PROVINCIAL_LEVELS))
        dropdown("公开范围", [label for _, label in Disclosure.choices])
    workbook.save(target)
    return target
