"""The objection pages for each role: list, overdue, paper registration, detail with its one action
form, the steps through the forms, attachment downloads and the monthly report."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.models import CreditRecord
from laborcredit.objections.models import Objection
from laborcredit.objections.services import objection_accept
from laborcredit.rating.models import EmployerGrade
from tests.accounts.helpers import make_user
from tests.factories import EmployerFactory
from tests.objections.helpers import PDF, file_paper, image_bytes, penalised_employer, upload
from tests.web.helpers import assert_no_outside_assets

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    client.force_login(make_user("xinyong", "credit_officer"))
    return client


@pytest.fixture
def leader(client):
    client.force_login(make_user("lingdao", "leadership"))
    return client


@pytest.fixture
def filed():
    employer, _, penalty = penalised_employer()
    objection = file_paper(employer, [penalty], attachments=[upload("决定书.pdf", PDF)])
    return objection, penalty


def urls(objection):
    pk = objection.pk
    attachment = objection.attachments.first()
    return {
        "list": "/objections/",
        "overdue": "/objections/overdue/",
        "new": "/objections/new/",
        "detail": f"/objections/{pk}/",
        "report": "/objections/report/?month=2025-09",
        "report_xlsx": "/objections/report/xlsx/?month=2025-09",
        "attachment": f"/objections/{pk}/attachments/{attachment.pk}/",
    }


@pytest.mark.parametrize(
    "name", ["list", "overdue", "detail", "report", "report_xlsx", "attachment"]
)
@pytest.mark.parametrize("role", ["credit_officer", "leadership"])
def test_officers_and_leadership_may_read(client, filed, role, name):
    client.force_login(make_user("reader", role))
    assert client.get(urls(filed[0])[name]).status_code == 200


@pytest.mark.parametrize(
    "name", ["list", "overdue", "new", "detail", "report", "report_xlsx", "attachment"]
)
@pytest.mark.parametrize("role", ["inspector", "licensing_window", "system_admin", "audit_admin"])
def test_other_roles_are_refused(client, filed, role, name):
    client.force_login(make_user("other", role))
    assert client.get(urls(filed[0])[name]).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, filed):
    response = client.get(urls(filed[0])["detail"])
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("step", ["accept", "decide", "notify", "push"])
def test_leadership_may_not_act(leader, filed, step):
    objection = filed[0]
    response = leader.post(f"/objections/{objection.pk}/{step}/", {"version": objection.version})
    assert response.status_code == 403
    assert Objection.objects.get().state == "received"


def test_leadership_may_not_register_paper_objections(leader):
    assert leader.get("/objections/new/").status_code == 403


def test_the_list_shows_the_deadline_and_days_overdue(officer, filed):
    page = officer.get("/objections/").content.decode()
    objection = filed[0]
    assert objection.number in page and "2025-10-11" in page
    assert "已逾期" in page and "受理时确定" in page
    assert_no_outside_assets(page)
    assert objection.number in officer.get("/objections/overdue/").content.decode()
    assert objection.number not in officer.get("/objections/?state=accepted").content.decode()


def test_the_search_box_says_what_can_be_searched(officer):
    page = officer.get("/objections/").content.decode()
    assert 'placeholder="异议编号、单位名称或信用代码"' in page
    assert "可只输入一部分" in page and "统一社会信用代码的前几位" in page


def test_an_officer_finds_an_objection_by_part_of_its_number_or_name(officer, filed):
    objection = filed[0]
    other = file_paper(EmployerFactory(name="舞钢市另一家有限公司"), subject="grade")
    page = officer.get("/objections/", {"q": objection.number[-2:]}).content.decode()
    assert objection.number in page and other.number not in page
    name = objection.employer.name
    page = officer.get("/objections/overdue/", {"q": name[3:8]}).content.decode()
    assert objection.number in page and other.number not in page


@pytest.mark.parametrize(
    "query, message",
    [
        ({"q": "异" * 41}, "不能超过 40 个字符"),
        ({"q": "异议\x00"}, "不允许的控制字符"),
        ({"state": "closed"}, "所选项不在可选范围内"),
    ],
)
def test_a_bad_search_is_answered_in_chinese(officer, filed, query, message):
    response = officer.get("/objections/", query)
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert filed[0].number not in page and "没有符合条件" not in page


def test_an_officer_registers_a_paper_objection_with_attachments(officer):
    employer, _, penalty = penalised_employer()
    form = officer.get(f"/objections/new/?uscc={employer.uscc}").content.decode()
    assert "行政处罚" in form
    response = officer.post(
        "/objections/new/",
        {
            "uscc": employer.uscc, "received_on": "2025-09-30", "subject": "records",
            "records": [str(penalty.pk)], "reasons": "处罚已撤销",
            "attachments": [upload("决定.pdf", PDF), upload("照片.png", image_bytes("PNG"))],
        },
    )  # fmt: skip
    objection = Objection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/objections/{objection.pk}/"
    assert objection.channel == "paper" and objection.received_on == datetime.date(2025, 9, 30)
    assert objection.filed_by == "xinyong" and objection.attachments.count() == 2


def test_a_disguised_attachment_is_shown_next_to_the_form_and_nothing_is_filed(officer):
    employer, _, penalty = penalised_employer()
    response = officer.post(
        "/objections/new/",
        {"uscc": employer.uscc, "received_on": "2025-09-30", "subject": "records",
         "records": [str(penalty.pk)], "reasons": "x",
         "attachments": [upload("决定.pdf", b"<html><script>1</script></html>")]},
    )  # fmt: skip
    assert response.status_code == 400
    assert "不是完整的 PDF、PNG 或 JPEG 文件" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_future_receipt_date_is_refused_on_the_form(officer):
    employer, _, penalty = penalised_employer()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = officer.post(
        "/objections/new/",
        {"uscc": employer.uscc, "received_on": tomorrow.isoformat(), "subject": "records",
         "records": [str(penalty.pk)], "reasons": "x"},
    )  # fmt: skip
    assert response.status_code == 400 and "晚于今天" in response.content.decode()


def test_the_detail_shows_only_the_form_of_the_current_state(officer, filed):
    objection = filed[0]
    page = officer.get(f"/objections/{objection.pk}/").content.decode()
    assert 'id="accept"' in page and 'id="decide"' not in page
    assert "决定书.pdf" in page and "暂定" in page
    objection_accept(objection=objection, handling="self", actor="li")
    page = officer.get(f"/objections/{objection.pk}/").content.decode()
    assert 'id="decide"' in page and 'id="accept"' not in page


def test_an_officer_takes_an_upheld_objection_through_every_step(officer, filed):
    objection, penalty = filed
    employer = objection.employer
    pk = objection.pk
    assert (
        officer.post(f"/objections/{pk}/accept/", {"version": 1, "handling": "self"}).status_code
        == 302
    )
    response = officer.post(
        f"/objections/{pk}/decide/",
        {"version": 2, "outcome": "upheld", "reason": "处罚决定已被撤销",
         f"r{penalty.pk}-action": "void"},
    )  # fmt: skip
    assert response.status_code == 302
    assert CreditRecord.objects.get(supersedes=penalty).action == "void"
    assert EmployerGrade.objects.get(employer=employer).grade != "C"
    assert officer.post(f"/objections/{pk}/notify/", {"version": 3, "text": ""}).status_code == 302
    assert (
        officer.post(f"/objections/{pk}/push/", {"version": 4, "reference": "PT-1"}).status_code
        == 302
    )
    done = Objection.objects.get()
    assert done.state == "pushed" and "异议成立" in done.notice_text
    page = officer.get(f"/objections/{pk}/").content.decode()
    assert "PT-1" in page and "已作废" in page and "逾期告知" in page


def test_a_correction_through_the_decide_form_changes_the_record(officer, filed):
    objection, penalty = filed
    objection_accept(objection=objection, handling="self", actor="li")
    prefix = f"c{penalty.pk}"
    data = {"version": 2, "outcome": "upheld", "reason": "文书号有误",
            f"r{penalty.pk}-action": "correct",
            f"{prefix}-date": penalty.date.isoformat(), f"{prefix}-case": penalty.case,
            f"{prefix}-document_number": "舞人社罚〔2026〕3号", f"{prefix}-disclosure": "public"}  # fmt: skip
    assert officer.post(f"/objections/{objection.pk}/decide/", data).status_code == 302
    new = CreditRecord.objects.get(supersedes=penalty)
    assert new.action == "correct" and new.document_number == "舞人社罚〔2026〕3号"


def test_a_second_officer_on_a_stale_page_gets_a_clear_message(officer, filed):
    objection = filed[0]
    objection_accept(objection=objection, handling="verify", verify_reason="核实", actor="li")
    response = officer.post(
        f"/objections/{objection.pk}/accept/", {"version": 1, "handling": "self"}, follow=True
    )
    assert "该异议在您打开页面之后已被处理" in response.content.decode()
    assert Objection.objects.get().handling == "verify"


def test_a_refused_decision_stays_on_the_page_with_its_message(officer, filed):
    objection = filed[0]
    objection_accept(objection=objection, handling="self", actor="li")
    response = officer.post(
        f"/objections/{objection.pk}/decide/", {"version": 2, "outcome": "upheld", "reason": "x"}
    )
    assert response.status_code == 400
    assert "应至少作废或更正一条所列记录" in response.content.decode()
    assert Objection.objects.get().state == "accepted"


def test_an_attachment_downloads_with_its_sniffed_type_and_is_audited(officer):
    employer, _, penalty = penalised_employer()
    png = image_bytes("PNG")
    objection = file_paper(
        employer, [penalty], attachments=[upload("a.pdf", png, "application/pdf")]
    )
    attachment = objection.attachments.get()
    response = officer.get(f"/objections/{objection.pk}/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == png
    entry = AuditEntry.objects.filter(event="objection_step").order_by("-seq").first()
    assert entry.data["step"] == "查看附件“a.pdf”" and entry.actor == "xinyong"


def test_an_attachment_of_another_objection_is_not_found(officer, filed):
    objection = filed[0]
    other = file_paper(objection.employer, [filed[1]], attachments=[upload("b.pdf", PDF)])
    attachment = other.attachments.get()
    assert (
        officer.get(f"/objections/{objection.pk}/attachments/{attachment.pk}/").status_code == 404
    )


def test_the_monthly_report_page_and_its_xlsx(officer, filed):
    page = officer.get("/objections/report/?month=2025-09").content.decode()
    assert "2025年9月异议处理情况" in page and filed[0].number in page
    response = officer.get("/objections/report/xlsx/?month=2025-09")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert values["本月收到异议申请"] == 1 and values["尚未告知且已逾期"] == 1
    assert AuditEntry.objects.filter(event="export", object_id="objection_report:2025-09").exists()
    assert officer.get("/objections/report/?month=2025-13").status_code == 400


def _many(count: int) -> list[Objection]:
    """`count` objections of as many employers, received a day apart (newest last)."""
    first = datetime.date(2025, 9, 1)
    return [
        file_paper(
            EmployerFactory(name=f"舞钢市分页测试{n:03d}有限公司"), subject="grade",
            received_on=first + datetime.timedelta(days=n),
        )
        for n in range(count)
    ]  # fmt: skip


def test_the_list_shows_fifty_a_page_newest_first_with_the_filters_kept(officer):
    from laborcredit.objections.selectors import PAGE_SIZE

    made = _many(PAGE_SIZE + 3)
    newest_first = [o.number for o in reversed(made)]
    page = officer.get("/objections/").content.decode()
    assert "共 53 件，第 1 / 2 页" in page
    assert all(n in page for n in newest_first[:PAGE_SIZE])
    assert not any(n in page for n in newest_first[PAGE_SIZE:])
    assert 'href="?page=2" rel="next"' in page and 'rel="prev"' not in page
    second = officer.get("/objections/", {"page": 2}).content.decode()
    assert all(n in second for n in newest_first[PAGE_SIZE:])
    assert not any(n in second for n in newest_first[:PAGE_SIZE])
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second
    # A filter is kept on the page links; a page past the last, or no number, shows a real page.
    filtered = officer.get("/objections/", {"q": "分页测试", "state": "received"})
    assert 'href="?q=%E5%88%86%E9%A1%B5%E6%B5%8B%E8%AF%95&amp;state=received&amp;page=2"' in (
        filtered.content.decode()
    )
    assert newest_first[-1] in officer.get("/objections/", {"page": 99}).content.decode()
    assert officer.get("/objections/", {"page": "二"}).status_code == 200


def test_a_page_counts_the_deadlines_of_its_own_objections_only(officer, monkeypatch):
    """第二十条's working-day deadlines are counted for the objections shown, not every one."""
    from laborcredit.objections import selectors

    _many(7)
    counted = []
    real = selectors.objection_view
    monkeypatch.setattr(
        selectors, "objection_view", lambda o, **kw: counted.append(o.pk) or real(o, **kw)
    )
    page = selectors.objection_page(page=2, size=3)
    assert (page.total, page.number, page.pages, page.previous, page.next) == (7, 2, 3, 1, 3)
    assert len(page.views) == 3 and len(counted) == 3
    overdue = selectors.objection_page(overdue=True, size=3, page=3)
    assert overdue.number == overdue.pages and overdue.total == len(
        selectors.objection_list(overdue=True)
    )
