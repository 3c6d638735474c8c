"""What gunicorn refuses before Django sees it is answered in Chinese (laborcredit/web/server.py):
a URL too long, headers too large, a malformed request line; with gunicorn's status codes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from laborcredit.web.server import error_page

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module", params=["SyncWorker", "ThreadWorker"])
def server(request, tmp_path_factory):
    data = tmp_path_factory.mktemp("server")
    port = _free_port()
    env = {**os.environ, "LABORCREDIT_DATA_DIR": str(data), "LABORCREDIT_DEBUG": "false",
           "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}", "ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_SETTINGS_MODULE": "laborcredit.settings"}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "laborcredit.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--worker-class", f"laborcredit.web.server.{request.param}",
         "--log-level", "critical"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    until = time.monotonic() + 60
    while time.monotonic() < until:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def send(port: int, raw: bytes) -> tuple[int, str, str]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(raw)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, head.decode("latin-1"), body.decode("utf-8")


def test_a_url_over_gunicorn_s_limit_gets_414_in_chinese(server):
    status, head, body = send(server, b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 414
    assert "charset=utf-8" in head
    assert "网址过长" in body and "URI Too Long" not in body
    assert f"Content-Length: {len(body.encode())}" in head


def test_headers_too_large_get_431_in_chinese(server):
    cookie = b"Cookie: " + b"c" * 9000 + b"\r\n"
    status, _, body = send(server, b"GET / HTTP/1.1\r\nHost: x\r\n" + cookie + b"\r\n")
    assert status == 431 and "清除本站的 Cookie" in body


def test_a_malformed_request_line_gets_400_in_chinese(server):
    status, _, body = send(server, b"NOT-HTTP\r\n\r\n")
    assert status == 400 and "请求格式不正确" in body and "Invalid" not in body


def test_every_page_is_utf8_html_with_the_status_in_its_title():
    for status in (400, 403, 414, 417, 431, 500, 501, 505):
        raw = error_page(status, "Reason")
        head, _, body = raw.partition(b"\r\n\r\n")
        assert head.startswith(f"HTTP/1.1 {status} Reason\r\n".encode())
        text = body.decode("utf-8")
        assert f"（{status}）" in text and '<html lang="zh-CN">' in text
        assert head.endswith(f"Content-Length: {len(body)}".encode())


def test_laborcredit_serve_runs_gunicorn_with_the_chinese_worker(monkeypatch):
    from django.core.management import call_command

    seen: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda path, argv: seen.append(argv))
    call_command("serve", "--port", str(_free_port()))
    (argv,) = seen
    assert argv[argv.index("--worker-class") + 1] == "laborcredit.web.server.ThreadWorker"
    assert argv[argv.index("--threads") + 1] == "4"
    assert argv[argv.index("--timeout") + 1] == "30"
