"""report_issue and report_verify: the PDF an employer's credit report is, what it shows and hides,
the row it leaves, and the verification of its code."""

from __future__ import annotations

import hashlib

import pytest

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.services import record_create
from laborcredit.lib.appendonly import AppendOnlyError
from laborcredit.lib.errors import Refused
from laborcredit.reports.models import IssuedReport
from laborcredit.reports.selectors import INVALID_CODE, report_verify
from laborcredit.reports.services import report_issue, report_verify_audited
from tests.factories import EmployerFactory
from tests.reports.helpers import pdf_fonts, pdf_text
from tests.web.helpers import penalise

pytestmark = pytest.mark.django_db

INTERNAL_CASE = "舞人社内〔2026〕88号"


@pytest.fixture
def employer():
    return EmployerFactory(name="舞钢市宏达钢构有限公司", township="尚店镇", industry_code="C33")


def test_the_report_shows_the_employer_its_grade_with_the_article_and_the_verification_code(
    employer,
):
    penalise(employer, case="舞人社监〔2026〕7号")
    report = report_issue(employer=employer, actor="officer")
    text = pdf_text(report.pdf)
    assert report.pdf.startswith(b"%PDF-")
    assert "舞钢市宏达钢构有限公司" in text and employer.uscc in text
    assert "C级（较差）" in text
    assert "第十二条" in text and "用人单位在近一年内存在以下情形之一的，评价为C级" in text
    assert "舞人社监〔2026〕7号" in text  # the public record and the history that cites it
    assert "第十七条（三）" in text  # the measures that apply to a C for a penalty
    assert report.code.replace("-", "") in text.replace("-", "")
    assert "信用等级变化" in text and "首次评价" in text


def test_a_penalty_in_the_report_says_what_was_imposed(employer):
    today = __import__("datetime").date.today()
    record_create(employer=employer, type="violation_found", date=today.replace(day=1),
                  case="舞人社监〔2026〕8号", actor="officer")  # fmt: skip
    record_create(employer=employer, type="penalty_imposed", date=today.replace(day=1),
                  case="舞人社监〔2026〕8号", actor="officer", penalty_category="警告、罚款",
                  fine_amount="12500")  # fmt: skip
    report = report_issue(employer=employer, actor="officer")
    (penalty,) = [r for r in report.content["records"] if r["type"] == "行政处罚"]
    assert penalty["penalty"] == "警告、罚款；罚款 12,500.00 元"
    text = "".join(pdf_text(report.pdf).split())  # the table cell wraps its lines
    assert "行政处罚（警告、罚款；罚款12,500.00元）" in text


def test_the_pdf_embeds_a_subset_of_the_chinese_font(employer):
    report = report_issue(employer=employer, actor="officer")
    fonts = pdf_fonts(report.pdf)
    assert fonts and all(embedded for _, embedded in fonts)
    assert all("+NotoSansCJKSC" in name for name, _ in fonts)  # "ABCDEF+" marks a subset


def test_internal_records_never_appear_in_the_report_and_the_report_says_so(employer):
    record_create(
        employer=employer,
        type="violation_found",
        date=__import__("datetime").date.today().replace(day=1),
        case=INTERNAL_CASE,
        document_number="内部文书〔2026〕1号",
        disclosure="internal",
        actor="officer",
    )
    report = report_issue(employer=employer, actor="officer")
    text = pdf_text(report.pdf)
    assert "B级（一般）" in text
    assert INTERNAL_CASE not in text and "内部文书" not in text
    assert INTERNAL_CASE not in str(report.content)
    assert "〔不公开〕" in text  # the basis names the case only as withheld
    assert "本报告只载明经授权公开的信用记录" in text
    assert "无可公开的信用记录" in text


def test_the_issued_row_keeps_what_was_shown_and_the_hash_of_the_file(employer):
    penalise(employer)
    report = report_issue(employer=employer, actor="zhang", purpose="招投标")
    row = IssuedReport.objects.get(pk=report.pk)
    assert (row.grade, row.employer_uscc, row.issued_by, row.purpose) == (
        "C",
        employer.uscc,
        "zhang",
        "招投标",
    )
    assert row.pdf_sha256 == hashlib.sha256(report.pdf).hexdigest()
    assert row.content["grade"]["code"] == "C" and row.grade_as_of is not None
    (entry,) = AuditEntry.objects.filter(event="credit_report_issue")
    assert entry.object_id == employer.uscc and entry.data["serial"] == row.serial


def test_an_issued_report_cannot_be_changed_or_deleted(employer):
    row = IssuedReport.objects.get(pk=report_issue(employer=employer, actor="officer").pk)
    row.grade = "A+"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


def test_a_too_long_purpose_is_refused_and_nothing_is_issued(employer):
    with pytest.raises(Refused) as caught:
        report_issue(employer=employer, actor="officer", purpose="用" * 201)
    assert caught.value.codes == ["purpose-too-long"]
    assert not IssuedReport.objects.exists()
    assert not AuditEntry.objects.filter(event="credit_report_issue").exists()


def test_a_missing_font_is_a_chinese_refusal_naming_the_package(employer, monkeypatch):
    import laborcredit.reports.fonts as fonts

    monkeypatch.setattr(fonts, "FOLDERS", ("/nonexistent",))
    monkeypatch.delenv("LABORCREDIT_PDF_FONT_DIR", raising=False)
    with pytest.raises(Refused) as caught:
        report_issue(employer=employer, actor="officer")
    assert caught.value.codes == ["font-missing"]
    assert "fonts-noto-cjk" in caught.value.problems[0].message
    assert not IssuedReport.objects.exists()


# ------------------------------------------------------------------ verification


def test_the_code_verifies_with_when_for_whom_and_the_grade(employer):
    report = report_issue(employer=employer, actor="officer")
    result = report_verify(report.code)
    assert result.authentic and result.still_current
    assert (result.employer_name, result.employer_uscc, result.grade) == (
        employer.name,
        employer.uscc,
        "A",
    )
    assert result.issued_at == IssuedReport.objects.get().issued_at
    assert "仍为该单位现行信用等级" in result.message


def test_a_changed_character_and_a_random_code_are_rejected(employer):
    report = report_issue(employer=employer, actor="officer")
    last = report.code[-1]
    altered = report.code[:-1] + ("0" if last != "0" else "1")
    assert report_verify(altered).message == INVALID_CODE
    assert not report_verify(altered).authentic
    assert not report_verify("ABCD-EFGH-JKMN-PQRS-TVWX").authentic


def test_still_current_turns_false_after_a_new_penalty_changes_the_grade(employer):
    report = report_issue(employer=employer, actor="officer")
    assert report_verify(report.code).still_current
    penalise(employer)
    result = report_verify(report.code)
    assert result.authentic and not result.still_current
    assert (result.grade, result.current_grade) == ("A", "C")
    assert "已不是该单位现行信用等级" in result.message


def test_each_verification_is_audited_with_its_outcome(employer):
    report = report_issue(employer=employer, actor="officer")
    report_verify_audited(code=report.code)
    report_verify_audited(code="0000-0000-0000-0000-0000")
    outcomes = list(
        AuditEntry.objects.filter(event="credit_report_verify")
        .order_by("seq")
        .values_list("outcome", flat=True)
    )
    assert outcomes == ["success", "failure"]


def test_records_shared_only_with_authorised_departments_stay_out_too(employer):
    import datetime

    record_create(
        employer=employer,
        type="arbitration_lost",
        date=datetime.date.today().replace(day=1),
        case="舞劳人仲案〔2026〕31号",
        disclosure="shared",
        actor="officer",
    )
    record_create(
        employer=employer,
        type="harmonious_certified",
        date=datetime.date.today().replace(day=1),
        actor="officer",
    )
    text = pdf_text(report_issue(employer=employer, actor="officer").pdf)
    assert "舞劳人仲案〔2026〕31号" not in text and "劳动人事争议仲裁败诉" not in text
    assert "认定为市级劳动关系和谐企业" in text  # the public record is listed
