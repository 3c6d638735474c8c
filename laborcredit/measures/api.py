"""GET /api/v1/window/<uscc>: the licensing window's answer as JSON (第十五条(一), 第十七条).

Errors are JSON too, {"code", "message"} with a Chinese message: 400 an invalid
code, 404 an unknown employer, 401 not signed in, 403 no permission.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse

from laborcredit.measures.selectors import window_check, window_employer
from laborcredit.rules.validation import check_uscc

_JSON = {"ensure_ascii": False}


def api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status, json_dumps_params=_JSON)


def api_permission_required(perm: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The API's @login_required + @permission_required: a JSON 401 or 403, never a redirect.

    The caller here is the signed-in staff session (the window page's own lookups); other
    departments' systems use the key-authenticated API at /api/v1/ (laborcredit.api.v1).
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return api_error(401, "not-authenticated", "请先登录后再调用接口")
            if not request.user.has_perm(perm):
                return api_error(403, "permission-denied", "无权调用该接口")
            return view(request, *args, **kwargs)

        return checked

    return decorator


@api_permission_required("rating.view_employergrade")
def window(request: HttpRequest, uscc: str) -> JsonResponse:
    """The grade and what the window must do; the page /window/ shows the same answer."""
    if request.method != "GET":
        return api_error(405, "method-not-allowed", "该接口只接受 GET 请求")
    code, problem = check_uscc(uscc.strip().upper())
    if problem is not None:
        return api_error(400, "uscc-invalid", problem)
    employer = window_employer(code)  # type: ignore[arg-type]
    if employer is None:
        return api_error(404, "employer-unknown", f"未找到统一社会信用代码为 {code} 的用人单位")
    answer = window_check(employer)
    grade = answer["grade"]
    body = {
        "uscc": employer.uscc,
        "name": employer.name,
        "grade": grade["code"] if grade else None,
        "grade_label": grade["label"] if grade else None,
        "as_of": grade["as_of"].isoformat() if grade else None,
        "pending_review": grade["pending_review"] if grade else False,
        **{k: v for k, v in answer.items() if k not in ("employer", "grade", "measures")},
        "measures": [
            {
                "citation": m["citation"],
                "kind": m["kind"],
                "text": m["text"],
                "why": m["why"],
                "local": m["local"],
                **({"legal_basis": m["legal_basis"]} if m["local"] else {}),
            }
            for m in answer["measures"]
        ],
    }
    return JsonResponse(body, json_dumps_params=_JSON)
