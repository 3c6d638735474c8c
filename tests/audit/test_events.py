"""The one list of events (AU1) and render(): a Chinese sentence on one line."""

from __future__ import annotations

import string
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laborcredit.audit.events import EVENTS, one_line, render

REQUIRED = (
    "login login_failed logout lockout password_change role_change user_create user_disable "
    "employer_create employer_update personal_info_view record_create record_correct record_void "
    "grade_change review_decision evaluation_run_create evaluation_run_approve import_run export "
    "audit_query audit_verify audit_checkpoint push_sent objection_step"
).split()


def entry(event="record_create", **fields):
    values = {
        "actor": "张三",
        "role": "credit_officer",
        "address": "10.0.0.1",
        "object_type": "sample",
        "object_id": "17",
        "outcome": "success",
        "data": {},
    }
    return SimpleNamespace(event=event, **(values | fields))


def test_every_event_au1_names_is_in_the_list():
    assert set(REQUIRED) <= set(EVENTS)


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_every_event_renders_as_a_chinese_sentence_without_leftover_braces(name):
    sentence = render(entry(name))
    assert sentence
    assert "{" not in sentence and "}" not in sentence
    assert any("\u4e00" <= ch <= "\u9fff" for ch in sentence)


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_every_template_names_only_plain_fields(name):
    for _, field, spec, conversion in string.Formatter().parse(EVENTS[name].template):
        if field is not None:
            assert field.isidentifier() and not spec and conversion is None


def test_a_record_create_reads_as_the_officer_adding_the_record():
    assert render(entry()) == "张三新增了信用记录 17"


def test_the_system_is_named_when_there_is_no_actor():
    assert render(entry("grade_change", actor="", data={"from": "A", "to": "B"})).startswith(
        "用人单位 17 的信用等级由 A 变为 B"
    )
    assert render(entry("evaluation_run_create", actor="")) == "系统生成了第 17 次评价"


def test_a_failure_or_denial_says_so():
    assert render(entry(outcome="failure")).endswith("（失败）")
    assert render(entry(outcome="denied")).endswith("（被拒绝）")


def test_a_missing_data_value_reads_as_a_dash():
    assert render(entry("export", object_type="employer")) == "张三导出了用人单位，事由：—"


def test_a_template_cannot_reach_into_attributes_of_values():
    sentence = render(entry("objection_step", data={"step": "{object_id.__class__}"}))
    assert sentence == "张三处理了异议 17：{object_id.__class__}"


def test_an_event_no_longer_in_the_list_still_renders():
    assert render(entry("retired_event")) == "张三：retired_event 17"


@given(st.text())
def test_any_text_renders_on_one_line(text):
    sentence = render(
        entry("personal_info_view", actor=text, object_id=text, data={"reason": text})
    )
    assert len(sentence.splitlines()) <= 1
    assert "\n" not in sentence and "\r" not in sentence


def test_newlines_show_as_a_visible_mark_and_control_characters_are_escaped():
    assert one_line("一\n二\r\n三\r四") == "一⏎二⏎三⏎四"
    assert one_line("red\x1b[31m") == "red\\x1b[31m"


# ------------------------------------------------------------------ program values shown in Chinese


def test_an_api_key_lists_its_scopes_by_their_chinese_names():
    sentence = render(
        entry(
            "api_key_create",
            data={"department": "法院 执行系统", "scopes": ["read_grades", "write_records"]},
        )
    )
    assert "权限：查询信用等级及适用措施、报送信用记录" in sentence
    assert "read_grades" not in sentence and "[" not in sentence


def test_an_api_call_names_the_operation_in_chinese():
    sentence = render(
        entry(
            "api_call",
            actor="api:法院 执行系统",
            data={"department": "法院 执行系统", "endpoint": "employer-measures",
                  "method": "GET", "status": 200, "employer_count": 1},
        )
    )  # fmt: skip
    assert "调用了接口“查询适用措施”" in sentence
    assert "employer-measures" not in sentence and "GET" not in sentence


def test_every_operation_of_the_api_has_a_chinese_name():
    from laborcredit.api.urls import _UNAUDITED
    from laborcredit.api.v1 import api
    from laborcredit.audit.events import API_OPERATIONS

    patterns, _, _ = api.urls
    names = {p.name for p in patterns if getattr(p, "name", None)} - _UNAUDITED
    assert names <= set(API_OPERATIONS)


def test_actors_kept_as_program_values_read_as_chinese():
    from laborcredit.audit.events import actor_label

    assert actor_label("cli:root") == "命令行（root）"
    assert actor_label("api:法院 执行系统") == "数据接口（法院 执行系统）"
    assert actor_label("employer:91410481MATTX6JDDG") == "用人单位（门户账号 91410481MATTX6JDDG）"
    assert actor_label("") == "系统"
    assert actor_label("", address="local") == "系统"
    assert actor_label("", address="10.0.0.1") == "未登录访客"
    assert render(entry(actor="cli:root")) == "命令行（root）新增了信用记录 17"


def test_roles_and_addresses_kept_as_program_values_read_as_chinese():
    from laborcredit.audit.events import address_label, role_label

    assert role_label("system") == "系统任务"
    assert role_label("接口") == "数据接口"
    assert role_label("credit_officer") == "信用管理员"
    assert role_label("") == ""
    assert address_label("local") == "本机"
    assert address_label("") == "—"
    assert address_label("10.0.0.1") == "10.0.0.1"


def test_a_failed_login_says_why_and_does_not_repeat_that_it_failed():
    failed = entry("login_failed", actor="", object_id="xinyong", outcome="failure",
                   data={"factor": "password"})  # fmt: skip
    assert render(failed) == "账号 xinyong 登录失败：账号或密码错误"
    locked = entry("login_failed", actor="", object_id="xinyong", outcome="denied",
                   data={"factor": "totp"})  # fmt: skip
    assert render(locked) == "账号 xinyong 登录失败：动态验证码错误（被拒绝）"
    assert render(locked, with_outcome=False) == "账号 xinyong 登录失败：动态验证码错误"


def test_a_portal_account_is_named_by_its_credit_code():
    sentence = render(entry("account_activate", actor="", object_id="employer:91410481MATTX6JDDG"))
    assert sentence == "门户账号 91410481MATTX6JDDG 用激活码设置了密码"
    failed = entry("activation_failed", actor="", object_id="employer:91410481MATTX6JDDG",
                   outcome="failure")  # fmt: skip
    assert render(failed).startswith("门户账号 91410481MATTX6JDDG 激活失败")
    assert "（失败）" not in render(failed)
