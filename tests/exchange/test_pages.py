"""The push page /exchange/: credit officers and leadership see it, officers retry failed items."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.exchange.models import Kind, OutboxItem, State
from tests.accounts.helpers import make_user
from tests.exchange.test_summary import outcome_item
from tests.factories import EmployerFactory
from tests.web.helpers import penalise

pytestmark = pytest.mark.django_db


def failed_item() -> OutboxItem:
    _, penalty = penalise(EmployerFactory())
    OutboxItem.objects.filter(idempotency_key=f"penalty:{penalty.pk}").update(
        state=State.FAILED, attempts=8, last_error="平台返回 HTTP 500"
    )
    return OutboxItem.objects.get(idempotency_key=f"penalty:{penalty.pk}")


@pytest.fixture
def officer(client):
    client.force_login(make_user("xinyong", "credit_officer"))
    return client


@pytest.mark.parametrize("role, status", [("credit_officer", 200), ("leadership", 200),
                                          ("inspector", 403), ("licensing_window", 403)])  # fmt: skip
def test_the_page_is_for_credit_officers_and_leadership(client, role, status):
    client.force_login(make_user("reader", role))
    assert client.get("/exchange/").status_code == status


def test_the_page_shows_failed_items_with_their_error_and_late_outcomes(officer):
    failed_item()
    late = outcome_item()
    OutboxItem.objects.filter(pk=late.pk).update(
        due_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    page = officer.get("/exchange/").content.decode()
    assert "平台返回 HTTP 500" in page and "重试" in page
    assert late.objection.number in page
    assert "连接尚未配置" in page  # no platform in the test settings


def test_the_page_says_in_chinese_whether_the_platform_connection_is_configured(officer, settings):
    page = officer.get("/exchange/").content.decode()
    assert "未设置接收地址、应用标识、签名密钥" in page and "请联系系统管理员" in page
    assert "LABORCREDIT_" not in page and "--to-file" not in page
    settings.LABORCREDIT_PLATFORM_URL = "https://platform.example/api"
    settings.LABORCREDIT_PLATFORM_APP_ID = "app"
    settings.LABORCREDIT_PLATFORM_SECRET = "s"
    page = officer.get("/exchange/").content.decode()
    assert "连接已配置" in page and "尚未配置" not in page


def test_an_officer_retries_a_failed_item(officer):
    item = failed_item()
    response = officer.post(f"/exchange/{item.pk}/retry/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.PENDING and item.attempts == 0
    again = officer.post(f"/exchange/{item.pk}/retry/", follow=True).content.decode()
    assert "只有推送失败的才能重试" in again


def test_leadership_cannot_retry_and_a_get_changes_nothing(client, officer):
    item = failed_item()
    assert officer.get(f"/exchange/{item.pk}/retry/").status_code == 405
    client.force_login(make_user("lingdao", "leadership"))
    assert client.post(f"/exchange/{item.pk}/retry/").status_code == 403
    item.refresh_from_db()
    assert item.state == State.FAILED


def test_the_dashboard_shows_failing_and_late_pushes(officer):
    failed_item()
    page = officer.get("/dashboard/").content.decode()
    assert "推送异常" in page and "失败 1 条" in page and "/exchange/" in page


def test_kinds_have_chinese_labels():
    assert Kind("penalty").label == "行政处罚（失信记录）"
