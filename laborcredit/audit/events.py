"""The one list of audit events (AU1), each read as a Chinese sentence in the audit viewer.

A new kind of audited action adds one `Event` here; `audit_append` refuses any
other name. Templates may name the entry's fields (``{actor}``, ``{object_id}``,
``{object_label}``, ``{account}``, ``{role}``, ``{address}``) and the keys of its
``data`` (``{reason}``, ``{from}`` …); a key that is absent reads as "—".

What is stored stays the program's own values (the chain hashes them): "cli:root",
"api:<department>", "employer:<code>", role "system", address "local", scope and
endpoint codes. Only the display turns them into Chinese, here: `actor_label`,
`role_label`, `address_label`, and the per-event `_VALUE_LABELS`.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from laborcredit.accounts.roles import ROLES


@dataclass(frozen=True)
class Event:
    name: str
    label: str  # short Chinese name, for the viewer's filter
    template: str
    says_failure: bool = False  # the sentence itself says it failed: no "（失败）" after it


EVENTS: dict[str, Event] = {
    event.name: event
    for event in (
        # IA1–IA4: accounts and sessions
        Event("login", "登录", "{actor}登录了系统"),
        Event("login_failed", "登录失败", "{account} 登录失败：{factor}", says_failure=True),
        Event("logout", "退出登录", "{actor}退出了系统"),
        Event("lockout", "账号锁定", "{account} 因连续登录失败被锁定"),
        Event("password_change", "修改密码", "{actor}修改了{account} 的密码"),
        Event("role_change", "角色变更", "{actor}将{account} 的角色由 {from} 改为 {to}"),
        Event("user_create", "新建账号", "{actor}新建了{account}"),
        Event("user_disable", "停用账号", "{actor}停用了{account}"),
        Event("user_enable", "启用账号", "{actor}重新启用了{account}"),
        # 第十八条: employer accounts on the portal
        Event(
            "employer_account_create",
            "开通单位账号",
            "{actor}为用人单位 {employer} 开通了{account}",
        ),
        Event(
            "activation_code_issue",
            "发放激活码",
            "{actor}为{account} 发放了一次性激活码（有效至 {code_expires}），此前的激活码作废",
        ),
        Event("account_activate", "激活单位账号", "{account} 用激活码设置了密码"),
        Event(
            "activation_failed",
            "门户激活失败",
            "{account} 激活失败：激活码错误、已使用、已作废或已过期",
            says_failure=True,
        ),
        # 第五条: employers
        Event("employer_create", "登记用人单位", "{actor}登记了用人单位 {object_id}"),
        Event("employer_update", "修改单位信息", "{actor}修改了用人单位 {object_id} 的基础信息"),
        Event(
            "personal_info_view",
            "查看个人信息",
            "{actor}查看了{object_label} {object_id} 的个人信息，事由：{reason}",
        ),
        # 第五条–第七条: credit records
        Event("record_create", "新增信用记录", "{actor}新增了信用记录 {object_id}"),
        Event("record_correct", "更正信用记录", "{actor}更正了信用记录，新版本为 {object_id}"),
        Event("record_void", "作废信用记录", "{actor}作废了信用记录，作废版本为 {object_id}"),
        # 第三章: grades
        Event("grade_change", "信用等级变化", "用人单位 {object_id} 的信用等级由 {from} 变为 {to}"),
        Event(
            "review_decision",
            "人工复核认定",
            "{actor}对用人单位 {object_id} 作出人工认定：{decided}",
        ),
        Event("evaluation_run_create", "生成年度评价", "{actor}生成了第 {object_id} 次评价"),
        Event("evaluation_run_approve", "批准年度评价", "{actor}批准了第 {object_id} 次评价"),
        # 第十四条(一)、第十五条(二)、第十六条、第十七条(二): routine inspections (双随机)
        Event("inspector_add", "登记监察员", "{actor}将 {inspector} 登记入监察员名册"),
        Event(
            "inspector_status_change",
            "监察员参加抽取变更",
            "{actor}将监察员 {inspector} 设为{status}",
        ),
        Event(
            "conflict_declare",
            "登记回避",
            "{actor}登记了监察员 {inspector} 对用人单位 {employer} 的回避，事由：{reason}",
        ),
        Event(
            "inspection_plan_draw",
            "抽取检查计划",
            "{actor}以随机种子 {seed} 抽取了{period}日常巡视检查计划（第 {object_id} 号，共 {total} 次检查）",
        ),
        Event(
            "inspection_plan_verify",
            "复核检查计划",
            "{actor}用随机种子重新抽取并比对了检查计划第 {object_id} 号：{verdict}",
        ),
        Event("inspection_plan_publish", "公布检查计划", "{actor}公布了检查计划第 {object_id} 号"),
        Event(
            "inspection_result_record",
            "录入检查结果",
            "{actor}录入了用人单位 {employer} 的日常巡视检查结果（计划第 {plan} 号第 {order} 项）：{result}",
        ),
        # 第十四条–第十七条: measures, interviews (约谈), joint punishment (issue 5)
        Event(
            "local_measure_add",
            "登记其他激励措施",
            "{actor}登记了{item}其他激励措施“{title}”（依据：{legal_basis}），自 {in_force_from} 起施行",
        ),
        Event(
            "local_measure_retire",
            "停止适用其他激励措施",
            "{actor}将{item}其他激励措施“{title}”自 {retired_from} 起停止适用，原因：{reason}",
        ),
        Event(
            "interview_schedule",
            "安排约谈",
            "{actor}安排于 {scheduled_on} 约谈用人单位 {employer}（案件 {case}）",
        ),
        Event(
            "interview_record",
            "记录约谈",
            "{actor}记录了用人单位 {employer} 于 {held_on} 的约谈情况，记入信用记录 {record}",
        ),
        Event(
            "interview_cancel",
            "取消约谈",
            "{actor}取消了用人单位 {employer} 原定 {scheduled_on} 的约谈，原因：{reason}",
        ),
        # 第六条: exchange
        Event("import_run", "导入数据", "{actor}导入了{object_label} {object_id}"),
        Event("export", "导出数据", "{actor}导出了{object_label}，事由：{reason}"),
        Event("push_sent", "推送数据", "系统推送了{object_label} {object_id}"),
        Event("push_retry", "重试推送", "{actor}将推送失败的 {object_id} 重新加入推送队列"),
        # 第五章: rights
        Event(
            "year_arrangement_enter",
            "录入节假日安排",
            "{actor}录入了{year}年节假日安排第 {version} 版（放假 {holidays} 天，调休上班 {workdays}），依据：{source}",
        ),
        Event("objection_step", "异议处理", "{actor}处理了异议 {object_id}：{step}"),
        Event(
            "repair_adjust",
            "信用修复调整",
            "{actor}依第二十一条调整了用人单位 {object_id} 的信用等级：{grade_before}→{grade_after}"
            "（评价周期 {cycle_end} 期满，调整期限 {deadline}，{timeliness}）",
        ),
        # 第六条: the REST API (laborcredit/api)
        Event(
            "api_key_create",
            "新建接口密钥",
            "{actor}为{department}新建了接口密钥 {object_id}（权限：{scopes}，有效至 {expires_on}）",
        ),
        Event("api_key_revoke", "吊销接口密钥", "{actor}吊销了{department}的接口密钥 {object_id}"),
        Event(
            "api_call",
            "接口调用",
            "{department}以接口密钥 {object_id} 调用了接口“{endpoint}”"
            "（状态码 {status}，涉及 {employer_count} 家单位）",
        ),
        # 第六条: reports to superior departments and credit reports with a verification code
        Event(
            "credit_report_issue",
            "出具信用报告",
            "{actor}为用人单位 {object_id} 出具了信用报告 {serial}（{grade}，{channel}，用途：{purpose}）",
        ),
        Event("credit_report_verify", "验证信用报告", "信用报告验证码核验：{result}"),
        Event("superior_report_export", "导出上报报表", "{actor}导出了{title}（{format}）"),
        # AU3: the audit log itself
        Event("audit_query", "查询审计日志", "{actor}查询了审计日志"),
        Event("audit_verify", "校验审计日志", "{actor}校验了审计日志（共 {length} 条）"),
        Event(
            "audit_checkpoint", "审计检查点", "{actor}为审计日志生成了检查点（至第 {object_id} 条）"
        ),
    )
}

OUTCOMES = {"success": "成功", "failure": "失败", "denied": "被拒绝"}

# The department API's operations (laborcredit/api/v1.py, by url_name), as an auditor names them.
API_OPERATIONS = {
    "employer-grade": "查询信用等级",
    "grades-batch": "批量查询信用等级",
    "employer-measures": "查询适用措施",
    "employer-credit-file": "查询信用档案",
    "employer-records": "报送信用记录",
    "objection-status": "查询异议办理状态",
    "report-verification": "核验信用报告验证码",
}

LOGIN_FACTORS = {
    "password": "账号或密码错误",
    "totp": "动态验证码错误",
    "current_password": "修改密码时当前密码输入错误",
    "activation_code": "激活码错误、已使用、已作废或已过期",
}

# Roles an entry may carry besides the staff roles (accounts.roles.ROLES).
OTHER_ROLES = {"system": "系统任务", "接口": "数据接口"}

ADDRESSES = {"local": "本机"}

OBJECT_LABELS = {
    "employer": "用人单位",
    "credit_record": "信用记录",
    "user": "账号",
    "evaluation_run": "评价",
    "objection": "异议",
    "year_arrangement": "节假日安排",
    "audit_log": "审计日志",
    "import": "导入文件",
    "export": "数据",
    "inspector": "监察员",
    "conflict_declaration": "回避申报",
    "inspection_plan": "检查计划",
    "planned_inspection": "计划检查",
    "local_measure": "其他激励措施",
    "interview": "约谈",
    "joint_punishment_list": "联合惩戒名单",
    "repair_adjustment": "信用修复调整",
    "api_key": "接口密钥",
    "credit_report": "信用报告",
}

# Characters that would start a new line, or steer a terminal, if printed raw.
_LINE_BREAKS = str.maketrans(
    {
        "\r": None,
        "\n": "⏎",
        "\v": "⏎",
        "\f": "⏎",
        "\x1c": "⏎",
        "\x1d": "⏎",
        "\x1e": "⏎",
        "\x85": "⏎",
        "\u2028": "⏎",
        "\u2029": "⏎",
    }
)


def one_line(text: str) -> str:
    """Newlines shown as ⏎ and other control characters escaped, so an entry is one line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    return "".join(
        ch if ch.isprintable() or ch == "⏎" else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return one_line(str(value))


class _Fields(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "—"


class _Formatter(string.Formatter):
    def get_field(self, field_name, args, kwargs):  # type: ignore[no-untyped-def]
        return kwargs[field_name], field_name  # no attribute or index lookups from a template

    def format_field(self, value, format_spec):  # type: ignore[no-untyped-def]
        return _shown(value)


_formatter = _Formatter()


def _web_address(address: str) -> bool:
    return bool(address) and address not in ADDRESSES


def actor_label(actor: str, *, address: str = "", empty: str = "系统") -> str:
    """Who acted, as a page names them; the stored value is left as it is (the chain hashes it).

    "cli:root" → 命令行（root）; "api:法院 执行系统" → 数据接口（法院 执行系统）;
    "employer:<code>" → 用人单位（门户账号 <code>）. No actor: the system itself; given the
    entry's address, a web request's (not this machine's) is someone not logged in (a failed
    login, a public verification), as the viewer's 用户 column says.
    """
    actor = str(actor or "")
    if actor.startswith("employer:"):
        return f"用人单位（门户账号 {actor.removeprefix('employer:')}）"
    if actor.startswith("cli:"):
        return f"命令行（{actor.removeprefix('cli:')}）"
    if actor.startswith("api:"):
        return f"数据接口（{actor.removeprefix('api:')}）"
    if actor:
        return actor
    return "未登录访客" if _web_address(address) else empty


def role_label(role: str) -> str:
    if not role:
        return ""
    known = ROLES.get(role)
    return known.label if known else OTHER_ROLES.get(role, role)


def address_label(address: str) -> str:
    return ADDRESSES.get(address, address) if address else "—"


def account_label(username: Any) -> str:
    """An account named in a sentence: 账号 xinyong, or 门户账号 <code> for an employer's."""
    name = str(username or "")
    if name.startswith("employer:"):
        return f"门户账号 {name.removeprefix('employer:')}"
    return f"账号 {name or '—'}"


def _scopes(value: Any) -> str:
    from laborcredit.api.models import Scope  # the API app's own labels; loaded apps only

    labels = dict(Scope.choices)
    items = value if isinstance(value, list | tuple) else [value]
    return "、".join(str(labels.get(v, v)) for v in items) or "—"


# Values kept as codes in `data`, shown by name: {event: {key: how}}.
_VALUE_LABELS: dict[str, dict[str, Callable[[Any], str]]] = {
    "api_key_create": {"scopes": _scopes},
    "api_call": {"endpoint": lambda v: API_OPERATIONS.get(str(v), str(v))},
    "login_failed": {"factor": lambda v: LOGIN_FACTORS.get(str(v), str(v))},
}


def render(entry: Any, *, with_outcome: bool = True) -> str:
    """One audit entry as one line of Chinese: 张三新增了信用记录 17（失败）.

    `with_outcome=False` leaves the outcome to a column of its own (the audit viewer)."""
    data = entry.data if isinstance(entry.data, dict) else {}
    fields = _Fields({str(k): v for k, v in data.items()})
    for key, label in _VALUE_LABELS.get(entry.event, {}).items():
        if key in data and data[key] not in (None, ""):
            fields[key] = label(data[key])
    fields.update(
        actor=actor_label(entry.actor),
        role=role_label(entry.role),
        address=address_label(entry.address),
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_label=OBJECT_LABELS.get(entry.object_type, entry.object_type),
        account=account_label(entry.object_id),
    )
    event = EVENTS.get(entry.event)
    if event is None:
        fields["event"] = entry.event
        sentence = _formatter.vformat("{actor}：{event} {object_id}", (), fields)
    else:
        sentence = _formatter.vformat(event.template, (), fields)
    said = event is not None and event.says_failure and entry.outcome == "failure"
    if with_outcome and entry.outcome != "success" and not said:
        sentence += f"（{OUTCOMES.get(entry.outcome, entry.outcome)}）"
    return one_line(sentence)
