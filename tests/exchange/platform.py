"""A city credit information sharing platform on 127.0.0.1 that misbehaves when told to.

It checks every request's signature, remembers each item by its idempotency key (so a repeat
is answered "duplicate" with the first receipt, as a real platform would), and records every
delivery as it came, for the tests to count.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

APP_ID = "wugang-hrss"
SECRET = "test-secret-不要外传"


class FakePlatform:
    """`script` holds the next answers' modes, taken one per request; when empty, "ok".

    Modes: ok; 500; timeout (sleeps past the client's timeout, then stores nothing); drop
    (closes the connection without an answer, after storing: the worst case); slow (answers
    after `slow_seconds`, within the timeout); duplicate (every receipt sent twice); partial
    (receipts for the first item only); reject (rejects every item); garbage (not JSON).
    """

    def __init__(self, *, timeout_sleep: float = 1.5, slow_seconds: float = 0.3) -> None:
        self.script: deque[str] = deque()
        self.timeout_sleep = timeout_sleep
        self.slow_seconds = slow_seconds
        self.lock = threading.Lock()
        self.deliveries: list[dict[str, Any]] = []  # every item of every request, as received
        self.stored: dict[str, dict[str, Any]] = {}  # by idempotency key: first arrival
        self.order: list[str] = []  # keys in the order first stored
        self.requests = 0
        self.bad_signatures = 0
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with platform.lock:
                    platform.requests += 1
                    mode = platform.script.popleft() if platform.script else "ok"
                if not platform.signed(self.headers, body):
                    with platform.lock:
                        platform.bad_signatures += 1
                    self._answer(401, {"error": "签名错误"})
                    return
                if mode == "500":
                    self._answer(500, {"error": "内部错误"})
                    return
                if mode == "timeout":
                    time.sleep(platform.timeout_sleep)
                    return
                items = json.loads(body)["items"]
                if mode == "reject":
                    receipts = [{"idempotency_key": i["idempotency_key"], "status": "rejected",
                                 "message": "数据项不完整"} for i in items]  # fmt: skip
                    self._answer(200, {"receipts": receipts})
                    return
                receipts = platform.store(items)
                if mode == "drop":
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                if mode == "slow":
                    time.sleep(platform.slow_seconds)
                if mode == "duplicate":
                    receipts = [r for r in receipts for _ in (1, 2)]
                if mode == "partial":
                    receipts = receipts[:1]
                if mode == "garbage":
                    self._raw(200, b"<html>maintenance</html>")
                    return
                self._answer(200, {"receipts": receipts})

            def _answer(self, status: int, data: dict[str, Any]) -> None:
                self._raw(status, json.dumps(data, ensure_ascii=False).encode())

            def _raw(self, status: int, raw: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/credit/push"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def signed(self, headers: Any, body: bytes) -> bool:
        stamp = headers.get("X-Timestamp", "")
        message = f"{headers.get('X-App-Id')}\n{stamp}\n{hashlib.sha256(body).hexdigest()}"
        expected = hmac.new(SECRET.encode(), message.encode(), hashlib.sha256).hexdigest()
        return headers.get("X-App-Id") == APP_ID and hmac.compare_digest(
            expected, headers.get("X-Signature", "")
        )

    def store(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        receipts = []
        with self.lock:
            for item in items:
                key = item["idempotency_key"]
                self.deliveries.append(item)
                status = "duplicate" if key in self.stored else "accepted"
                if key not in self.stored:
                    self.stored[key] = {**item, "receipt_id": f"R{len(self.stored) + 1:06d}"}
                    self.order.append(key)
                receipts.append({"idempotency_key": key, "status": status,
                                 "receipt_id": self.stored[key]["receipt_id"]})  # fmt: skip
        return receipts

    def delivered(self, key: str) -> int:
        return sum(1 for d in self.deliveries if d["idempotency_key"] == key)

    def __enter__(self) -> FakePlatform:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
