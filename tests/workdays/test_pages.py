"""/workdays/: the years known and entered, and a system administrator entering a year."""

from __future__ import annotations

import pytest

from laborcredit.rules.workdays import package_years
from laborcredit.workdays.models import YearArrangement
from tests.accounts.helpers import entries, make_user
from tests.web.helpers import assert_no_outside_assets, log_in, user_with

pytestmark = pytest.mark.django_db

YEAR = max(package_years()) + 1
SOURCE = f"国务院办公厅关于{YEAR}年部分节假日安排的通知（国办发明电〔{YEAR - 1}〕7号）"


def _form(**overrides):
    values = {
        "year": str(YEAR),
        "holidays": f"{YEAR}-01-01..{YEAR}-01-03\n{YEAR}-10-01..{YEAR}-10-07",
        "workdays": f"{YEAR}-09-26、{YEAR}-10-09",
        "source": SOURCE,
    }
    return {**values, **overrides}


@pytest.fixture
def admin_client(client):
    return log_in(client, make_user("sysadmin", "system_admin"))


def test_the_page_names_the_package_years_and_a_missing_next_year(admin_client):
    page = admin_client.get("/workdays/").content.decode()
    assert f"至{max(package_years())}年的安排由 chinese-calendar 1.11.0 提供" in page
    assert "尚未录入任何年份的安排" in page
    assert_no_outside_assets(page)


def test_a_system_administrator_enters_a_year_and_sees_it_listed(admin_client):
    response = admin_client.post("/workdays/", _form())
    assert response.status_code == 302 and response["Location"] == "/workdays/"
    row = YearArrangement.objects.get()
    assert row.entered_by == "sysadmin" and len(row.holidays) == 10
    assert row.workdays == [f"{YEAR}-09-26", f"{YEAR}-10-09"]
    assert entries("year_arrangement_enter")[0].actor == "sysadmin"
    page = admin_client.get("/workdays/").content.decode()
    assert f"已录入{YEAR}年节假日安排第1版" in page and "国办发明电" in page
    assert f"{YEAR}-10-09" in page


def test_a_correction_shows_the_earlier_version(admin_client):
    admin_client.post("/workdays/", _form())
    admin_client.post("/workdays/", _form(workdays=f"{YEAR}-10-09"))
    page = admin_client.get("/workdays/").content.decode()
    assert "第2版" in page and "此前 1 个版本" in page


def test_a_weekday_makeup_day_is_refused_next_to_its_field(admin_client):
    response = admin_client.post("/workdays/", _form(workdays=f"{YEAR}-10-08"))
    page = response.content.decode()
    assert response.status_code == 400 and "调休上班日应为周六或周日" in page
    assert 'id="id_workdays_error"' in page and not YearArrangement.objects.exists()


def test_a_badly_typed_date_is_refused_in_chinese(admin_client):
    response = admin_client.post("/workdays/", _form(holidays=f"{YEAR}-02-30"))
    assert response.status_code == 400 and "不存在的日期" in response.content.decode()
    assert not YearArrangement.objects.exists()


def test_a_year_the_package_knows_is_refused_in_chinese(admin_client):
    response = admin_client.post("/workdays/", _form(year="2025", holidays="2025-10-01"))
    page = response.content.decode()
    assert response.status_code == 400 and "2025年的节假日安排已由系统内置" in page


def test_viewing_without_the_add_permission_hides_the_form_and_refuses_a_post(client):
    log_in(client, user_with("workdays.view_yeararrangement"))
    assert "录入或更正一年的安排" not in client.get("/workdays/").content.decode()
    assert client.post("/workdays/", _form()).status_code == 403
    assert not YearArrangement.objects.exists()


def test_a_credit_officer_is_refused(client):
    log_in(client, make_user("officer", "credit_officer"))
    assert client.get("/workdays/").status_code == 403
