"""/repair/ and /repair/<uscc>/: the due list and the repair file for each role; the adjust
button (POST) for credit officers only; a bad date answered in Chinese beside the field."""

from __future__ import annotations

import pytest

from laborcredit.audit.models import AuditEntry
from laborcredit.repair.models import RepairAdjustment
from laborcredit.rules.workdays import package_years
from laborcredit.workdays.selectors import calendar
from tests.accounts.helpers import make_user
from tests.factories import EmployerFactory
from tests.repair.helpers import CASE, DAY, graded_on, penalised
from tests.web.helpers import assert_no_outside_assets, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    return log_in(client, make_user("officer1", "credit_officer"))


@pytest.fixture
def leader(client):
    return log_in(client, make_user("leader1", "leadership"))


def test_the_due_list_shows_the_sections_days_left_and_links_to_the_credit_file(officer):
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    response = officer.get(f"/repair/?as_of={(end + DAY).isoformat()}")
    page = response.content.decode()
    assert response.status_code == 200
    for title in ("待调整（含逾期）", "即将期满", "待补充证据"):
        assert title in page
    assert f'href="/employers/{employer.uscc}/"' in page
    assert f'href="/repair/{employer.uscc}/"' in page
    deadline = calendar().add_working_days(end, 5)
    assert deadline.date.isoformat() in page
    days_left = calendar().working_days_between(end + DAY, deadline.date)
    assert f"{days_left} 个工作日" in page
    assert ("暂定" in page) == deadline.provisional
    assert_no_outside_assets(page)


def test_a_provisional_deadline_is_marked_with_its_reason(officer):
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    deadline = calendar().add_working_days(end, 5)
    if not deadline.provisional:
        pytest.skip("every year of this deadline has an arrangement")
    page = officer.get(f"/repair/?as_of={(end + DAY).isoformat()}").content.decode()
    assert "暂定" in page and f"{max(package_years()) + 1}年的节假日安排尚未公布或录入" in page


def test_an_overdue_adjustment_is_flagged(officer):
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    late = calendar().add_working_days(end, 5).date + DAY
    page = officer.get(f"/repair/?as_of={late.isoformat()}").content.decode()
    assert "已逾期" in page


def test_a_bad_date_is_answered_in_chinese_beside_the_field(officer):
    response = officer.get("/repair/?as_of=2026-02-30")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error" role="alert"' in page and "2026-02-30" in page
    assert officer.get("/repair/?as_of=yesterday").status_code == 400


def test_the_repair_file_shows_cases_evidence_remaining_and_the_change_dates(officer):
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200, fulfilled_after=None)
    page = officer.get(f"/repair/{employer.uscc}/").content.decode()
    assert CASE in page
    assert f"履行行政处罚决定（案件 {CASE}）" in page
    assert "违法行为已纠正" in page  # the evidence record
    assert end.isoformat() in page  # cycle end, and the date completing today would give
    assert "无（尚缺修复证据或仍有其他情形）" in page
    assert "调整信用等级</button>" not in page


def test_an_officer_adjusts_from_the_repair_file_and_sees_the_recorded_adjustment(officer):
    employer = EmployerFactory()
    end = penalised(employer, days_ago=400, regrade=False)
    graded_on(employer, end - DAY)
    page = officer.get(f"/repair/{employer.uscc}/").content.decode()
    assert "调整信用等级</button>" in page and 'name="late_reason"' in page  # long overdue
    refused = officer.post(f"/repair/{employer.uscc}/adjust/", {"late_reason": "  "})
    assert refused.status_code == 400 and "请填写逾期原因" in refused.content.decode()
    assert not RepairAdjustment.objects.exists()
    response = officer.post(f"/repair/{employer.uscc}/adjust/", {"late_reason": "证据补交延误"})
    assert response.status_code == 302 and response["Location"] == f"/repair/{employer.uscc}/"
    adjustment = RepairAdjustment.objects.get(employer=employer)
    assert adjustment.adjusted_by == "officer1"
    page = officer.get(f"/repair/{employer.uscc}/").content.decode()
    assert "officer1 于" in page and "C级 → A级" in page
    assert AuditEntry.objects.filter(event="repair_adjust").count() == 1


def test_a_refused_adjustment_shows_the_reason_and_changes_nothing(officer):
    employer = EmployerFactory()
    penalised(employer, days_ago=200)
    response = officer.post(f"/repair/{employer.uscc}/adjust/")
    assert response.status_code == 400
    assert "评价周期尚未期满" in response.content.decode()
    assert not RepairAdjustment.objects.exists()


def test_leadership_reads_but_cannot_adjust(leader):
    employer = EmployerFactory()
    end = penalised(employer, days_ago=400, regrade=False)
    graded_on(employer, end - DAY)
    assert leader.get("/repair/").status_code == 200
    page = leader.get(f"/repair/{employer.uscc}/").content.decode()
    assert "调整信用等级</button>" not in page and "待调整" in page
    assert leader.post(f"/repair/{employer.uscc}/adjust/").status_code == 403
    assert not RepairAdjustment.objects.exists()


@pytest.mark.parametrize("role", ["inspector", "licensing_window", "audit_admin", "system_admin"])
def test_other_roles_are_refused(client, role):
    employer = EmployerFactory()
    log_in(client, make_user(f"u-{role}", role))
    assert client.get("/repair/").status_code == 403
    assert client.get("/repair/awaiting/").status_code == 403
    assert client.get(f"/repair/{employer.uscc}/").status_code == 403
    assert client.post(f"/repair/{employer.uscc}/adjust/").status_code == 403


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get("/repair/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_credit_code_is_404(officer):
    assert officer.get("/repair/91410481MA0000000X/").status_code == 404


def test_the_adjust_url_takes_no_get(officer):
    employer = EmployerFactory()
    assert officer.get(f"/repair/{employer.uscc}/adjust/").status_code == 405


def test_each_section_is_paged_on_its_own_and_says_when_the_system_left_c(officer, monkeypatch):
    from laborcredit.repair import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    employers = [EmployerFactory() for _ in range(3)]
    ends = {penalised(employer, days_ago=400) for employer in employers}
    (end,) = ends
    first = officer.get("/repair/").content.decode()
    assert "待调整（含逾期）（3 家）" in first and 'href="?due_page=2#due"' in first
    second = officer.get("/repair/", {"due_page": "2"}).content.decode()
    on_first = {e.uscc for e in employers if f'href="/repair/{e.uscc}/"' in first}
    on_second = {e.uscc for e in employers if f'href="/repair/{e.uscc}/"' in second}
    assert len(on_first) == 2 and len(on_second) == 1 and not on_first & on_second
    # Time has already taken them out of C: the list says since when, from the repair's dates.
    assert f"系统已于 {end.isoformat()} 按时间推移调出C级" in first


def test_the_evidence_missing_list_has_its_own_page_and_keeps_the_date(officer):
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200, corrected_after=None)
    as_of = (end - 40 * DAY).isoformat()
    due = officer.get("/repair/", {"as_of": as_of}).content.decode()
    assert f'href="/repair/awaiting/?as_of={as_of}"' in due
    assert f'href="/repair/{employer.uscc}/"' not in due  # not due, not ending within 30 days
    awaiting = officer.get("/repair/awaiting/", {"as_of": as_of})
    page = awaiting.content.decode()
    assert awaiting.status_code == 200 and "待补充证据（1 家）" in page
    assert f'href="/repair/{employer.uscc}/"' in page and f"纠正违法行为（案件 {CASE}）" in page
    assert "待调整（含逾期）（" not in page
    assert officer.get("/repair/awaiting/", {"as_of": "2026-02-30"}).status_code == 400
