"""Dates outside the 办法's days get a Chinese refusal beside the field, never a server error
(found by a QA walk: the year 0, 9999-12-31, a date before 2022-12-15, a period not begun)."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laborcredit.lib.errors import Refused
from tests.accounts.helpers import make_user
from tests.objections.helpers import file_paper, penalised_employer

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(make_user("xinyong", "credit_officer"))
    return client


@pytest.mark.parametrize("as_of", ["2021-01-01", "2022-12-14", "0001-01-01", "9999-12-31"])
def test_the_repair_due_list_refuses_a_date_outside_the_banfa(officer, as_of):
    response = officer.get(f"/repair/?as_of={as_of}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "施行日期" in page or "不能晚于" in page


@pytest.mark.parametrize("as_of", ["2021-01-01", "9999-12-31"])
def test_the_repair_command_refuses_a_date_outside_the_banfa(as_of):
    with pytest.raises(CommandError) as refused:
        call_command("repair", "due", "--as-of", as_of)
    assert refused.value.returncode == 2


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "2021-05"])
def test_the_objection_report_refuses_a_month_outside_the_banfa(officer, month):
    for url in ("/objections/report/", "/objections/report/xlsx/"):
        response = officer.get(f"{url}?month={month}")
        assert response.status_code == 400, url
        assert "2022-12 至 2099-12" in response.content.decode()


def test_the_objection_report_without_a_month_shows_this_month(officer):
    response = officer.get("/objections/report/")
    assert response.status_code == 200
    assert "这个字段是必填项" not in response.content.decode()


def test_a_paper_objection_received_before_the_banfa_is_refused():
    employer, _, penalty = penalised_employer()
    with pytest.raises(Refused) as refused:
        file_paper(employer, [penalty], received_on=datetime.date(1999, 1, 1))
    assert refused.value.codes == ["date-before-in-force"]


def test_a_superior_report_for_a_period_not_begun_is_refused(officer):
    year = datetime.date.today().year + 1
    response = officer.get(f"/reports/superior.xlsx?period=month&year={year}&number=1")
    assert response.status_code == 400
    assert "尚未开始" in response.content.decode()
