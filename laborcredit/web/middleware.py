"""Input no page can take: a NUL character in a query or form field (IN1).

PostgreSQL text cannot hold NUL, so such a value reached a query as a database
error (a 500). It is refused here, once for every page, with a 400 in Chinese
(JSON under /api/). Multipart bodies are left to the views (an upload view sets
its own upload handlers before the body is read), whose form fields refuse NUL.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from laborcredit.lib import locks

MESSAGE = "请求中含有不允许的控制字符（NUL），请检查输入"


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "null-character", "message": MESSAGE}, status=400)
            return render(request, "400.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        sources = [request.GET]
        if request.content_type == "application/x-www-form-urlencoded":
            sources.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for source in sources
            for key, values in source.lists()
        )


NOT_ALLOWED = "此页面不接受这种请求方式：请使用页面上的按钮或表单操作"


class ChineseMethodNotAllowedMiddleware:
    """Django answers a wrong method (a GET on a POST-only action) with an empty 405: say why in
    Chinese, on the site's own page (the API answers in JSON itself)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith("/api/"):
            return response
        page = render(request, "400.html", {"message": NOT_ALLOWED}, status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


class BusyMiddleware:
    """A request whose database lock could not be had (laborcredit.lib.locks) gets a 503 in
    Chinese, JSON with a stable code under /api/, instead of a 500: its transaction was rolled
    back, nothing was saved, and the same request later works."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not locks.lock_not_obtained(exception):
            return None
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"code": locks.BUSY_CODE, "message": locks.BUSY_MESSAGE},
                status=503,
                json_dumps_params={"ensure_ascii": False},
            )
        else:
            response = render(request, "503.html", {"message": locks.BUSY_MESSAGE}, status=503)
        response["Retry-After"] = str(locks.RETRY_AFTER_SECONDS)
        return response
