"""gunicorn's own answers in Chinese.

A request gunicorn refuses before Django sees it (a URL over 4,094 characters, headers over
8,190 bytes or over 100 of them, a malformed request line) was answered with gunicorn's
English page ("URI Too Long"). The worker classes here let gunicorn classify and log the
error as it does, keep its status line, and send a page in Chinese instead.
`laborcredit serve` and the lookup benchmark use them.
"""

from __future__ import annotations

import html
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker as _ThreadWorker
from gunicorn.workers.sync import SyncWorker as _SyncWorker

MESSAGES = {
    400: "请求格式不正确，系统无法处理。请从系统页面上的链接重新进入。",
    403: "请求被拒绝。",
    414: "网址过长，系统无法处理。请检查链接是否完整、正确，或从系统页面上的链接重新进入。",
    417: "请求格式不受支持。",
    431: "请求头过大（常见原因是浏览器为本站保存了过多 Cookie），请清除本站的 Cookie 后重试。",
    500: "服务器内部错误，请稍后重试；如果问题持续，请联系系统管理员。",
    501: "请求格式不受支持。",
}
TITLES = {500: "服务器错误", 501: "不受支持的请求"}


def error_page(status: int, reason: str) -> bytes:
    """The whole HTTP response for gunicorn's `status` (its ASCII reason phrase kept)."""
    message = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
    title = TITLES.get(status, "请求无法处理")
    body = (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><h1>{title}（{status}）</h1>\n"
        f"<p>{html.escape(message)}</p></body></html>\n"
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
        f"Content-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class _StatusLine:
    """Stands in for the client socket while gunicorn writes its English page: keeps the
    status line, sends nothing."""

    def __init__(self) -> None:
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def setblocking(self, flag: int) -> None:
        pass

    def sendall(self, data: bytes) -> None:
        self.data += data


class ChineseErrors:
    """Mixin for a gunicorn worker class: its error answers in Chinese."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        captured = _StatusLine()
        super().handle_error(req, captured, addr, exc)  # type: ignore[misc]  # logs as gunicorn does
        status, reason = 500, "Internal Server Error"
        parts = captured.data.split(b"\r\n", 1)[0].split(b" ", 2)
        if len(parts) == 3 and parts[1].isdigit():
            status, reason = int(parts[1]), parts[2].decode("latin-1")
        try:
            util.write_nonblock(client, error_page(status, reason))
        except Exception:  # the client went away; gunicorn does the same
            pass


class SyncWorker(ChineseErrors, _SyncWorker):
    """gunicorn's sync worker, its error answers in Chinese."""


class ThreadWorker(ChineseErrors, _ThreadWorker):
    """gunicorn's gthread worker, its error answers in Chinese."""
