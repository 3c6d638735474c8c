"""The audit viewer at /audit/ (issue 4 "Audit", AC1 三员分立, AU1: queries are audited)."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from laborcredit.audit.context import acting_as
from laborcredit.audit.models import AuditEntry
from laborcredit.audit.services import audit_append
from tests.accounts.helpers import entries, make_user
from tests.audit.helpers import Attacker, append_entries

pytestmark = pytest.mark.django_db

LIST = "/audit/"
VERIFY = "/audit/verify/"


def logged_in_as(client, *roles, username="auditor"):  # type: ignore[no-untyped-def]
    user = make_user(username, *roles)
    client.force_login(user)
    return client


def seqs_on(page: str) -> list[int]:
    return [int(s) for s in re.findall(r'<tr class="outcome-\w+">\s*<td>(\d+)</td>', page)]


def id_number(first17: str) -> str:
    """A resident ID number with a valid check digit (GB 11643)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


# ------------------------------------------------------------------ permissions


def test_the_audit_administrator_sees_the_audit_log_and_nothing_else(client):
    logged_in_as(client, "audit_admin")
    response = client.get(LIST)
    assert response.status_code == 200
    assert "审计日志" in response.content.decode()
    assert client.get("/employers/").status_code == 403
    assert client.get("/accounts/users/").status_code == 403


def test_a_credit_officer_is_refused_the_audit_log(client):
    logged_in_as(client, "credit_officer", username="officer")
    assert client.get(LIST).status_code == 403
    assert client.post(VERIFY).status_code == 403
    assert entries("audit_query") == []
    assert entries("audit_verify") == []


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "inspector", "leadership"])
def test_other_roles_are_refused(client, role):
    logged_in_as(client, role, username="other")
    assert client.get(LIST).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.post(VERIFY).status_code == 302


def test_the_nav_link_shows_only_to_the_audit_administrator(client):
    logged_in_as(client, "audit_admin")
    assert 'href="/audit/"' in client.get(LIST).content.decode()
    client.logout()
    logged_in_as(client, "credit_officer", username="officer")
    assert 'href="/audit/"' not in client.get("/employers/").content.decode()


# ------------------------------------------------------------------ the list


def test_rows_are_newest_first_in_chinese_with_shanghai_time(client):
    made = append_entries(3)
    logged_in_as(client, "audit_admin")
    page = client.get(LIST).content.decode()
    shown = seqs_on(page)
    assert shown == sorted(shown, reverse=True)
    assert [seq for seq in shown if seq in {e.seq for e in made}] == [e.seq for e in made[::-1]]
    last = made[2]
    assert "张三新增了信用记录 3" in page
    assert (
        last.ts.astimezone(datetime.timezone(datetime.timedelta(hours=8))).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
        in page
    )
    assert "信用管理员" in page  # the role's label
    assert "10.0.0.8" in page
    assert f"{last.hash[:12]}…" in page
    assert last.request_id in page


def test_filters_narrow_the_results(client):
    append_entries(3)
    append_entries(2, actor="李四")
    logged_in_as(client, "audit_admin")

    by_actor = seqs_on(client.get(LIST, {"actor": "李四"}).content.decode())
    assert len(by_actor) == 2
    assert set(by_actor) == set(
        AuditEntry.objects.filter(actor="李四").values_list("seq", flat=True)
    )

    by_event = seqs_on(client.get(LIST, {"event": "record_create"}).content.decode())
    assert len(by_event) == 5

    by_object = client.get(LIST, {"event": "record_create", "object": "2"}).content.decode()
    assert len(seqs_on(by_object)) == 2  # object_id "2" of each actor

    assert seqs_on(client.get(LIST, {"outcome": "failure"}).content.decode()) == []

    today = timezone.localdate()  # the dates the list prints: Beijing time
    in_range = {"event": "record_create", "date_from": str(today), "date_to": str(today)}
    assert len(seqs_on(client.get(LIST, in_range).content.decode())) == 5
    yesterday = str(today - datetime.timedelta(days=1))
    past = {"date_from": yesterday, "date_to": yesterday}
    assert seqs_on(client.get(LIST, past).content.decode()) == []


def test_an_entry_is_found_under_the_date_printed_beside_it(client):
    """05:49 Beijing time on 8 December is 21:49 UTC on the 7th: listed, and found, on the 8th."""
    moment = datetime.datetime(2026, 12, 7, 21, 49, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment), transaction.atomic():
        entry = audit_append(event="record_create", object_type="record", object_id="7")
    logged_in_as(client, "audit_admin")
    on_the_8th = client.get(LIST, {"date_from": "2026-12-08", "date_to": "2026-12-08"})
    assert entry.seq in seqs_on(on_the_8th.content.decode())
    assert "2026-12-08 05:49" in on_the_8th.content.decode()
    on_the_7th = client.get(LIST, {"date_from": "2026-12-07", "date_to": "2026-12-07"})
    assert entry.seq not in seqs_on(on_the_7th.content.decode())


def test_bad_filters_are_refused_and_not_listed(client):
    logged_in_as(client, "audit_admin")
    assert client.get(LIST, {"date_from": "gestern"}).status_code == 400
    assert client.get(LIST, {"event": "nonsense"}).status_code == 400
    assert client.get(LIST, {"before": "x"}).status_code == 400


def test_a_start_date_after_the_end_date_is_said_in_chinese_and_the_dates_are_kept(client):
    logged_in_as(client, "audit_admin")
    response = client.get(LIST, {"date_from": "2026-12-09", "date_to": "2026-12-01"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "起始日期 2026-12-09 晚于截止日期 2026-12-01" in page
    assert "没有符合条件" not in page
    assert 'value="2026-12-09"' in page and 'value="2026-12-01"' in page


def test_command_line_api_and_portal_actors_read_as_chinese(client):
    with acting_as(actor="cli:root", role="system", address="local"), transaction.atomic():
        audit_append(event="record_create", object_type="credit_record", object_id="1")
    with acting_as(actor="api:法院 执行系统", role="接口", address="10.0.0.9"):
        with transaction.atomic():
            audit_append(
                event="api_call",
                object_type="api_key",
                object_id="abc123",
                data={"department": "法院 执行系统", "endpoint": "employer-measures",
                      "method": "GET", "status": 200, "employer_count": 1},
            )  # fmt: skip
    with acting_as(actor="employer:91410481MATTX6JDDG", address="10.0.0.7"):
        with transaction.atomic():
            audit_append(event="logout", object_type="user", object_id="x")
    logged_in_as(client, "audit_admin")
    page = client.get(LIST).content.decode()
    for shown in ("命令行（root）", "系统任务", "本机", "数据接口（法院 执行系统）",
                  "调用了接口“查询适用措施”", "用人单位（门户账号 91410481MATTX6JDDG）"):  # fmt: skip
        assert shown in page
    for raw in (
        "cli:root",
        "api:法院",
        "employer:9141",
        "employer-measures",
        ">system<",
        ">local<",
    ):
        assert raw not in page
    # What is stored is left as it was: the chain hashes it.
    assert AuditEntry.objects.filter(actor="cli:root", role="system", address="local").exists()


def test_a_failed_login_names_no_user_and_says_failed_once(client):
    with acting_as(actor="", address="10.0.0.5"), transaction.atomic():
        audit_append(
            event="login_failed",
            object_type="user",
            object_id="xinyong",
            outcome="failure",
            data={"factor": "password"},
        )
    logged_in_as(client, "audit_admin")
    page = client.get(LIST).content.decode()
    row = re.search(r'<tr class="outcome-failure">(.*?)</tr>', page, re.S).group(1)
    assert "未登录访客" in row and "系统" not in row
    assert "账号 xinyong 登录失败：账号或密码错误" in row
    assert row.count("失败") == 2  # the sentence's 登录失败, and the outcome column


def test_pagination_walks_every_entry_once(client):
    append_entries(250)
    logged_in_as(client, "audit_admin")
    existing = set(AuditEntry.objects.values_list("seq", flat=True))
    seen: list[int] = []
    url = LIST
    pages = 0
    while url:
        response = client.get(url)
        page = response.content.decode()
        shown = seqs_on(page)
        assert len(shown) <= 100
        seen.extend(shown)
        pages += 1
        found = re.search(r'<a href="(\?[^"]*)" rel="next">', page)
        url = LIST + found.group(1).replace("&amp;", "&") if found else ""
    assert pages == 3
    assert len(seen) == len(set(seen))
    assert set(seen) == existing  # the page views' own audit_query entries come later
    assert seen == sorted(seen, reverse=True)


def test_pagination_keeps_the_filters(client):
    append_entries(120)
    append_entries(5, actor="李四")
    logged_in_as(client, "audit_admin")
    page = client.get(LIST, {"actor": "张三"}).content.decode()
    assert len(seqs_on(page)) == 100
    link = re.search(r'<a href="(\?[^"]*)" rel="next">', page).group(1).replace("&amp;", "&")
    second = seqs_on(client.get(LIST + link).content.decode())
    assert len(second) == 20


def test_each_list_view_writes_one_audit_query_entry_naming_its_filters(client):
    logged_in_as(client, "audit_admin")
    client.get(LIST)
    assert len(entries("audit_query")) == 1
    client.get(LIST, {"actor": "张三", "event": "login", "before": "99"})
    queries = entries("audit_query")
    assert len(queries) == 2
    assert queries[0].data == {"filters": {}}
    assert queries[1].data == {"filters": {"actor": "张三", "event": "login", "before": "99"}}
    assert queries[1].actor == "auditor"
    assert queries[1].role == "audit_admin"
    assert queries[1].object_type == "audit_log"


def test_an_id_number_in_a_filter_is_logged_masked(client):
    logged_in_as(client, "audit_admin")
    number = id_number("41048219900101123")
    assert client.get(LIST, {"object": number}).status_code == 200
    assert number not in str(entries("audit_query")[0].data)


# ------------------------------------------------------------------ verification


def test_the_list_does_not_verify_the_chain(client):
    logged_in_as(client, "audit_admin")
    page = client.get(LIST).content.decode()
    assert "核验审计日志" in page
    assert "完整：" not in page
    assert entries("audit_verify") == []


def test_verify_needs_post(client):
    logged_in_as(client, "audit_admin")
    assert client.get(VERIFY).status_code == 405


def test_verify_shows_intact_and_then_the_tampering(client):
    made = append_entries(3)
    logged_in_as(client, "audit_admin")
    length = AuditEntry.objects.count()
    head = AuditEntry.objects.order_by("-seq").values_list("hash", flat=True).first()
    page = client.post(VERIFY).content.decode()
    assert "完整" in page
    assert f"共 {length} 条" in page
    assert head[:16] in page
    assert len(entries("audit_verify")) == 1
    assert entries("audit_verify")[0].outcome == "success"

    Attacker().update(made[1].seq, actor="李四")
    page = client.post(VERIFY).content.decode()
    assert "审计日志不完整" in page
    assert f"第 {made[1].seq} 条的内容与其哈希不符" in page
    assert "完整：" not in page
    assert entries("audit_verify")[-1].outcome == "failure"


def test_verify_warns_while_no_checkpoint_is_signed_and_not_after(client, audit_files):
    from laborcredit.audit.services import audit_checkpoint

    append_entries(2)
    logged_in_as(client, "audit_admin")
    page = client.post(VERIFY).content.decode()
    assert "完整" in page and "尚无签名检查点" in page
    audit_checkpoint()
    page = client.post(VERIFY).content.decode()
    assert "已核对签名检查点 1 个" in page and "尚无签名检查点" not in page


def test_verify_is_csrf_protected():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    logged_in_as(client, "audit_admin")
    assert client.post(VERIFY).status_code == 403
    assert entries("audit_verify") == []
    page = client.get(LIST).content.decode()
    assert "csrfmiddlewaretoken" in page


def test_the_user_and_object_filters_accept_what_the_page_shows(client):
    with acting_as(actor="cli:root", role="system", address="local"), transaction.atomic():
        audit_append(event="record_create", object_type="credit_record", object_id="41")
    append_entries(2)
    logged_in_as(client, "audit_admin")
    for typed in ("命令行（root）", "命令行", "cli:root"):
        page = client.get(LIST, {"actor": typed, "event": "record_create"}).content.decode()
        assert len(seqs_on(page)) == 1, typed
    page = client.get(LIST, {"object": "信用记录", "event": "record_create"}).content.decode()
    assert len(seqs_on(page)) == 1
