"""/api/v1/docs: the interface described in Chinese, from the same OpenAPI schema the
machine-readable /api/v1/openapi.json serves.

Other departments' developers read this page; Swagger UI's own words are English and
cannot be translated without patching its bundle, so the page is ours: every endpoint,
its parameters, the fields of every request and answer (each with its Chinese
description, which tests require), the status codes and the stable error codes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from laborcredit.lib import locks

STATUS_NAMES = {
    "200": "成功",
    "201": "已登记",
    "400": "请求有误",
    "401": "未认证",
    "403": "无权限",
    "404": "未找到",
    "405": "不接受此请求方法",
    "409": "冲突",
    "413": "请求体过大",
    "422": "内容校验不通过",
    "429": "调用过于频繁",
    "503": "暂时繁忙",
}

ERROR_CODES: list[tuple[int, str, str]] = [
    (400, "malformed-json", "请求体不是有效的 JSON"),
    (400, "bad-request", "请求无法解析"),
    (400, "uscc-invalid", "统一社会信用代码无效（长度、字符或校验码不符合 GB 32100—2015）"),
    (401, "api-key-missing", "缺少接口密钥：请求头 Authorization 中应为 “Bearer 密钥”"),
    (401, "api-key-invalid", "接口密钥无效"),
    (401, "api-key-revoked", "接口密钥已被吊销"),
    (401, "api-key-expired", "接口密钥已过期"),
    (403, "scope-missing", "接口密钥没有该接口所需的权限范围"),
    (404, "employer-unknown", "没有该统一社会信用代码的用人单位"),
    (404, "objection-unknown", "没有该编号的异议"),
    (404, "not-found", "没有该接口或资源"),
    (405, "method-not-allowed", "该接口不接受此请求方法"),
    (409, "idempotency-conflict", "caller_id 此前已用于内容不同的报送"),
    (413, "body-too-large", "请求体过大"),
    (422, "invalid-body", "请求内容不符合接口定义；problems 逐项列出位置和问题"),
    (422, "batch-too-large", "批量查询的代码过多"),
    (422, "type-unknown", "未知的记录类型"),
    (422, "field-missing", "缺少该类型记录的必填字段"),
    (422, "field-unknown", "该类型记录没有此字段"),
    (422, "field-not-applicable", "双公示字段只用于行政处罚记录"),
    (422, "value-invalid", "取值无效（如处罚类别、罚款金额、省级评价等级）"),
    (422, "too-long", "文字超过长度上限"),
    (422, "fine-missing", "处罚类别含“罚款”而未填写罚款金额"),
    (422, "fine-without-category", "填写了罚款金额而处罚类别不含“罚款”"),
    (422, "date-in-future", "日期晚于今天：不能登记将来的事实"),
    (422, "date-too-early", "日期早于《中华人民共和国劳动法》施行之日（1995-01-01）"),
    (
        422,
        "case-unknown",
        "案件编号没有对应的被查处记录（纠正、行政处罚、履行记录须先有被查处记录）",
    ),
    (
        422,
        "date-order",
        "日期与同一案件的其他记录矛盾（如整改期限、纠正、行政处罚早于查处日期，履行早于行政处罚）",
    ),
    (
        422,
        "case-duplicate",
        "同一案件已有纠正或履行记录；日期有误的，应更正原记录",
    ),
    (422, "blacklist-removal-without-listing", "移出黑名单之前没有对应的列入记录"),
    (422, "id-number-in-text", "文字中含身份证号码：个人信息不得写入记录文字"),
    (429, "rate-limited", "超过该密钥每分钟的调用上限；按 Retry-After 秒数后重试"),
    (
        503,
        locks.BUSY_CODE,
        "所需数据正被另一项操作占用；按 Retry-After 秒数后重试，本次调用未保存任何内容",
    ),
]
"""Every stable error code the interface answers, with its status (tests check the code)."""

_TYPES = {
    "string": "字符串",
    "integer": "整数",
    "number": "数值",
    "boolean": "布尔值",
    "object": "对象",
    "null": "null",
}
_FORMATS = {"date": "日期（YYYY-MM-DD）", "date-time": "日期时间（ISO 8601，含时区）"}


class ChineseDocs(DocsBase):
    """The interface described in Chinese (see the module's docstring)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            "api/docs.html",
            {
                "info": schema["info"],
                "openapi_url": self.get_openapi_url(api, kwargs),
                "endpoints": endpoints(schema),
                "structures": structures(schema),
                "errors": [
                    {"status": s, "status_name": STATUS_NAMES.get(str(s), ""), "code": c, "text": t}
                    for s, c, t in ERROR_CODES
                ],
            },
        )


def endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation: method, path, summary, description, parameters, body, answers."""
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            answers = []
            for code, response in operation.get("responses", {}).items():
                status = str(code)
                content = response.get("content", {}).get("application/json", {})
                answers.append(
                    {
                        "status": status,
                        "name": STATUS_NAMES.get(status, ""),
                        "type": type_name(content.get("schema", {})),
                        "ok": status.startswith("2"),
                    }
                )
            found.append(
                {
                    "anchor": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "place": {"path": "路径", "query": "查询参数"}.get(p["in"], p["in"]),
                            "type": type_name(p.get("schema", {})),
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": type_name(body["schema"]) if body else None,
                    "answers": answers,
                }
            )
    return found


def structures(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each data structure (request or answer body) and its fields."""
    found = []
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        required = set(component.get("required", ()))
        found.append(
            {
                "name": name,
                "fields": [
                    {
                        "name": field,
                        "type": type_name(spec),
                        "required": field in required,
                        "description": spec.get("description", ""),
                        "limit": _limit(spec),
                    }
                    for field, spec in component.get("properties", {}).items()
                ],
            }
        )
    return found


def type_name(spec: dict[str, Any]) -> str:
    """A JSON schema's type in Chinese: 字符串, 日期（YYYY-MM-DD）, GradeOut 或 null, …"""
    if "$ref" in spec:
        return str(spec["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in spec:
        return " 或 ".join(dict.fromkeys(type_name(option) for option in spec["anyOf"]))
    if "enum" in spec:
        return "取值之一：" + "、".join(str(v) for v in spec["enum"])
    if "const" in spec:
        return f"固定为 {spec['const']}"
    kind = spec.get("type")
    if kind == "array":
        return f"数组，元素为 {type_name(spec.get('items', {}))}"
    if kind == "object" and "additionalProperties" in spec:
        return "对象（键值均为字符串）"
    if kind == "string" and spec.get("format") in _FORMATS:
        return _FORMATS[spec["format"]]
    return _TYPES.get(str(kind), "任意")


def _limit(spec: dict[str, Any]) -> str:
    """A field's length limit, where the schema states one (also inside anyOf)."""
    for option in [spec, *spec.get("anyOf", ())]:
        if "maxLength" in option:
            return f"至多 {option['maxLength']} 个字符"
        if "maxItems" in option:
            return f"至多 {option['maxItems']} 项"
    return ""
