"""Sending the outbox to the city credit information sharing platform (第六条、第二十条).

One batch: claim due items in a short transaction (row locks, SKIP LOCKED on PostgreSQL, and a
lease so no other worker takes them while the call is under way), POST them signed, then store
each answer. At most one item per employer is in a batch, and only the employer's earliest
unsent one, so the platform receives each employer's changes in the order they happened. A
failed call is retried with exponential backoff and jitter; after `max_attempts` the item is
parked as failed for an officer to retry.

The protocol (JSON over HTTP(S) POST):
  headers  X-App-Id, X-Timestamp (Unix seconds), X-Signature =
           hex HMAC-SHA256(secret, app_id + "\\n" + timestamp + "\\n" + hex sha256(body))
  body     {"app_id", "batch_id", "items": [{"idempotency_key", "kind", "uscc", "created_at",
           "data"}]}
  answer   200 with {"receipts": [{"idempotency_key", "receipt_id", "status": "accepted" |
           "duplicate" | "rejected", "message"}]}; an item without a receipt is retried.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import os
import random
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from laborcredit.audit.context import acting_as
from laborcredit.audit.services import audit_append
from laborcredit.exchange.models import Kind, OutboxItem, PushReceipt, State
from laborcredit.exchange.services import SERVICE_ACTOR, record_objection_push

log = logging.getLogger(__name__)


class NotConfigured(Exception):
    """The platform's address, app id or secret is not set."""


@dataclass(frozen=True)
class Config:
    url: str
    app_id: str
    secret: str
    batch_size: int = 100
    max_attempts: int = 8
    timeout: float = 10.0
    backoff_base: float = 30.0
    backoff_max: float = 3600.0
    poll_interval: float = 10.0

    @classmethod
    def from_settings(cls) -> Config:
        def get(name: str, default: Any) -> Any:
            return getattr(settings, f"LABORCREDIT_PLATFORM_{name}", default)

        config = cls(
            url=get("URL", "") or "",
            app_id=get("APP_ID", "") or "",
            secret=get("SECRET", "") or "",
            batch_size=int(get("BATCH_SIZE", 100)),
            max_attempts=int(get("MAX_ATTEMPTS", 8)),
            timeout=float(get("TIMEOUT", 10.0)),
            backoff_base=float(get("BACKOFF_BASE", 30.0)),
            backoff_max=float(get("BACKOFF_MAX", 3600.0)),
            poll_interval=float(get("POLL_INTERVAL", 10.0)),
        )
        return config

    def missing(self) -> list[str]:
        names = {"URL": self.url, "APP_ID": self.app_id, "SECRET": self.secret}
        return [f"LABORCREDIT_PLATFORM_{k}" for k, v in names.items() if not v]

    @property
    def lease(self) -> datetime.timedelta:
        """Long enough for the call to end (it cannot outlast its timeout) and its answer stored."""
        return datetime.timedelta(seconds=self.timeout * 2 + 60)


def sign(secret: str, app_id: str, timestamp: str, body: bytes) -> str:
    message = f"{app_id}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def backoff(attempts: int, config: Config, rand: Callable[[], float] = random.random) -> float:
    """Seconds before attempt `attempts + 1`: exponential, capped, with jitter (half to all of it)."""
    ceiling = min(config.backoff_max, config.backoff_base * 2 ** max(attempts - 1, 0))
    return ceiling / 2 + rand() * ceiling / 2


class CallFailed(Exception):
    """The call did not bring back receipts (refused, timed out, dropped, unreadable)."""


def http_send(config: Config, body: bytes, now: Callable[[], datetime.datetime]) -> dict[str, Any]:
    timestamp = str(int(now().timestamp()))
    request = urllib.request.Request(
        config.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-App-Id": config.app_id,
            "X-Timestamp": timestamp,
            "X-Signature": sign(config.secret, config.app_id, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        raise CallFailed(f"平台返回 HTTP {error.code}") from None
    except TimeoutError:
        raise CallFailed(f"平台在 {config.timeout:g} 秒内没有应答") from None
    except (urllib.error.URLError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise CallFailed(f"无法连接平台或连接中断：{reason}") from None
    except Exception as error:  # http.client.RemoteDisconnected, IncompleteRead …
        raise CallFailed(f"与平台的连接中断：{type(error).__name__}") from None
    try:
        answer = json.loads(raw.decode("utf-8"))
        if not isinstance(answer, dict) or not isinstance(answer.get("receipts"), list):
            raise ValueError
    except ValueError:
        raise CallFailed("平台的应答不是约定的回执格式") from None
    return answer


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}:{uuid.uuid4().hex[:8]}"


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class Pusher:
    """Sends the outbox. `now`, `rand` and `send` are parameters so tests can drive time,
    jitter and the transport."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        now: Callable[[], datetime.datetime] = timezone.now,
        rand: Callable[[], float] = random.random,
        send: Callable[[Config, bytes, Callable[[], datetime.datetime]], dict[str, Any]]
        | None = None,
        name: str | None = None,
    ) -> None:
        self.config = config or Config.from_settings()
        self.now = now
        self.rand = rand
        self.send = send or http_send
        self.name = name or _worker_name()

    # ---------------------------------------------------------- claiming

    def _due(self, now: datetime.datetime) -> Any:
        earlier_unsent = OutboxItem.objects.filter(
            employer_id=OuterRef("employer_id"), pk__lt=OuterRef("pk")
        ).exclude(state=State.SENT)
        return (
            OutboxItem.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
            # A lease that ran out, or this worker's own (left by a lost connection).
            .filter(
                Q(claimed_until__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=self.name)
            )
            .filter(~Exists(earlier_unsent))
            .order_by("pk")
        )

    def claim(self) -> list[OutboxItem]:
        """Take up to batch_size due items, each its employer's earliest unsent one, under a lease."""
        now = self.now()
        with transaction.atomic():
            query = self._due(now)
            if connection.features.has_select_for_update_skip_locked:
                query = query.select_for_update(skip_locked=True, of=("self",))
            items = list(query.select_related("employer")[: self.config.batch_size])
            if not items:
                return []
            OutboxItem.objects.filter(pk__in=[i.pk for i in items]).update(
                claimed_by=self.name, claimed_until=now + self.config.lease
            )
        return items

    # ---------------------------------------------------------- one batch

    def body(self, items: list[OutboxItem], batch_id: str) -> bytes:
        return json.dumps(
            {
                "app_id": self.config.app_id,
                "batch_id": batch_id,
                "items": [
                    {
                        "idempotency_key": i.idempotency_key,
                        "kind": i.kind,
                        "uscc": i.employer.uscc,
                        "created_at": i.created_at.isoformat(),
                        "data": i.payload,
                    }
                    for i in items
                ],
            },
            ensure_ascii=False,
            sort_keys=True,
        ).encode("utf-8")

    def push_batch(self) -> BatchResult:
        """Claim, send and store one batch; returns what happened (claimed 0: nothing due)."""
        items = self.claim()
        result = BatchResult(claimed=len(items))
        if not items:
            return result
        batch_id = uuid.uuid4().hex
        try:
            answer = self.send(self.config, self.body(items, batch_id), self.now)
            receipts: dict[str, list[dict[str, Any]]] = {}
            for receipt in answer["receipts"]:
                if isinstance(receipt, dict) and receipt.get("idempotency_key"):
                    receipts.setdefault(str(receipt["idempotency_key"]), []).append(receipt)
            error = ""
        except CallFailed as failure:
            receipts, error = {}, str(failure)
        self._store(items, receipts, error, batch_id, result)
        return result

    @transaction.atomic
    def _store(
        self,
        items: list[OutboxItem],
        receipts: dict[str, list[dict[str, Any]]],
        error: str,
        batch_id: str,
        result: BatchResult,
    ) -> None:
        now = self.now()
        sent_keys = []
        for item in items:
            current = OutboxItem.objects.select_for_update().get(pk=item.pk)
            mine = current.claimed_by == self.name
            answers = receipts.get(item.idempotency_key, [])
            accepted = [r for r in answers if r.get("status") in ("accepted", "duplicate")]
            for n, r in enumerate(answers):
                PushReceipt.objects.create(
                    item=current,
                    receipt_id=str(r.get("receipt_id") or "")[:200],
                    body=r,
                    duplicate=n > 0 or current.state == State.SENT,
                )
            if current.state == State.SENT:
                continue  # another worker stored it (a lease that ran out): keep the first
            if accepted:
                current.state = State.SENT
                current.sent_at = now
                current.receipt_id = str(accepted[0].get("receipt_id") or "")[:200]
                current.receipt = accepted[0]
                current.attempts += 1
                current.claimed_by, current.claimed_until = "", None
                current.save()
                sent_keys.append(current.idempotency_key)
                result.sent += 1
                if current.kind == Kind.OBJECTION_OUTCOME:
                    record_objection_push(current)
                continue
            if not mine:
                continue  # not ours any more: the worker holding it counts the attempt
            rejected = [r for r in answers if r.get("status") == "rejected"]
            if rejected:
                why = f"平台拒收：{rejected[0].get('message') or '未说明原因'}"
            else:
                why = error or "平台的应答中没有该条的回执"
            current.attempts += 1
            current.last_error = why
            current.claimed_by, current.claimed_until = "", None
            if current.attempts >= self.config.max_attempts:
                current.state = State.FAILED
                result.failed += 1
            else:
                delay = backoff(current.attempts, self.config, self.rand)
                current.next_attempt_at = now + datetime.timedelta(seconds=delay)
                result.retried += 1
            current.save()
            result.errors.append(f"{current.idempotency_key}：{why}")
        if sent_keys:
            with acting_as(actor=SERVICE_ACTOR):
                audit_append(
                    event="push_sent",
                    object_type="export",
                    object_id=f"批次 {batch_id}",
                    data={"items": len(sent_keys), "keys": sent_keys[:50]},
                )

    # ---------------------------------------------------------- loops

    def push_due(self, *, once: bool = False) -> BatchResult:
        """Send batches until nothing is due now (or one batch with `once`)."""
        total = BatchResult()
        while True:
            result = self.push_batch()
            total.claimed += result.claimed
            total.sent += result.sent
            total.retried += result.retried
            total.failed += result.failed
            total.errors += result.errors
            if once or result.claimed == 0 or result.sent == 0:
                return total

    def run(
        self,
        *,
        stop: threading.Event | None = None,
        sleep: Callable[[float], Any] = time.sleep,
        report: Callable[[str], Any] = lambda line: None,
    ) -> None:
        """Run until `stop` is set: send what is due, wait when nothing is; a lost database
        connection (a restart) is waited out and the loop carries on."""
        stop = stop or threading.Event()
        down = 0
        while not stop.is_set():
            try:
                result = self.push_due()
                down = 0
            except (OperationalError, InterfaceError, DatabaseError) as error:
                if not _connection_error(error):
                    raise
                down += 1
                report(f"数据库连接中断（{type(error).__name__}），{min(2**down, 60)} 秒后重试")
                _drop_connection()
                sleep(min(2**down, 60))
                continue
            if result.claimed:
                report(
                    f"推送 {result.sent} 条，待重试 {result.retried} 条，失败 {result.failed} 条"
                )
            if result.claimed == 0 or result.sent == 0:
                sleep(self.config.poll_interval)


def _connection_error(error: Exception) -> bool:
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    # psycopg reports a terminated backend in a transaction block as a DatabaseError too.
    text = str(error).lower()
    return "terminat" in text or "connection" in text or "server closed" in text


def _drop_connection() -> None:
    try:
        connection.close()
    except Exception:
        connection.connection = None
