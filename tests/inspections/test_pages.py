"""The inspection pages: list and draw form, plan page with its seed, verify, publish, download,
the result form of the drawn inspectors, and the roster. Refusals are 403, never a hidden button."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.db.models import Q

from laborcredit.inspections.models import (
    ConflictDeclaration,
    InspectionPlan,
    Inspector,
    PlannedInspection,
)
from laborcredit.inspections.services import plan_publish
from tests.accounts.helpers import entries
from tests.inspections.helpers import NEXT_YEAR, drawn_plan, graded, pool, role_user, roster
from tests.web.helpers import assert_described, assert_no_outside_assets, log_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def officer(client):
    return log_in(client, role_user("officer1", "credit_officer"))


@pytest.fixture
def plan():
    pool(2)
    roster(4)
    return drawn_plan(seed=987654321)


def test_the_list_page_shows_the_articles_the_draw_form_and_the_plans(officer, plan):
    page = officer.get("/inspections/").content.decode()
    assert "第十七条(二)" in page and "抽取（生成草稿）" in page
    assert "987654321" in page and f"第 {plan.pk} 号" in page
    assert_no_outside_assets(page)


def test_the_officer_draws_a_plan_from_the_form(officer):
    pool(1)
    roster(4)
    response = officer.post("/inspections/", {
        "kind": "year", "period": str(NEXT_YEAR.year), "seed": "",
        "rate_aplus": "0", "rate_a": "0.5", "rate_b": "2", "rate_c": "4",
    })  # fmt: skip
    plan = InspectionPlan.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/inspections/{plan.pk}/"
    assert plan.created_by == "officer1" and plan.period_start == NEXT_YEAR


def test_bad_draw_input_is_shown_beside_its_field(officer):
    pool(1)
    roster(4)
    response = officer.post("/inspections/", {
        "kind": "year", "period": "明年", "seed": "-5",
        "rate_aplus": "0", "rate_a": "半", "rate_b": "2", "rate_c": "4",
    })  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert "计划期间应写作 2027" in page
    assert InspectionPlan.objects.count() == 0


@pytest.mark.parametrize(
    "kind,period,code,message",
    [
        ("quarter", "9999Q4", "period-too-far-ahead", "计划期间最晚为明年"),
        ("quarter", "0000Q1", "period-before-in-force", "计划期间不能早于2022年第4季度"),
        ("year", "0000", "period-before-in-force", "计划期间不能早于2022年"),
        ("year", "1990", "period-before-in-force", "《办法》自2022年12月15日起施行（第二十二条）"),
        ("year", "9999", "period-too-far-ahead", "9999年的计划请到9998年再抽取"),
    ],
)
def test_a_period_out_of_range_is_refused_beside_the_field_not_a_500(
    officer, kind, period, code, message
):
    """9999Q4, 0000Q1 and 0000 gave a 500 (year 10000 / year 0 is out of range)."""
    pool(1)
    roster(4)
    response = officer.post("/inspections/", {
        "kind": kind, "period": period,
        "rate_aplus": "0", "rate_a": "0.5", "rate_b": "2", "rate_c": "4",
    })  # fmt: skip
    assert response.status_code == 400
    assert code in [e.code for e in response.context["form"].errors.as_data()["period"]]
    assert 'id="period-error"' in response.content.decode()
    assert message in response.content.decode()
    assert InspectionPlan.objects.count() == 0


def test_a_bad_rate_is_shown_beside_the_rate(officer):
    pool(1)
    roster(4)
    response = officer.post("/inspections/", {
        "kind": "year", "period": str(NEXT_YEAR.year),
        "rate_aplus": "0", "rate_a": "半", "rate_b": "2", "rate_c": "4",
    })  # fmt: skip
    assert response.status_code == 400
    assert "A级的检查频次应为数字，收到“半”" in response.content.decode()


def test_the_plan_page_shows_the_seed_and_how_anyone_can_re_run_it(officer, plan):
    page = officer.get(f"/inspections/{plan.pk}/").content.decode()
    assert '<p class="seed-value"><code>987654321</code></p>' in page
    assert "任何人用同一种子和同一输入重新抽取" in page
    first = plan.inspections.get(order=1)
    assert first.employer.name in page and first.inspector_1.label in page
    assert "公布本计划" in page


def test_verify_on_the_page_says_the_list_is_identical(officer, plan):
    response = officer.post(f"/inspections/{plan.pk}/verify/")
    assert response.status_code == 200
    assert "重新抽取结果与计划完全一致" in response.content.decode()


def test_publish_from_the_page(officer, plan):
    response = officer.post(f"/inspections/{plan.pk}/publish/")
    assert response.status_code == 303
    assert InspectionPlan.objects.get(pk=plan.pk).status == "published"
    assert "公布本计划" not in officer.get(f"/inspections/{plan.pk}/").content.decode()


def test_a_refused_publication_is_shown_at_the_top(officer, plan):
    plan_publish(plan=plan, actor="x")
    response = officer.post(f"/inspections/{plan.pk}/publish/")
    assert response.status_code == 400
    assert "已公布" in response.content.decode()


def test_the_download_is_the_plan_as_xlsx_and_is_audited(officer, plan):
    response = officer.get(f"/inspections/{plan.pk}/plan.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["计划说明", "检查名单"]
    assert entries("export")[0].actor == "officer1"


def _published_row():
    graded("C")
    roster(4)
    plan = drawn_plan(rates={"A+": 0, "A": 0, "B": 0, "C": 1})
    plan_publish(plan=plan, actor="officer")
    return plan.inspections.select_related("inspector_1__user", "inspector_2__user").get()


def test_a_drawn_inspector_enters_the_result(client):
    row = _published_row()
    log_in(client, row.inspector_1.user)
    assert "录入结果" in client.get(f"/inspections/{row.plan_id}/").content.decode()
    assert client.get(f"/inspections/results/{row.pk}/").status_code == 200
    response = client.post(f"/inspections/results/{row.pk}/", {
        "date": TODAY.isoformat(), "violation": "yes", "case": "舞人社监〔2026〕40号",
        "notes": "未签订劳动合同",
    })  # fmt: skip
    assert response.status_code == 303
    row.refresh_from_db()
    assert row.result == "violation" and row.record.type == "violation_found"


def test_a_violation_without_a_case_is_refused_beside_the_field(client):
    row = _published_row()
    log_in(client, row.inspector_2.user)
    response = client.post(f"/inspections/results/{row.pk}/",
                           {"date": TODAY.isoformat(), "violation": "yes"})  # fmt: skip
    assert response.status_code == 400
    assert "请填写案件编号" in response.content.decode()
    assert_described(response.content.decode())


def test_an_inspector_not_drawn_gets_403_on_the_result_form(client):
    row = _published_row()
    other = Inspector.objects.exclude(pk__in=[row.inspector_1_id, row.inspector_2_id]).first()
    log_in(client, other.user)
    assert client.get(f"/inspections/results/{row.pk}/").status_code == 403
    response = client.post(f"/inspections/results/{row.pk}/",
                           {"date": TODAY.isoformat(), "violation": "no"})  # fmt: skip
    assert response.status_code == 403
    assert "录入结果" not in client.get(f"/inspections/{row.plan_id}/").content.decode()


def test_the_roster_link_is_shown_only_to_who_may_open_the_roster(client, officer, plan):
    """Every inspector was shown 监察员名册与回避申报, which answered 403."""
    assert "监察员名册与回避申报" in officer.get("/inspections/").content.decode()
    inspector = plan.inspections.select_related("inspector_1__user").first().inspector_1
    log_in(client, inspector.user)
    page = client.get("/inspections/").content.decode()
    assert "监察员名册与回避申报" not in page and "/inspections/roster/" not in page
    assert "参加抽取的监察员 4 名" in page
    assert client.get("/inspections/roster/").status_code == 403
    log_in(client, role_user("leader", "leadership"))
    assert "/inspections/roster/" in client.get("/inspections/").content.decode()


def test_the_officer_cannot_enter_a_result(officer):
    row = _published_row()
    assert officer.get(f"/inspections/results/{row.pk}/").status_code == 403


def test_the_officer_adds_an_inspector_and_a_conflict_on_the_roster_page(officer):
    user = role_user("sun", "inspector")
    employer = graded("B")
    page = officer.get("/inspections/roster/").content.decode()
    assert "sun" in page and "登记入名册" in page
    assert officer.post("/inspections/roster/add/", {"user": user.pk}).status_code == 303
    inspector = Inspector.objects.get(user=user)
    response = officer.post("/inspections/roster/conflicts/", {
        "inspector": inspector.pk, "uscc": employer.uscc.lower(), "reason": "曾在该单位任职",
    })  # fmt: skip
    assert response.status_code == 303
    assert ConflictDeclaration.objects.get().employer == employer
    page = officer.get("/inspections/roster/").content.decode()
    assert "曾在该单位任职" in page


def test_a_conflict_for_an_unknown_code_is_refused_beside_the_field(officer):
    [inspector] = roster(1)
    response = officer.post("/inspections/roster/conflicts/",
                            {"inspector": inspector.pk, "uscc": "X", "reason": "亲属"})  # fmt: skip
    assert response.status_code == 400
    assert "没有统一社会信用代码为 X 的单位" in response.content.decode()


def test_the_officer_takes_an_inspector_out_of_draws(officer):
    [inspector] = roster(1)
    response = officer.post(f"/inspections/roster/{inspector.pk}/active/", {"active": "0"})
    assert response.status_code == 303
    assert Inspector.objects.get(pk=inspector.pk).active is False


def test_leadership_reads_but_does_not_draw_publish_or_change_the_roster(client, plan):
    log_in(client, role_user("leader", "leadership"))
    assert client.get(f"/inspections/{plan.pk}/").status_code == 200
    assert client.get("/inspections/roster/").status_code == 200
    assert "抽取（生成草稿）" not in client.get("/inspections/").content.decode()
    assert client.post("/inspections/", {"kind": "year"}).status_code == 403
    assert client.post(f"/inspections/{plan.pk}/publish/").status_code == 403
    assert client.post("/inspections/roster/add/").status_code == 403


def test_the_licensing_window_sees_no_plan(client, plan):
    log_in(client, role_user("window", "licensing_window"))
    assert client.get("/inspections/").status_code == 403
    assert client.get(f"/inspections/{plan.pk}/").status_code == 403


def test_the_draw_inputs_download_lets_anyone_re_run_the_draw_outside_the_system(officer, plan):
    from laborcredit.rules.inspections import draw

    response = officer.get(f"/inspections/{plan.pk}/draw.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    document = response.json()
    again = draw(
        seed=document["seed"],
        period_years=document["period_years"],
        employers=[tuple(pair) for pair in document["employers"]],
        inspectors=document["inspectors"],
        conflicts={tuple(pair) for pair in document["conflicts"]},
        last_inspectors=document["last_inspectors"],
        rates=document["rates"],
    )
    assert [i.as_row() for i in again] == document["list"]
    assert entries("export")[0].data["format"] == "json"


def test_an_inspector_lists_only_their_own_inspections_still_to_record(client):
    row = _published_row()
    log_in(client, row.inspector_1.user)
    plan = row.plan_id
    page = client.get(f"/inspections/{plan}/", {"mine": "1", "pending": "1"}).content.decode()
    assert "只看我的检查" in page and 'name="mine" value="1" checked' in page
    mine = PlannedInspection.objects.filter(plan_id=plan, result="pending").filter(
        Q(inspector_1__user=row.inspector_1.user) | Q(inspector_2__user=row.inspector_1.user)
    )
    others = PlannedInspection.objects.filter(plan_id=plan).exclude(pk__in=mine)
    assert all(i.employer.uscc in page for i in mine[:50])
    assert not any(i.employer.uscc in page for i in others)
