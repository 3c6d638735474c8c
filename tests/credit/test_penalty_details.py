"""双公示: a 行政处罚 record holds 违法行为类型, 处罚类别, 罚款金额, 处罚依据 and 处罚内容 (context.md),
filed by every way in, checked, hashed and kept in every version; no other record type has them."""

from __future__ import annotations

import datetime
import decimal
import json

import openpyxl
import pytest

from laborcredit.audit.chain import verify
from laborcredit.credit.exporting import RECORD_HEADER, export_file
from laborcredit.credit.importing import RECORD_COLUMNS, ImportRefused, import_file
from laborcredit.credit.models import CreditRecord, _sha256
from laborcredit.credit.services import (
    fine_amount,
    penalty_categories,
    record_correct,
    record_create,
)
from laborcredit.lib.errors import Refused
from tests.credit.helpers import days_ago, row_counts
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

CASE = "舞人社监〔2026〕21号"
DETAILS = {
    "violation_type": "未按时足额支付劳动报酬",
    "penalty_category": "罚款；警告",
    "fine_amount": "2,000元",
    "penalty_basis": "《劳动保障监察条例》第二十六条",
    "penalty_content": "警告，罚款人民币贰仟元",
}


@pytest.fixture
def employer():
    employer = EmployerFactory()
    record_create(
        employer=employer, type="violation_found", date=days_ago(40), case=CASE, actor="o"
    )
    return employer


def _penalty(employer, **fields):
    return record_create(
        employer=employer, type="penalty_imposed", date=days_ago(10), case=CASE, actor="o",
        document_number="舞人社罚〔2026〕21号", **fields,
    )  # fmt: skip


def test_a_penalty_keeps_its_details_in_the_law_s_order_and_the_fine_in_yuan(employer):
    record = CreditRecord.objects.get(pk=_penalty(employer, **DETAILS).pk)
    assert record.violation_type == "未按时足额支付劳动报酬"
    assert record.penalty_category == "警告、罚款"  # 行政处罚法第九条's order
    assert record.fine_amount == decimal.Decimal("2000.00")
    assert record.penalty_basis == "《劳动保障监察条例》第二十六条"
    assert record.penalty_content == "警告，罚款人民币贰仟元"
    assert record.content_hash == record.compute_content_hash()
    assert verify().ok


def test_the_details_are_part_of_the_content_hash(employer):
    record = CreditRecord.objects.get(pk=_penalty(employer, **DETAILS).pk)
    record.fine_amount = decimal.Decimal("20000.00")
    assert record.compute_content_hash() != record.content_hash


def test_a_record_without_details_hashes_as_before_they_existed(employer):
    """Versions filed before the fields existed keep the hash they were filed with."""
    record = CreditRecord.objects.get(pk=_penalty(employer).pk)
    stored = json.loads(json.dumps(record.penalty_details()))
    assert stored == {}
    old_fields = {
        **record.fact(),
        "employer_id": record.employer_id, "lineage": str(record.lineage),
        "version": record.version, "supersedes_id": record.supersedes_id,
        "action": record.action, "issuing_body": record.issuing_body,
        "description": record.description, "disclosure": record.disclosure,
        "source": record.source, "source_ref": record.source_ref, "reason": record.reason,
        "entered_by": record.entered_by,
        "entered_at": record.entered_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "fingerprint": record.fingerprint,
    }  # fmt: skip
    assert record.content_hash == _sha256(old_fields)


@pytest.mark.parametrize(
    ("fields", "place", "code"),
    [
        ({"penalty_category": "罚金"}, "record.penalty_category", "value-invalid"),
        ({"fine_amount": "两千元"}, "record.fine_amount", "value-invalid"),
        ({"fine_amount": "-5"}, "record.fine_amount", "value-invalid"),
        ({"fine_amount": "10.005"}, "record.fine_amount", "value-invalid"),
        ({"fine_amount": "2000", "penalty_category": "警告"}, "record.penalty_category",
         "fine-without-category"),
        ({"fine_amount": "2000"}, "record.penalty_category", "fine-without-category"),
        ({"penalty_category": "警告、罚款"}, "record.fine_amount", "fine-missing"),
        ({"violation_type": "欠" * 201}, "record.violation_type", "too-long"),
        ({"penalty_basis": "条" * 1001}, "record.penalty_basis", "too-long"),
    ],
)  # fmt: skip
def test_bad_details_are_refused_in_chinese_and_nothing_is_written(employer, fields, place, code):
    before = row_counts()
    with pytest.raises(Refused) as refused:
        _penalty(employer, **fields)
    (problem,) = refused.value.problems
    assert (problem.place, problem.code) == (place, code)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in problem.message)
    assert row_counts() == before


def test_details_on_a_record_other_than_a_penalty_are_refused(employer):
    before = row_counts()
    with pytest.raises(Refused) as refused:
        record_create(
            employer=employer, type="violation_found", date=days_ago(5), case="舞人社监〔2026〕22号",
            actor="o", fine_amount="500", penalty_category="罚款",
        )  # fmt: skip
    (problem,) = refused.value.problems
    assert problem.code == "field-not-applicable" and "行政处罚" in problem.message
    assert row_counts() == before


def test_a_correction_adds_the_fine_in_a_new_version_and_keeps_the_other_details(employer):
    first = _penalty(employer, violation_type="拖欠工资", penalty_category="警告")
    second = record_correct(
        record=first, reason="补录罚款", actor="o", penalty_category="警告、罚款",
        fine_amount=decimal.Decimal("5000"),
    )  # fmt: skip
    assert (second.version, second.violation_type) == (2, "拖欠工资")
    assert (second.penalty_category, second.fine_amount) == ("警告、罚款", decimal.Decimal("5000"))
    first.refresh_from_db()
    assert first.fine_amount is None and first.penalty_category == "警告"
    assert verify().ok


@pytest.mark.parametrize(
    ("written", "categories", "unknown"),
    [
        ("罚款", ["罚款"], []),
        ("罚款、警告", ["警告", "罚款"], []),
        ("警告,罚款 ;责令停产停业", ["警告", "罚款", "责令停产停业"], []),
        ("罚款、罚金", ["罚款"], ["罚金"]),
        ("", [], []),
    ],
)
def test_penalty_categories_are_read_as_written_and_put_in_the_law_s_order(
    written, categories, unknown
):
    assert penalty_categories(written) == (categories, unknown)


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("2000", "2000.00"),
        ("2,000.5元", "2000.50"),
        (2000, "2000.00"),
        (2000.5, "2000.50"),
        ("0", "0.00"),
        ("1e3", "1000.00"),
        ("-1", None),
        ("1.005", None),
        ("NaN", None),
        ("Infinity", None),
        ("1e30", None),
        (True, None),
        ("", None),
    ],
)
def test_a_fine_is_an_amount_in_yuan_of_at_most_two_decimals(written, amount):
    assert fine_amount(written) == (decimal.Decimal(amount) if amount else None)


# ---------------------------------------------------------------- import and export

RECORD_HEADERS = [c.header for c in RECORD_COLUMNS]


def _records_file(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(RECORD_HEADERS)
    for values in rows:
        row = dict.fromkeys(RECORD_HEADERS, "")
        row.update(values)
        sheet.append(list(row.values()))
    workbook.save(path)
    return path


def _rows(employer, **penalty):
    return [
        {"统一社会信用代码": employer.uscc, "记录类型": "违反人社法律法规行为被查处",
         "日期": days_ago(40).isoformat(), "案件编号": "舞人社监〔2026〕30号"},
        {"统一社会信用代码": employer.uscc, "记录类型": "行政处罚",
         "日期": days_ago(10).isoformat(), "案件编号": "舞人社监〔2026〕30号", **penalty},
    ]  # fmt: skip


def test_an_import_files_the_details_from_their_columns(tmp_path):
    employer = EmployerFactory()
    path = _records_file(tmp_path / "r.xlsx", _rows(employer, **{
        "违法行为类型": "未依法订立书面劳动合同", "处罚类别": "罚款", "罚款金额（元）": 8000,
        "处罚依据": "《劳动合同法》第八十二条", "处罚内容": "罚款人民币捌仟元",
    }))  # fmt: skip
    result = import_file(path, "records", actor="o")
    assert result.summary.records_created == 2
    penalty = CreditRecord.objects.get(employer=employer, type="penalty_imposed")
    assert (penalty.penalty_category, penalty.fine_amount) == ("罚款", decimal.Decimal("8000"))
    assert penalty.penalty_basis == "《劳动合同法》第八十二条"


def test_an_import_with_a_bad_category_names_its_row_and_column_and_imports_nothing(tmp_path):
    employer = EmployerFactory()
    path = _records_file(
        tmp_path / "r.xlsx", _rows(employer, 处罚类别="罚金", **{"罚款金额（元）": 100})
    )
    before = row_counts()
    with pytest.raises(ImportRefused) as refused:
        import_file(path, "records", actor="o")
    text = "\n".join(str(p) for p in refused.value.problems)
    assert "第3行“处罚类别”列" in text and "罚金" in text
    assert row_counts() == before


def test_the_records_export_has_the_details(tmp_path, employer):
    _penalty(employer, **DETAILS)
    target = tmp_path / "out.xlsx"
    export_file("records", target, usccs=[employer.uscc])
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header == RECORD_HEADER
    penalty = next(r for r in rows[1:] if r[header.index("记录类型")] == "行政处罚")
    assert penalty[header.index("处罚类别")] == "警告、罚款"
    assert decimal.Decimal(str(penalty[header.index("罚款金额（元）")])) == 2000
    assert penalty[header.index("处罚依据")] == "《劳动保障监察条例》第二十六条"
