"""The audit log (AU1–AU3): one append-only, hash-chained table of entries.

``hash = SHA-256(prev_hash ‖ canonical entry)``, where the canonical entry is the
JSON of every field but ``seq`` and ``hash`` (sorted keys, no whitespace, UTF-8,
``ts`` in UTC with microseconds). Entries link by ``prev_hash``, not by ``seq``:
sequences have gaps after rollbacks. The first entry's ``prev_hash`` is
``GENESIS``. Write entries only with ``laborcredit.audit.services.audit_append``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.db import models

from laborcredit.lib.appendonly import AppendOnlyError

GENESIS = "0" * 64

HASHED_FIELDS = (
    "ts",
    "actor",
    "role",
    "address",
    "event",
    "object_type",
    "object_id",
    "outcome",
    "request_id",
    "data",
    "prev_hash",
)

APPEND_ONLY_MESSAGE = "审计日志只能追加，不得修改或删除"


def canonical_entry(values: Mapping[str, Any]) -> bytes:
    """The deterministic serialisation that is hashed (every field except seq and hash)."""
    document = {name: values[name] for name in HASHED_FIELDS}
    document["ts"] = values["ts"].astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def entry_hash(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(values["prev_hash"].encode("ascii") + canonical_entry(values)).hexdigest()


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def bulk_update(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def bulk_create(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("审计日志只能经 audit_append 或 audit_append_many 写入")


class AuditEntry(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        DENIED = "denied", "被拒绝"

    seq = models.BigAutoField("序号", primary_key=True)
    ts = models.DateTimeField("时间（UTC）", db_index=True)
    actor = models.CharField("用户", max_length=150, blank=True, db_index=True)
    role = models.CharField("角色", max_length=150, blank=True)
    address = models.CharField("来源地址", max_length=64, blank=True)
    event = models.CharField("事件", max_length=40, db_index=True)
    object_type = models.CharField("对象类型", max_length=40, blank=True)
    object_id = models.CharField("对象", max_length=200, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    request_id = models.CharField("请求标识", max_length=64)
    data = models.JSONField("内容", default=dict)
    prev_hash = models.CharField("前一条哈希", max_length=64, unique=True)
    hash = models.CharField("哈希", max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        db_table = "audit_entry"
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ("seq",)
        indexes = (models.Index(fields=["object_type", "object_id"], name="audit_entry_object"),)

    def __str__(self) -> str:
        from laborcredit.audit.events import render

        return render(self)

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def hashed_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in HASHED_FIELDS}

    def compute_hash(self) -> str:
        return entry_hash(self.hashed_values())
