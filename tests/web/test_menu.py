"""The menu lists what the role may open, and marks the page one is on."""

import re

import pytest

from tests.accounts.helpers import make_user

pytestmark = pytest.mark.django_db


def menu(page: str) -> list[str]:
    nav = page[
        page.index('aria-label="主菜单"') : page.index("</nav>", page.index('aria-label="主菜单"'))
    ]
    return re.findall(r">([^<>]+)</a>", nav)


def current(page: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<>]+)</a>', page)


def test_a_credit_officer_sees_the_officers_menu_with_the_current_page_marked(client):
    client.force_login(make_user("xinyong", "credit_officer"))
    page = client.get("/runs/review/").content.decode()
    assert menu(page) == [
        "统计看板", "用人单位", "等级查询", "批量导入", "年度评价", "人工复核",
        "检查计划", "约谈", "联合惩戒", "措施目录", "异议处理", "信用修复", "单位账户",
        "信息推送", "上报报表",
    ]  # fmt: skip
    assert current(page) == ["人工复核"]
    assert current(client.get("/runs/").content.decode()) == ["年度评价"]
    assert current(client.get("/measures/joint-punishment/").content.decode()) == ["联合惩戒"]
    assert current(client.get("/measures/").content.decode()) == ["措施目录"]


def test_the_licensing_window_sees_only_the_employer_list_and_the_lookup(client):
    client.force_login(make_user("chuangkou", "licensing_window"))
    page = client.get("/window/").content.decode()
    assert menu(page) == ["用人单位", "等级查询", "措施目录"]
    assert current(page) == ["等级查询"]


def test_the_audit_administrator_sees_only_the_audit_log(client):
    client.force_login(make_user("shenji", "audit_admin"))
    assert menu(client.get("/audit/").content.decode()) == ["审计日志"]


def test_an_error_page_renders_the_menu_without_a_current_item(client):
    client.force_login(make_user("jiancha", "inspector"))
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert current(response.content.decode()) == []


def test_the_system_administrator_sees_the_working_day_calendar_and_no_credit_page(client):
    client.force_login(make_user("admin1", "system_admin"))
    page = client.get("/workdays/").content.decode()
    assert menu(page) == ["接口密钥", "工作日历"]
    assert current(page) == ["工作日历"]
