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
