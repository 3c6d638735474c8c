"""Where the platform takes files instead of calls: the outbox's pending items as one batch file
(JSON or xlsx) with a manifest carrying its SHA-256 (and an HMAC of the manifest when a secret
is configured). Items written to a file count as sent, the file name as their receipt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from laborcredit.audit.context import acting_as
from laborcredit.audit.services import audit_append
from laborcredit.exchange.models import Kind, OutboxItem, PushReceipt, State
from laborcredit.exchange.push import Config
from laborcredit.exchange.services import SERVICE_ACTOR, record_objection_push

FORMATS = ("json", "xlsx")
PENALTY_COLUMNS = (
    "行政相对人名称", "行政相对人类别", "统一社会信用代码", "行政处罚决定书文号", "违法行为类型",
    "违法事实", "处罚依据", "处罚类别", "处罚内容", "罚款金额", "处罚决定日期", "处罚机关",
    "处罚机关统一社会信用代码", "数据来源", "数据来源单位统一社会信用代码",
)  # fmt: skip
PENALTY_HEADERS = {"罚款金额": "罚款金额（万元）"}
"""Column headers that say more than the payload's key (双公示 publishes the fine in 万元)."""


@dataclass(frozen=True)
class ExportedBatch:
    path: Path
    manifest: Path
    items: int
    sha256: str


def _rows(items: list[OutboxItem]) -> list[dict[str, Any]]:
    return [
        {
            "idempotency_key": i.idempotency_key,
            "kind": i.kind,
            "uscc": i.employer.uscc,
            "created_at": i.created_at.isoformat(),
            "data": i.payload,
        }
        for i in items
    ]


def _write_json(path: Path, batch_id: str, rows: list[dict[str, Any]]) -> None:
    path.write_text(
        json.dumps({"batch_id": batch_id, "items": rows}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


def _write_xlsx(path: Path, batch_id: str, rows: list[dict[str, Any]]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("推送数据")
    sheet.append(["幂等键", "类别", "统一社会信用代码", "生成时间", "内容（JSON）"])
    for row in rows:
        sheet.append([row["idempotency_key"], Kind(row["kind"]).label, row["uscc"],
                      row["created_at"], json.dumps(row["data"], ensure_ascii=False)])  # fmt: skip
    penalties = workbook.create_sheet("行政处罚（双公示）")
    penalties.append(["幂等键", *(PENALTY_HEADERS.get(c, c) for c in PENALTY_COLUMNS)])
    for row in rows:
        if row["kind"] == Kind.PENALTY:
            penalties.append(
                [row["idempotency_key"], *(str(row["data"].get(c, "")) for c in PENALTY_COLUMNS)]
            )
    info = workbook.create_sheet("批次")
    info.append(["批次编号", batch_id])
    workbook.save(path)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_batch(
    *, directory: Path, format: str, config: Config | None = None
) -> ExportedBatch | None:
    """Write every pending item (in created order) to one file in `directory` with its manifest,
    and mark them sent; None when nothing is pending."""
    if format not in FORMATS:
        raise ValueError(format)
    config = config or Config.from_settings()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    batch_id = f"{now:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
    with transaction.atomic():
        query = OutboxItem.objects.filter(state=State.PENDING).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True, of=("self",))
        items = list(query.select_related("employer").order_by("pk"))
        if not items:
            return None
        rows = _rows(items)
        path = directory / f"laborcredit-{batch_id}.{format}"
        partial = path.with_name(path.name + ".part")
        (_write_json if format == "json" else _write_xlsx)(partial, batch_id, rows)
        os.replace(partial, path)
        checksum = sha256_of(path)
        manifest = {
            "batch_id": batch_id,
            "file": path.name,
            "format": format,
            "sha256": checksum,
            "size": path.stat().st_size,
            "items": len(items),
            "app_id": config.app_id,
            "created_at": now.isoformat(),
            "idempotency_keys": [i.idempotency_key for i in items],
        }
        if config.secret:
            text = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode()
            manifest["signature"] = hmac.new(
                config.secret.encode(), text, hashlib.sha256
            ).hexdigest()
        manifest_path = directory / f"laborcredit-{batch_id}.manifest.json"
        manifest_path.write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        receipt = {"file": path.name, "sha256": checksum, "batch_id": batch_id}
        for item in items:
            item.state = State.SENT
            item.sent_at = now
            item.attempts += 1
            item.receipt_id = path.name
            item.receipt = receipt
            item.claimed_by, item.claimed_until = "", None
            item.save()
            PushReceipt.objects.create(item=item, receipt_id=path.name, body=receipt)
            if item.kind == Kind.OBJECTION_OUTCOME:
                record_objection_push(item)
        with acting_as(actor=SERVICE_ACTOR):
            audit_append(
                event="push_sent",
                object_type="export",
                object_id=f"文件 {path.name}",
                data={"items": len(items), "sha256": checksum},
            )
    return ExportedBatch(path, manifest_path, len(items), checksum)


def verify_manifest(manifest_path: Path) -> bool:
    """True when the file the manifest names is there and has the manifest's checksum."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    path = Path(manifest_path).parent / manifest["file"]
    return path.is_file() and sha256_of(path) == manifest["sha256"]
