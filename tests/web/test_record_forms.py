"""/employers/<uscc>/records/…: record entry, correction and void, previewed then confirmed."""

import datetime
import re

import pytest
from django.urls import reverse

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.models import Action, CreditRecord
from laborcredit.credit.services import record_correct, record_create
from laborcredit.rating.models import EmployerGrade
from tests.factories import EmployerFactory
from tests.web.helpers import log_in, user_with

pytestmark = pytest.mark.django_db

CASE = "舞人社监〔2026〕7号"


@pytest.fixture
def officer(client):
    log_in(
        client,
        user_with("credit.view_employer", "credit.view_creditrecord", "credit.add_creditrecord"),
    )
    return client


@pytest.fixture
def employer():
    return EmployerFactory()


@pytest.fixture
def violation(employer):
    return record_create(
        employer=employer, type="violation_found", date=_days_ago(30), case=CASE, actor="officer"
    )


def _days_ago(days: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)


def _penalty(**extra):
    return {
        "type": "penalty_imposed",
        "date": _days_ago(10).isoformat(),
        "case": CASE,
        "document_number": "舞人社罚〔2026〕3号",
        "disclosure": "public",
        **extra,
    }


def _counts():
    return CreditRecord.objects.count(), AuditEntry.objects.count()


def _new_url(employer):
    return reverse("employers:record_new", args=[employer.uscc])


@pytest.mark.parametrize("route", ["record_new", "record_correct", "record_void"])
def test_a_user_without_the_permission_is_refused_with_403(client, employer, violation, route):
    log_in(client, user_with("credit.view_employer", "credit.view_creditrecord"))
    args = [employer.uscc] if route == "record_new" else [employer.uscc, violation.pk]
    url = reverse(f"employers:{route}", args=args)
    before = _counts()
    assert client.get(url).status_code == 403
    assert client.post(url, {**_penalty(), "action": "confirm", "reason": "x"}).status_code == 403
    assert _counts() == before


def test_the_entry_form_offers_the_record_types_in_chinese(officer, employer):
    page = officer.get(_new_url(employer)).content.decode()
    assert "行政处罚" in page and "违反人社法律法规行为被查处" in page and "公开范围" in page


def test_preview_of_a_penalty_shows_grade_c_and_article_12_and_writes_nothing(
    officer, employer, violation
):
    before = _counts()
    response = officer.post(_new_url(employer), {**_penalty(), "action": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "C级（较差）" in page and "第十二条" in page
    assert "确认登记" in page
    assert _counts() == before


def test_confirm_files_the_penalty_and_the_grade_becomes_c(officer, employer, violation):
    response = officer.post(_new_url(employer), {**_penalty(), "action": "confirm"})
    assert response.status_code == 302
    assert response["Location"] == reverse("employers:credit_file", args=[employer.uscc])
    record = CreditRecord.objects.get(employer=employer, type="penalty_imposed")
    assert record.entered_by == "officer" and record.document_number == "舞人社罚〔2026〕3号"
    assert EmployerGrade.objects.get(employer=employer).grade == "C"
    entry = AuditEntry.objects.filter(event="record_create").latest("pk")
    assert entry.object_id == str(record.pk)
    page = officer.get(response["Location"]).content.decode()
    assert "信用记录已登记" in page


@pytest.mark.parametrize("action", ["preview", "confirm"])
def test_a_date_in_the_future_is_shown_next_to_the_date_and_nothing_is_written(
    officer, employer, violation, action
):
    before = _counts()
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = officer.post(_new_url(employer), {**_penalty(date=future), "action": action})
    assert response.status_code == 200
    assert "晚于今天" in response.context["form"].errors["date"][0]
    assert _counts() == before


def test_a_malformed_date_is_refused_in_chinese(officer, employer):
    response = officer.post(
        _new_url(employer), {**_penalty(date="2026-13-45"), "action": "preview"}
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert "Traceback" not in response.content.decode()
    page = response.content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert described and all(f'id="{ident}"' in page for ident in described)  # read aloud


@pytest.mark.parametrize("action", ["preview", "confirm"])
def test_a_penalty_without_its_violation_is_shown_next_to_the_case(officer, employer, action):
    before = _counts()
    response = officer.post(_new_url(employer), {**_penalty(), "action": action})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "没有“违反人社法律法规行为被查处”记录" in errors["case"][0]
    page = response.content.decode()
    assert errors["case"][0] in page
    assert _counts() == before


def test_a_correction_is_previewed_then_creates_a_new_version_with_its_reason(
    officer, employer, violation
):
    url = reverse("employers:record_correct", args=[employer.uscc, violation.pk])
    page = officer.get(url).content.decode()
    assert CASE in page  # prefilled
    data = {
        "date": violation.date.isoformat(),
        "case": CASE,
        "correction_deadline": _days_ago(1).isoformat(),
        "disclosure": "public",
        "reason": "补录整改期限",
    }
    before = _counts()
    preview = officer.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200 and "确认更正" in preview.content.decode()
    assert _counts() == before
    response = officer.post(url, {**data, "action": "confirm"})
    assert response.status_code == 302
    new = CreditRecord.objects.get(supersedes=violation)
    assert new.action == Action.CORRECT and new.reason == "补录整改期限"
    assert new.version == 2 and new.correction_deadline == _days_ago(1)
    assert new.case == CASE


def test_the_correction_form_gives_its_dates_as_a_date_box_reads_them(officer, employer):
    """A date box (<input type="date">) reads only YYYY-MM-DD: given the locale's 2026/11/01 it
    came up empty, and a correction saved after retyping the date alone lost the deadline."""
    record = record_create(
        employer=employer, type="violation_found", date=_days_ago(30), case=CASE,
        correction_deadline=_days_ago(5), actor="officer",
    )  # fmt: skip
    url = reverse("employers:record_correct", args=[employer.uscc, record.pk])
    page = officer.get(url).content.decode()
    assert f'name="date" value="{_days_ago(30).isoformat()}"' in page
    assert f'name="correction_deadline" value="{_days_ago(5).isoformat()}"' in page
    assert _days_ago(30).strftime("%Y/%m/%d") not in page


def test_a_correction_needs_a_reason(officer, employer, violation):
    url = reverse("employers:record_correct", args=[employer.uscc, violation.pk])
    before = _counts()
    data = {"date": _days_ago(20).isoformat(), "case": CASE, "disclosure": "public"}
    response = officer.post(url, {**data, "action": "confirm"})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert _counts() == before


def test_correcting_a_superseded_version_shows_the_chinese_refusal(officer, employer, violation):
    record_correct(record=violation, reason="更正日期", actor="officer", date=_days_ago(29))
    url = reverse("employers:record_correct", args=[employer.uscc, violation.pk])
    before = _counts()
    data = {"date": _days_ago(20).isoformat(), "case": CASE, "disclosure": "public"}
    response = officer.post(url, {**data, "reason": "再改", "action": "confirm"})
    assert response.status_code == 200
    assert "该记录已被更正或作废，请在最新版本上操作" in response.content.decode()
    assert _counts() == before


def test_a_void_creates_a_void_version_with_its_reason(officer, employer, violation):
    url = reverse("employers:record_void", args=[employer.uscc, violation.pk])
    preview = officer.post(url, {"reason": "重复登记", "action": "preview"})
    assert preview.status_code == 200 and "确认作废" in preview.content.decode()
    response = officer.post(url, {"reason": "重复登记", "action": "confirm"})
    assert response.status_code == 302
    new = CreditRecord.objects.get(supersedes=violation)
    assert new.action == Action.VOID and new.reason == "重复登记"
    assert not CreditRecord.objects.effective().filter(employer=employer).exists()


def test_voiding_a_violation_its_penalty_rests_on_is_refused_in_chinese(
    officer, employer, violation
):
    record_create(employer=employer, type="penalty_imposed", date=_days_ago(10), case=CASE,
                  actor="officer")  # fmt: skip
    url = reverse("employers:record_void", args=[employer.uscc, violation.pk])
    before = _counts()
    response = officer.post(url, {"reason": "误录", "action": "confirm"})
    assert response.status_code == 200
    assert "作废后其他记录将失去依据" in response.content.decode()
    assert _counts() == before


def test_the_void_preview_already_refuses_what_the_void_would_refuse(officer, employer, violation):
    record_create(employer=employer, type="penalty_imposed", date=_days_ago(10), case=CASE,
                  actor="officer")  # fmt: skip
    url = reverse("employers:record_void", args=[employer.uscc, violation.pk])
    page = officer.post(url, {"reason": "误录", "action": "preview"}).content.decode()
    assert "作废后其他记录将失去依据" in page
    assert "确认作废" not in page


def test_the_correction_preview_refuses_moving_a_violation_away_from_its_penalty(
    officer, employer, violation
):
    record_create(employer=employer, type="penalty_imposed", date=_days_ago(10), case=CASE,
                  actor="officer")  # fmt: skip
    url = reverse("employers:record_correct", args=[employer.uscc, violation.pk])
    data = {"type": "violation_found", "date": violation.date.isoformat(),
            "case": "舞人社监〔2026〕999号", "disclosure": "public", "reason": "案号录错",
            "action": "preview"}  # fmt: skip
    page = officer.post(url, data).content.decode()
    assert "更正后其他记录将失去依据" in page
    assert "确认更正" not in page


def test_the_credit_file_offers_the_actions_only_with_the_permission(client, employer, violation):
    log_in(client, user_with("credit.view_employer", "credit.view_creditrecord", username="reader"))
    file_url = reverse("employers:credit_file", args=[employer.uscc])
    assert "登记信用记录" not in client.get(file_url).content.decode()
    log_in(
        client,
        user_with("credit.view_employer", "credit.view_creditrecord", "credit.add_creditrecord"),
    )
    page = client.get(file_url).content.decode()
    assert "登记信用记录" in page
    assert reverse("employers:record_void", args=[employer.uscc, violation.pk]) in page


def test_an_interview_is_not_offered_on_the_general_record_form(officer, employer):
    url = reverse("employers:record_new", args=[employer.uscc])
    page = officer.get(url).content.decode()
    assert 'value="interview_held"' not in page
    assert "约谈记录请在“约谈”页面安排和登记" in page
    before = _counts()
    data = {"type": "interview_held", "date": _days_ago(1).isoformat(), "case": CASE,
            "disclosure": "internal", "action": "confirm"}  # fmt: skip
    response = officer.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["type"]
    assert _counts() == before


def test_a_penalty_is_filed_with_its_shuang_gong_shi_details_from_the_form(
    officer, employer, violation
):
    page = officer.get(_new_url(employer)).content.decode()
    assert "处罚类别" in page and 'type="checkbox"' in page and "罚款金额（元）" in page
    details = {
        "violation_type": "未按时足额支付劳动报酬",
        "penalty_category": ["罚款", "警告"],
        "fine_amount": "3000",
        "penalty_basis": "《劳动保障监察条例》第二十六条",
        "penalty_content": "警告，罚款人民币叁仟元",
    }
    response = officer.post(_new_url(employer), {**_penalty(), **details, "action": "confirm"})
    assert response.status_code == 302
    record = CreditRecord.objects.get(employer=employer, type="penalty_imposed")
    assert (record.penalty_category, str(record.fine_amount)) == ("警告、罚款", "3000.00")
    file_page = officer.get(response["Location"]).content.decode()
    assert "处罚类别：警告、罚款" in file_page and "罚款金额：3000.00 元" in file_page


def test_a_fine_on_a_violation_is_shown_next_to_the_fine_and_nothing_is_written(officer, employer):
    before = _counts()
    data = {"type": "violation_found", "date": _days_ago(3).isoformat(), "case": "舞人社监〔2026〕9号",
            "disclosure": "public", "fine_amount": "500", "action": "confirm"}  # fmt: skip
    response = officer.post(_new_url(employer), data)
    assert response.status_code == 200
    assert "只在行政处罚记录中填写" in response.context["form"].errors["fine_amount"][0]
    assert _counts() == before


def test_a_fine_ticked_without_its_amount_is_shown_next_to_the_amount(officer, employer, violation):
    before = _counts()
    data = {**_penalty(), "penalty_category": ["罚款"], "action": "confirm"}
    response = officer.post(_new_url(employer), data)
    assert response.status_code == 200
    assert "请填写罚款金额" in response.context["form"].errors["fine_amount"][0]
    assert _counts() == before


def test_the_correction_form_shows_the_categories_ticked_and_keeps_them(
    officer, employer, violation
):
    penalty = record_create(
        employer=employer, type="penalty_imposed", date=_days_ago(10), case=CASE, actor="o",
        penalty_category="警告、罚款", fine_amount="3000",
    )  # fmt: skip
    url = reverse("employers:record_correct", args=[employer.uscc, penalty.pk])
    form = officer.get(url).context["form"]
    assert form.initial["penalty_category"] == ["警告", "罚款"]
    data = {
        "date": penalty.date.isoformat(), "case": CASE, "disclosure": "public",
        "penalty_category": ["警告", "罚款"], "fine_amount": "3000.00",
        "penalty_basis": "《劳动保障监察条例》第二十六条", "reason": "补录处罚依据",
        "action": "confirm",
    }  # fmt: skip
    assert officer.post(url, data).status_code == 302
    new = CreditRecord.objects.get(supersedes=penalty)
    assert (new.penalty_category, new.fine_amount) == ("警告、罚款", penalty.fine_amount)
    assert new.penalty_basis == "《劳动保障监察条例》第二十六条"


@pytest.mark.parametrize("action", ["preview", "confirm"])
def test_a_correction_before_the_finding_is_shown_next_to_the_date_naming_both(
    officer, employer, violation, action
):
    before = _counts()
    data = {"type": "violation_corrected", "date": _days_ago(40).isoformat(), "case": CASE,
            "disclosure": "public", "action": action}  # fmt: skip
    response = officer.post(_new_url(employer), data)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["date"]
    assert _days_ago(40).isoformat() in error and _days_ago(30).isoformat() in error
    assert _counts() == before


def test_a_deadline_before_the_finding_is_shown_next_to_the_deadline(officer, employer):
    data = {"type": "violation_found", "date": _days_ago(10).isoformat(), "case": CASE,
            "correction_deadline": _days_ago(20).isoformat(), "disclosure": "public",
            "action": "preview"}  # fmt: skip
    response = officer.post(_new_url(employer), data)
    assert "早于查处日期" in response.context["form"].errors["correction_deadline"][0]


def test_the_correction_preview_refuses_moving_a_violation_after_its_correction(
    officer, employer, violation
):
    record_create(employer=employer, type="violation_corrected", date=_days_ago(20), case=CASE,
                  actor="officer")  # fmt: skip
    url = reverse("employers:record_correct", args=[employer.uscc, violation.pk])
    data = {"type": "violation_found", "date": _days_ago(10).isoformat(), "case": CASE,
            "disclosure": "public", "reason": "日期录错", "action": "preview"}  # fmt: skip
    page = officer.post(url, data).content.decode()
    assert "更正后其他记录的日期将前后矛盾" in page
    assert "确认更正" not in page


def test_voiding_a_listing_its_removal_rests_on_says_what_the_void_would_do(officer, employer):
    import datetime

    from laborcredit.credit.services import record_void
    from laborcredit.lib.errors import Refused

    day = datetime.date.today() - datetime.timedelta(days=100)
    listed = record_create(employer=employer, type="blacklist_listed", date=day, actor="o")
    record_create(employer=employer, type="blacklist_removed", date=day + datetime.timedelta(days=9),
                  actor="o")  # fmt: skip
    with pytest.raises(Refused) as refused:
        record_void(record=listed, reason="录错", actor="o")
    assert refused.value.problems[0].message.startswith("作废后其他记录将失去依据：")
