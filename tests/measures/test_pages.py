"""The measures pages: catalogue with history, interviews in the browser, the credit file's measures."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.measures.models import Interview, LocalMeasure
from laborcredit.measures.services import local_measure_add
from tests.accounts.helpers import make_user
from tests.measures.helpers import CASE, TODAY, graded_a, penalised
from tests.web.helpers import assert_no_outside_assets

pytestmark = pytest.mark.django_db

LOCAL = {
    "item": "第十五条（三）",
    "title": "就业补贴绿色通道",
    "legal_basis": "《河南省就业补助资金管理办法》（豫财社〔2023〕8号）",
    "in_force_from": "2025-03-01",
}


@pytest.fixture
def officer(client):
    client.force_login(make_user("xinyong", "credit_officer"))
    return client


def test_the_catalogue_quotes_the_articles_and_shows_the_local_history(client):
    measure = local_measure_add(**{**LOCAL, "in_force_from": datetime.date(2025, 3, 1)}, actor="o")
    from laborcredit.measures.services import local_measure_retire

    local_measure_retire(
        measure=measure, retired_from=datetime.date(2026, 1, 1), reason="文件失效", actor="o"
    )
    client.force_login(make_user("chuangkou", "licensing_window"))
    page = client.get("/measures/").content.decode()
    assert "在办理行政许可过程中，根据实际情况减少对其采取承诺制审批等便利化措施的范围" in page
    assert "应当按照法律法规规定进行联合惩戒" in page
    assert "就业补贴绿色通道" in page and "2026-01-01起" in page and "已停止适用" in page
    assert "登记其他激励措施" not in page  # the window may view, not add
    assert "见其信用档案" not in page and 'href="/window/"' in page  # no page it cannot open
    assert_no_outside_assets(page)


def test_an_officer_adds_a_local_measure_from_the_catalogue(officer):
    response = officer.post("/measures/local/", LOCAL)
    assert response.status_code == 302
    assert LocalMeasure.objects.get().title == "就业补贴绿色通道"
    assert "其他激励措施已登记" in officer.get("/measures/").content.decode()


def test_a_refused_measure_is_shown_next_to_its_field(officer):
    response = officer.post("/measures/local/", {**LOCAL, "legal_basis": "", "item": "第十六条"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "这个字段是必填项" in page or "不能为空" in page
    assert not LocalMeasure.objects.exists()


def test_retiring_from_the_page_and_a_refusal_in_chinese(officer):
    measure = local_measure_add(**{**LOCAL, "in_force_from": datetime.date(2025, 3, 1)}, actor="o")
    early = officer.post(
        f"/measures/local/{measure.pk}/retire/", {"retired_from": "2025-01-01", "reason": "x"}
    )
    assert early.status_code == 400 and "停止适用日期应晚于施行日期" in early.content.decode()
    # What was typed stays beside the refusal.
    assert 'name="retired_from" value="2025-01-01"' in early.content.decode()
    assert 'name="reason" value="x"' in early.content.decode()
    done = officer.post(
        f"/measures/local/{measure.pk}/retire/", {"retired_from": "2026-05-01", "reason": "废止"}
    )
    assert done.status_code == 302
    assert LocalMeasure.objects.get().retired_from == datetime.date(2026, 5, 1)


def test_an_inspector_may_not_add_or_retire(client):
    client.force_login(make_user("jiancha", "inspector"))
    assert client.post("/measures/local/", LOCAL).status_code == 403
    assert not LocalMeasure.objects.exists()


def test_the_credit_file_and_the_window_show_the_local_measures_in_force(officer):
    local_measure_add(**{**LOCAL, "in_force_from": datetime.date(2025, 3, 1)}, actor="o")
    employer = graded_a()
    page = officer.get(f"/employers/{employer.uscc}/").content.decode()
    assert "就业补贴绿色通道" in page and "豫财社〔2023〕8号" in page
    window = officer.get("/window/", {"code": employer.uscc}).content.decode()
    assert "就业补贴绿色通道" in window


def test_an_officer_schedules_records_and_the_credit_file_shows_the_interview(officer):
    employer = penalised(legal_rep_name="张三明")
    listing = officer.get("/measures/interviews/").content.decode()
    assert employer.name in listing and "安排约谈" in listing
    form = officer.get(f"/measures/interviews/new/{employer.uscc}/").content.decode()
    assert CASE in form and 'value="张三明"' in form
    response = officer.post(
        f"/measures/interviews/new/{employer.uscc}/",
        {"case": CASE, "scheduled_on": TODAY().isoformat(), "place": "市人社局",
         "principal": "张三明", "responsible_persons": "李四"},
    )  # fmt: skip
    interview = Interview.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{interview.pk}/")
    response = officer.post(
        f"/measures/interviews/{interview.pk}/record/",
        {"held_on": TODAY().isoformat(), "attendees": "张三明、李四", "statement": "责令整改",
         "undertakings": "按期整改"},
    )  # fmt: skip
    assert response.status_code == 302
    detail = officer.get(f"/measures/interviews/{interview.pk}/").content.decode()
    assert "已约谈" in detail and "已记入信用记录" in detail
    assert (
        employer.name
        not in officer.get("/measures/interviews/").content.decode().split("约谈记录")[0]
    )
    credit_file = officer.get(f"/employers/{employer.uscc}/").content.decode()
    assert "约谈" in credit_file and "按期整改" in credit_file and "C级" in credit_file


def test_a_refused_schedule_is_answered_next_to_its_field(officer):
    employer = penalised()
    response = officer.post(
        f"/measures/interviews/new/{employer.uscc}/",
        {"case": CASE, "scheduled_on": TODAY().isoformat(), "place": " ", "principal": "张三"},
    )
    assert response.status_code == 400 and "约谈地点" in response.content.decode()
    assert not Interview.objects.exists()


def test_an_inspector_sees_interviews_with_names_masked_and_cannot_record(client):
    from laborcredit.measures.services import interview_schedule

    employer = penalised()
    interview = interview_schedule(
        employer=employer, case=CASE, scheduled_on=TODAY(), place="市人社局",
        principal="张三明", responsible_persons="李四光", actor="officer",
    )  # fmt: skip
    client.force_login(make_user("jiancha", "inspector"))
    detail = client.get(f"/measures/interviews/{interview.pk}/").content.decode()
    assert "张*明" in detail and "李*光" in detail and "张三明" not in detail
    assert "记录约谈情况" not in detail
    post = client.post(f"/measures/interviews/{interview.pk}/cancel/", {"reason": "x"})
    assert post.status_code == 403
    assert Interview.objects.get().status == "scheduled"


def test_cancelling_from_the_page(officer):
    from laborcredit.measures.services import interview_schedule

    interview = interview_schedule(
        employer=penalised(), case=CASE, scheduled_on=TODAY(), place="市人社局",
        principal="张三明", actor="officer",
    )  # fmt: skip
    refused = officer.post(f"/measures/interviews/{interview.pk}/cancel/", {"reason": ""})
    assert refused.status_code == 400
    assert (
        officer.post(f"/measures/interviews/{interview.pk}/cancel/", {"reason": "改期"}).status_code
        == 302
    )
    assert Interview.objects.get().status == "cancelled"
