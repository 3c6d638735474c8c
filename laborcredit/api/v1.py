"""第六条: the versioned JSON API for other departments' systems, /api/v1/.

django-ninja, not Django REST framework: the request and response schemas are
pydantic models, so the OpenAPI description is generated from the same code that
validates (nothing to keep in step by hand), and the package ships Swagger UI's
files, served here by the application itself (closed networks, no CDN).

Callers send ``Authorization: Bearer lc_<prefix>_<secret>``. Every key has
scopes (read_grades, read_records, write_records), an expiry, may be revoked,
and has a per-minute limit; every call is audited (`urls.audited`). Every error
is JSON ``{"code", "message"}`` with a stable code and a Chinese message.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, P, PathEx, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer
from pydantic import AfterValidator, ConfigDict, Field

from laborcredit.api.docs import ChineseDocs
from laborcredit.api.models import ApiKey, Scope
from laborcredit.api.selectors import grade_answer
from laborcredit.api.services import IdempotencyConflict, api_record_file, key_admitted
from laborcredit.credit.models import CreditRecord, Disclosure, Employer
from laborcredit.credit.services import PENALTY_TEXT_LIMITS
from laborcredit.lib import locks
from laborcredit.lib.errors import Refused
from laborcredit.lib.forms import ID_NUMBER_IN_TEXT
from laborcredit.lib.masking import find_id_numbers, mask_id_numbers_in, mask_name
from laborcredit.measures.selectors import window_check, window_employer
from laborcredit.rating.models import EmployerGrade
from laborcredit.rules.validation import check_uscc
from laborcredit.rules.vocabulary import Grade, RecordType

BATCH_MAX = 1000


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        problems: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.problems = problems
        self.headers = headers or {}


KEY_MESSAGES = {
    "api-key-missing": "缺少接口密钥：请在请求头 Authorization 中以 “Bearer 密钥” 的形式提供",
    "api-key-invalid": "接口密钥无效",
    "api-key-revoked": "接口密钥已被吊销",
    "api-key-expired": "接口密钥已过期",
}


class ApiKeyAuth(HttpBearer):
    """The department's key: valid, not revoked, not expired, and within its rate limit."""

    openapi_description = "部门系统的接口密钥：Authorization: Bearer lc_<前缀>_<密钥>"

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        admitted = key_admitted(token)
        key = admitted.key
        if key is not None:
            request.api_key = key  # type: ignore[attr-defined]
        if admitted.refused:
            raise ApiError(401, admitted.refused, KEY_MESSAGES[admitted.refused])
        assert key is not None
        if admitted.calls > key.rate_limit_per_minute:
            left = admitted.seconds_left
            raise ApiError(
                429,
                "rate-limited",
                f"调用过于频繁：该密钥每分钟最多调用 {key.rate_limit_per_minute} 次，请 {left} 秒后再试",
                headers={"Retry-After": str(left)},
            )
        return key


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="舞钢市用人单位劳动保障信用监管 数据接口",
    version="1",
    description=(
        "供其他部门系统查询用人单位信用等级、适用措施、信用档案和异议状态，并报送信用记录"
        "（《舞钢市用人单位劳动保障信用分级分类监管办法》第六条）。"
        "每个部门系统使用自己的接口密钥（Authorization: Bearer 密钥），"
        "按权限范围 read_grades、read_records、write_records 授权；密钥有有效期、可吊销、有每分钟调用上限；"
        "每次调用均记入审计日志。错误一律以 JSON 返回 {code, message}；"
        "503 busy 表示所需数据正被另一项操作（如年度评价批准）占用，按 Retry-After 稍后重试，本次调用未保存任何内容。"
    ),
    urls_namespace="api-v1",
    auth=ApiKeyAuth(),
    renderer=ChineseJSONRenderer(),
    docs=ChineseDocs(),
    docs_url="docs",
    openapi_url="openapi.json",
)


# ---------------------------------------------------------------- errors


def _error(request: HttpRequest, error: ApiError) -> HttpResponse:
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.problems:
        body["problems"] = error.problems
    response = api.create_response(request, body, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    request.api_error_code = error.code  # type: ignore[attr-defined]
    return response


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _error(request, exc)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, ApiError(401, "api-key-missing", KEY_MESSAGES["api-key-missing"]))


def _place(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload")]
    return ".".join(parts) or "body"


_PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为字符串",
    "string_too_long": "字符串过长",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不正确",
    "too_long": "元素过多",
    "too_short": "元素过少",
    "list_type": "应为数组",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "value_error": "取值无效",
    "decimal_parsing": "应为数值",
    "decimal_type": "应为数值",
    "finite_number": "应为有限数值",
}


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = [
        {
            "place": _place(e.get("loc", ())),
            "code": str(e.get("type", "invalid")),
            "message": _PYDANTIC_MESSAGES.get(str(e.get("type")), "取值无效"),
        }
        for e in exc.errors
    ]
    if any(p["code"] == "too_long" and p["place"] == "codes" for p in problems):
        return _error(
            request,
            ApiError(422, "batch-too-large", f"一次最多查询 {BATCH_MAX} 个统一社会信用代码"),
        )
    message = "；".join(f"{p['place']}：{p['message']}" for p in problems[:5])
    return _error(request, ApiError(422, "invalid-body", f"请求内容有误：{message}", problems))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return _error(request, ApiError(400, "malformed-json", "请求体不是有效的 JSON"))
    return _error(request, ApiError(exc.status_code, "request-refused", "请求无法处理"))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, ApiError(404, "not-found", "请求的资源不存在"))


@api.exception_handler(DatabaseError)
def _database_error(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    """A lock not obtained in time (laborcredit.lib.locks): 503 `busy`, and the call audited as
    refused; any other database error is the server's (500)."""
    if not locks.lock_not_obtained(exc):
        raise exc
    headers = {"Retry-After": str(locks.RETRY_AFTER_SECONDS)}
    return _error(request, ApiError(503, locks.BUSY_CODE, locks.BUSY_MESSAGE, headers=headers))


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, ApiError(413, "body-too-large", "请求体过大"))


# ---------------------------------------------------------------- schemas


def _plain_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("不能含 NUL 字符")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("不是有效的 UTF-8 文本") from None
    return value


Text = Annotated[str, AfterValidator(_plain_text)]
Uscc = PathEx[str, P(description="统一社会信用代码（18位，GB 32100—2015）")]


class ErrorOut(Schema):
    code: str = Field(description="稳定的错误代码")
    message: str = Field(description="中文说明")
    problems: list[dict[str, str]] | None = Field(
        None, description="逐项问题：place（位置）、code、message"
    )


class GradeOut(Schema):
    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="单位名称")
    grade: str | None = Field(description="现行信用等级 A+、A、B、C；尚未评价为 null")
    grade_label: str | None = Field(description="等级名称：优秀、良好、一般、较差（第八条）")
    as_of: datetime.date | None = Field(description="评价日期")
    pending_review: bool = Field(description="计算结果待人工复核")


class BatchIn(Schema):
    model_config = ConfigDict(extra="forbid")
    codes: list[Annotated[Text, Field(max_length=64)]] = Field(
        max_length=BATCH_MAX, description=f"统一社会信用代码，至多 {BATCH_MAX} 个"
    )


class BatchItem(Schema):
    uscc: str = Field(description="所查询的代码（规范化后）")
    found: bool = Field(description="是否找到该用人单位")
    code: str | None = Field(None, description="未找到时的错误代码：uscc-invalid、employer-unknown")
    message: str | None = Field(None, description="未找到时的中文说明")
    grade: GradeOut | None = Field(None, description="找到时的信用等级")


class BatchOut(Schema):
    count: int = Field(description="结果条数，与所查询的代码个数相同")
    results: list[BatchItem] = Field(description="逐个代码的结果，顺序与请求相同")


class MeasureOut(Schema):
    citation: str = Field(description="所依据的条款，如 第十七条（二）")
    kind: str = Field(description="措施类别：激励措施、监管措施或惩戒措施")
    text: str = Field(description="措施内容")
    why: str = Field(description="适用原因")
    local: bool = Field(description="是否为本地补充措施（非办法原文规定）")
    legal_basis: str | None = Field(None, description="本地补充措施的依据文件；办法原文措施为 null")


class MeasuresOut(Schema):
    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="单位名称")
    grade: str | None = Field(description="现行信用等级；尚未评价为 null")
    as_of: datetime.date | None = Field(description="评价日期")
    pending_review: bool = Field(description="计算结果待人工复核")
    priority_handling: bool = Field(
        description="申请人社行政许可时是否优先办理、简化程序（第十五条（一））"
    )
    priority_handling_article: str | None = Field(description="优先办理所依据的条款")
    commitment_approval_narrowed: bool = Field(
        description="办理行政许可时是否从严限制承诺制审批等便利措施（因行政处罚评为C级，第十七条（一））"
    )
    commitment_approval_narrowed_article: str | None = Field(description="限制便利措施所依据的条款")
    joint_punishment: bool = Field(
        description="是否列入联合惩戒（因拖欠农民工工资“黑名单”评为C级）"
    )
    joint_punishment_article: str | None = Field(description="联合惩戒所依据的条款")
    blacklist_listed_on: datetime.date | None = Field(
        None, description="联合惩戒时：列入拖欠农民工工资“黑名单”的日期（本次列入期间的首次列入）"
    )
    blacklist_removed_on: datetime.date | None = Field(
        None,
        description="联合惩戒时：移出黑名单的日期；仍在名单中为 null（移出后一年内仍为C级，第十二条(二)）",
    )
    measures: list[MeasureOut] = Field(description="适用的全部激励和惩戒措施（第十四条至第十七条）")


class EmployerOut(Schema):
    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="单位名称")
    legal_rep_name: str = Field(description="法定代表人（已脱敏）")
    township: str = Field(description="所在乡镇（街道）")
    industry_name: str = Field(description="所属行业")


class RecordOut(Schema):
    id: int = Field(description="记录版本的编号")
    lineage: str = Field(description="记录编号：同一条记录的各个版本（更正、作废）编号相同")
    version: int = Field(description="版本号，从 1 起")
    action: str = Field(description="本版本的操作：create 登记、correct 更正、void 作废")
    type: str = Field(description="记录类型代码（见“报送一条信用记录”的 type 取值）")
    type_label: str = Field(description="记录类型名称")
    date: datetime.date = Field(description="事实发生日期")
    case: str = Field(description="案件编号；无则为空字符串")
    correction_deadline: datetime.date | None = Field(description="责令整改期限（被查处记录）")
    passed: bool | None = Field(description="劳动用工实践评估是否通过（评估记录）")
    level: str = Field(description="河南省公共信用综合评价等级 A–D（省级评价记录）")
    document_number: str = Field(description="文书编号，如行政处罚决定书文号")
    issuing_body: str = Field(description="作出决定的机关")
    description: str = Field(description="说明（身份证号码已脱敏）")
    disclosure: str = Field(description="公开范围：public 公开、shared 向授权部门共享")
    source: str = Field(
        description="记录来源：manual 手工录入、import 文件导入、api 接口报送、inspection 检查结果"
    )
    entered_at: datetime.datetime = Field(description="登记时间（含时区）")
    violation_type: str = Field(description="违法行为类型（行政处罚，双公示）")
    penalty_category: str = Field(description="处罚类别，多项以顿号分隔（行政处罚）")
    fine_amount: str | None = Field(description="罚款金额，单位元，两位小数；未填写为 null")
    penalty_basis: str = Field(description="处罚依据（行政处罚）")
    penalty_content: str = Field(description="处罚内容（行政处罚，身份证号码已脱敏）")


class CreditFileOut(Schema):
    employer: EmployerOut = Field(description="基础信息")
    grade: GradeOut = Field(description="现行信用等级")
    records: list[RecordOut] = Field(
        description="有效信用记录：公开及向授权部门共享的，不含仅内部使用的"
    )


_CALLER_ID = r"^[0-9A-Za-z\u4e00-\u9fff._:/〔〕()（）-]{1,100}$"


class RecordIn(Schema):
    model_config = ConfigDict(extra="forbid")
    caller_id: str = Field(
        pattern=_CALLER_ID,
        description="调用方自己的唯一编号（幂等键）：同一编号重复提交同样内容返回同一条记录",
    )
    type: Literal[tuple(t.value for t in RecordType)] = Field(  # type: ignore[valid-type]
        description="记录类型：" + "；".join(f"{t.value} {t.label}" for t in RecordType)
    )
    date: datetime.date = Field(description="事实发生日期，YYYY-MM-DD")
    case: Annotated[Text, Field(max_length=100)] | None = Field(
        None, description="案件编号：被查处、纠正、行政处罚、履行、仲裁败诉记录必填"
    )
    correction_deadline: datetime.date | None = Field(
        None, description="责令整改期限（被查处记录），用于判断是否及时纠正（第十一条）"
    )
    passed: bool | None = Field(None, description="劳动用工实践评估是否通过（评估记录必填）")
    level: Annotated[Text, Field(max_length=1)] | None = Field(
        None, description="河南省公共信用综合评价等级 A、B、C、D（省级评价记录必填）"
    )
    document_number: Annotated[Text, Field(max_length=100)] | None = Field(
        None, description="文书编号，如行政处罚决定书文号"
    )
    issuing_body: Annotated[Text, Field(max_length=100)] | None = Field(
        None, description="作出决定的机关"
    )
    description: Annotated[Text, Field(max_length=2000)] | None = Field(
        None, description="说明；不得含身份证号码（422 id-number-in-text）"
    )
    disclosure: Literal["public", "shared", "internal"] = Field(
        "public",
        description="公开范围：public 公开（默认）、shared 向授权部门共享、internal 仅内部使用",
    )
    # 双公示: only on a penalty_imposed record (otherwise 422 field-not-applicable).
    violation_type: (
        Annotated[Text, Field(max_length=PENALTY_TEXT_LIMITS["violation_type"])] | None
    ) = Field(None, description="违法行为类型（仅行政处罚记录，双公示）")
    penalty_category: (
        Annotated[Text, Field(max_length=PENALTY_TEXT_LIMITS["penalty_category"])] | None
    ) = Field(None, description="《行政处罚法》第九条所列处罚种类，多项以顿号分隔，如“警告、罚款”")
    fine_amount: decimal.Decimal | None = Field(
        None, description="罚款金额，单位元，至多两位小数（数字或字符串）；处罚类别含“罚款”时必填"
    )
    penalty_basis: (
        Annotated[Text, Field(max_length=PENALTY_TEXT_LIMITS["penalty_basis"])] | None
    ) = Field(None, description="处罚依据（仅行政处罚记录）")
    penalty_content: (
        Annotated[Text, Field(max_length=PENALTY_TEXT_LIMITS["penalty_content"])] | None
    ) = Field(None, description="处罚内容（仅行政处罚记录）")


class RecordFiledOut(Schema):
    created: bool = Field(description="true：本次新登记；false：此前已按同一 caller_id 登记")
    caller_id: str = Field(description="请求中的 caller_id")
    record: RecordOut = Field(description="登记的记录")
    grade: GradeOut = Field(description="登记后重新评价的信用等级（第十三条）")


class ObjectionOut(Schema):
    number: str = Field(description="异议编号，如 异议〔2026〕0001")
    uscc: str = Field(description="提出异议的用人单位的统一社会信用代码")
    state: str = Field(description="办理状态代码")
    state_label: str = Field(description="办理状态名称")
    received_on: datetime.date = Field(description="收到异议申请的日期")
    handling_deadline: datetime.date = Field(description="第二十条处理期限")
    deadline_tentative: bool = Field(description="尚未受理：期限按三个工作日暂计")
    deadline_provisional: bool = Field(description="期限所涉年度节假日安排未公布，暂按周末推算")
    deadline_note: str | None = Field(
        description="期限暂计的说明（尚未受理，或所涉年度节假日安排未公布）；无则为 null"
    )
    outcome: str | None = Field(description="处理结论代码；尚未处理为 null")
    outcome_label: str | None = Field(description="处理结论名称")
    decided_on: datetime.date | None = Field(description="作出处理结论的日期")
    notified: bool = Field(description="是否已将结果告知异议申请单位（第二十条）")


# 503: `busy`, a lock another operation holds (an approval, an import) was not had in time.
ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 413, 422, 429, 503)}


# ---------------------------------------------------------------- helpers


def _require(request: HttpRequest, scope: Scope) -> ApiKey:
    """Scopes are checked here, on the server, for every call (AC2)."""
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    if scope not in key.scopes:
        raise ApiError(403, "scope-missing", f"该接口密钥没有“{scope.label}”权限（{scope.value}）")
    return key


def _touch(request: HttpRequest, *codes: str) -> None:
    request.api_employers.extend(codes)  # type: ignore[attr-defined]


def _code(request: HttpRequest, uscc: Uscc) -> str:
    code, problem = check_uscc(uscc.strip().upper())
    if problem is not None or code is None:
        raise ApiError(400, "uscc-invalid", problem or "统一社会信用代码无效")
    _touch(request, code)
    return code


def _employer(request: HttpRequest, uscc: Uscc) -> Employer:
    code = _code(request, uscc)
    employer = window_employer(code)
    if employer is None:
        raise ApiError(404, "employer-unknown", f"未找到统一社会信用代码为 {code} 的用人单位")
    return employer


def _grade(employer: Employer) -> dict[str, Any]:
    try:
        row: EmployerGrade | None = employer.current_grade
    except EmployerGrade.DoesNotExist:
        row = None
    grade = row.official_grade if row is not None else None
    return {
        "uscc": employer.uscc,
        "name": employer.name,
        "grade": grade,
        "grade_label": Grade(grade).label if grade else None,
        "as_of": row.as_of if row is not None else None,
        "pending_review": bool(row and row.needs_review and row.decision_id is None),
    }


def _masked_text(text: str | None) -> str | None:
    """A record's text with any full ID number masked: records filed before such text was
    refused (and any written around the checks) must not show one either."""
    return mask_id_numbers_in(text) if text else text


def _record(record: CreditRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "lineage": str(record.lineage),
        "version": record.version,
        "action": record.action,
        "type": record.type,
        "type_label": record.get_type_display(),
        "date": record.date,
        "case": _masked_text(record.case),
        "correction_deadline": record.correction_deadline,
        "passed": record.passed,
        "level": record.level,
        "document_number": _masked_text(record.document_number),
        "issuing_body": _masked_text(record.issuing_body),
        "description": _masked_text(record.description),
        "disclosure": record.disclosure,
        "source": record.source,
        "entered_at": record.entered_at,
        "violation_type": _masked_text(record.violation_type),
        "penalty_category": record.penalty_category,
        "fine_amount": f"{record.fine_amount:.2f}" if record.fine_amount is not None else None,
        "penalty_basis": _masked_text(record.penalty_basis),
        "penalty_content": _masked_text(record.penalty_content),
    }


# ---------------------------------------------------------------- endpoints


@api.get(
    "/employers/{uscc}/grade",
    response={200: GradeOut, **ERRORS},
    url_name="employer-grade",
    summary="一家用人单位的信用等级",
    description="权限：read_grades。",
)
def employer_grade(request: HttpRequest, uscc: Uscc) -> Any:
    _require(request, Scope.READ_GRADES)
    code = _code(request, uscc)
    answer = grade_answer(code)
    if answer is None:
        raise ApiError(404, "employer-unknown", f"未找到统一社会信用代码为 {code} 的用人单位")
    return answer


@api.post(
    "/grades/batch",
    response={200: BatchOut, **ERRORS},
    url_name="grades-batch",
    summary=f"批量查询信用等级（至多 {BATCH_MAX} 个代码）",
    description="权限：read_grades。逐个返回结果；代码无效或单位不存在的，在该项的 code、message 中说明。",
)
def grades_batch(request: HttpRequest, payload: BatchIn) -> Any:
    _require(request, Scope.READ_GRADES)
    wanted: dict[str, str | None] = {}
    problems: dict[str, str] = {}
    for given in payload.codes:
        code, problem = check_uscc(given.strip().upper())
        if problem is not None or code is None:
            problems[given] = problem or "统一社会信用代码无效"
        else:
            wanted[given] = code
    found = {
        e.uscc: e
        for e in Employer.objects.select_related("current_grade", "current_grade__decision").filter(
            uscc__in=set(c for c in wanted.values() if c)
        )
    }
    _touch(request, *dict.fromkeys(c for c in wanted.values() if c))
    request.api_employer_count = len(payload.codes)  # type: ignore[attr-defined]
    results = []
    for given in payload.codes:
        if given in problems:
            results.append(
                {"uscc": given, "found": False, "code": "uscc-invalid", "message": problems[given]}
            )
            continue
        code = wanted[given] or given
        employer = found.get(code)
        if employer is None:
            results.append(
                {
                    "uscc": code,
                    "found": False,
                    "code": "employer-unknown",
                    "message": f"未找到统一社会信用代码为 {code} 的用人单位",
                }
            )
        else:
            results.append({"uscc": code, "found": True, "grade": _grade(employer)})
    return {"count": len(results), "results": results}


@api.get(
    "/employers/{uscc}/measures",
    response={200: MeasuresOut, **ERRORS},
    url_name="employer-measures",
    summary="适用的激励和惩戒措施（第十四条至第十七条）",
    description="权限：read_grades。与许可窗口页面的答复相同。",
)
def employer_measures(request: HttpRequest, uscc: Uscc) -> Any:
    _require(request, Scope.READ_GRADES)
    employer = _employer(request, uscc)
    answer = window_check(employer)
    grade = _grade(employer)
    return {
        **{k: grade[k] for k in ("uscc", "name", "grade", "as_of", "pending_review")},
        **{
            k: v
            for k, v in answer.items()
            if k not in ("employer", "grade", "measures", "blacklist")
        },
        **{f"blacklist_{k}": v for k, v in answer.get("blacklist", {}).items()},
        "measures": [
            {
                "citation": m["citation"],
                "kind": str(m["kind"]),
                "text": m["text"],
                "why": m["why"],
                "local": m["local"],
                "legal_basis": m.get("legal_basis") if m["local"] else None,
            }
            for m in answer["measures"]
        ],
    }


SHARED_WITH_DEPARTMENTS = (Disclosure.PUBLIC, Disclosure.SHARED)


@api.get(
    "/employers/{uscc}/credit-file",
    response={200: CreditFileOut, **ERRORS},
    url_name="employer-credit-file",
    summary="用人单位的信用档案（公开及共享记录）",
    description="权限：read_records。仅含公开及向授权部门共享的有效记录（第七条），个人信息已脱敏。",
)
def employer_credit_file(request: HttpRequest, uscc: Uscc) -> Any:
    _require(request, Scope.READ_RECORDS)
    employer = _employer(request, uscc)
    records = (
        CreditRecord.objects.effective()
        .filter(employer=employer, disclosure__in=SHARED_WITH_DEPARTMENTS)
        .order_by("date", "id")
    )
    return {
        "employer": {
            "uscc": employer.uscc,
            "name": employer.name,
            "legal_rep_name": mask_name(employer.legal_rep_name) if employer.legal_rep_name else "",
            "township": employer.township,
            "industry_name": employer.industry_name,
        },
        "grade": _grade(employer),
        "records": [_record(r) for r in records],
    }


@api.post(
    "/employers/{uscc}/records",
    response={200: RecordFiledOut, 201: RecordFiledOut, 409: ErrorOut, **ERRORS},
    url_name="employer-records",
    summary="报送一条信用记录（按 caller_id 幂等）",
    description=(
        "权限：write_records。首次登记返回 201；同一 caller_id 重复提交相同内容返回 200 和同一条记录；"
        "同一 caller_id 提交不同内容返回 409 idempotency-conflict。记录经校验后登记，并立即重新评价（第十三条）。"
    ),
)
def employer_records(request: HttpRequest, uscc: Uscc, payload: RecordIn) -> Any:
    key = _require(request, Scope.WRITE_RECORDS)
    employer = _employer(request, uscc)
    fields = payload.model_dump(exclude={"caller_id"}, exclude_none=True)
    # IN2, as the record form refuses it: personal information only in its own, encrypted field.
    carrying = [n for n, v in fields.items() if isinstance(v, str) and find_id_numbers(v)]
    if carrying:
        raise ApiError(
            422,
            "id-number-in-text",
            ID_NUMBER_IN_TEXT,
            [
                {"place": f"record.{n}", "code": "id-number-in-text", "message": ID_NUMBER_IN_TEXT}
                for n in carrying
            ],
        )
    try:
        filed = api_record_file(
            key=key, employer=employer, caller_id=payload.caller_id, fields=fields
        )
    except IdempotencyConflict:
        raise ApiError(
            409,
            "idempotency-conflict",
            f"caller_id {payload.caller_id} 此前已用于内容不同的报送，请使用新的编号",
        ) from None
    except Refused as refused:
        raise ApiError(
            422,
            refused.problems[0].code,
            "；".join(p.message for p in refused.problems),
            [{"place": p.place, "code": p.code, "message": p.message} for p in refused.problems],
        ) from None
    employer = window_employer(employer.uscc) or employer
    body = {
        "created": filed.created,
        "caller_id": payload.caller_id,
        "record": _record(filed.record),
        "grade": _grade(employer),
    }
    return Status(201 if filed.created else 200, body)


@api.get(
    "/objections/{number}",
    response={200: ObjectionOut, **ERRORS},
    url_name="objection-status",
    summary="异议的办理状态（第十九条、第二十条）",
    description="权限：read_records。编号如 异议〔2026〕0001，需按 URL 编码；仅返回状态和期限，不含异议理由和附件。",
)
def objection_status(
    request: HttpRequest,
    number: PathEx[str, P(description="异议编号，如 异议〔2026〕0001（需 URL 编码）")],
) -> Any:
    from laborcredit.objections.models import Objection, Outcome, State
    from laborcredit.objections.selectors import handling_deadline
    from laborcredit.rules.workdays import provisional_reason
    from laborcredit.workdays.selectors import calendar

    _require(request, Scope.READ_RECORDS)
    number = number.strip()
    objection = (
        Objection.objects.select_related("employer").filter(number=number).first()
        if 0 < len(number) <= 30
        else None
    )
    if objection is None:
        raise ApiError(404, "objection-unknown", f"未找到编号为 {number[:40]} 的异议")
    _touch(request, objection.employer.uscc)
    due = handling_deadline(objection, calendar())
    return {
        "number": objection.number,
        "uscc": objection.employer.uscc,
        "state": objection.state,
        "state_label": State(objection.state).label,
        "received_on": objection.received_on,
        "handling_deadline": due.date,
        "deadline_tentative": objection.state == State.RECEIVED,
        "deadline_provisional": due.provisional,
        # The same words as the staff and portal pages (objections.selectors).
        "deadline_note": "；".join(
            note
            for note in (
                "受理时确定处理方式（自行处理3个工作日，需核实10个工作日）"
                if objection.state == State.RECEIVED
                else "",
                provisional_reason(due.provisional_years) if due.provisional else "",
            )
            if note
        )
        or None,
        "outcome": objection.outcome or None,
        "outcome_label": Outcome(objection.outcome).label if objection.outcome else None,
        "decided_on": objection.decided_on,
        "notified": objection.notified_at is not None,
    }


class VerificationOut(Schema):
    authentic: bool = Field(description="验证码是否为本系统出具的信用报告")
    message: str = Field(description="核验结论的中文说明")
    code: str = Field(description="所核验的验证码")
    issued_at: datetime.datetime | None = Field(description="报告出具时间")
    employer_name: str = Field(description="报告所载单位名称")
    employer_uscc: str = Field(description="报告所载统一社会信用代码")
    grade: str = Field(description="报告所载信用等级")
    grade_as_of: datetime.date | None = Field(description="报告所载等级的评价日期")
    current_grade: str = Field(description="现行信用等级")
    current_as_of: datetime.date | None = Field(description="现行等级的评价日期")
    still_current: bool = Field(description="报告所载等级是否仍为现行等级")
    pdf_sha256: str = Field(description="报告 PDF 文件的 SHA-256，可用于核对文件未被改动")


@api.get(
    "/reports/{code}/verification",
    response={200: VerificationOut, **ERRORS},
    url_name="report-verification",
    summary="核验信用报告的验证码（第六条）",
    description=(
        "权限：read_grades。与公开核验页面 /reports/verify/ 的结论相同：是否真实、出具时间、"
        "报告所载等级及其是否仍为现行等级；伪造或改动的验证码返回 authentic=false。"
    ),
)
def report_verification(
    request: HttpRequest, code: PathEx[str, P(description="信用报告上印的验证码")]
) -> Any:
    from laborcredit.reports.services import report_verify_audited

    _require(request, Scope.READ_GRADES)
    result = report_verify_audited(code=code[:64])
    if result.authentic:
        _touch(request, result.employer_uscc)
    return result.as_dict()
