"""Where the platform takes files: the pending items as one batch file with a manifest."""

from __future__ import annotations

import datetime
import json

import openpyxl
import pytest

from laborcredit.exchange.files import export_batch, sha256_of, verify_manifest
from laborcredit.exchange.models import Kind, OutboxItem, PushReceipt, State
from tests.exchange.test_push import city

pytestmark = pytest.mark.django_db

DAY = datetime.date.today() - datetime.timedelta(days=30)


def test_a_json_batch_holds_every_pending_item_in_order_and_its_manifest_verifies(tmp_path):
    city(2)
    keys = [i.idempotency_key for i in OutboxItem.objects.order_by("pk")]
    batch = export_batch(directory=tmp_path, format="json")
    data = json.loads(batch.path.read_text(encoding="utf-8"))
    assert [row["idempotency_key"] for row in data["items"]] == keys
    manifest = json.loads(batch.manifest.read_text(encoding="utf-8"))
    assert manifest["items"] == len(keys) and manifest["idempotency_keys"] == keys
    assert manifest["sha256"] == sha256_of(batch.path) and verify_manifest(batch.manifest)
    assert all(
        i.state == State.SENT and i.receipt_id == batch.path.name for i in OutboxItem.objects.all()
    )
    assert PushReceipt.objects.count() == len(keys)
    assert export_batch(directory=tmp_path, format="json") is None  # nothing left


def test_a_changed_file_no_longer_matches_its_manifest(tmp_path):
    city(1)
    batch = export_batch(directory=tmp_path, format="json")
    batch.path.write_text(
        batch.path.read_text(encoding="utf-8").replace("penalty", "xenalty"), encoding="utf-8"
    )
    assert not verify_manifest(batch.manifest)


def test_an_xlsx_batch_has_the_items_and_a_shuang_gong_shi_sheet(tmp_path, settings):
    settings.LABORCREDIT_PLATFORM_SECRET = "s"
    city(2)
    batch = export_batch(directory=tmp_path, format="xlsx")
    assert verify_manifest(batch.manifest)
    assert "signature" in json.loads(batch.manifest.read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(batch.path, read_only=True)
    rows = list(book["推送数据"].iter_rows(values_only=True))
    assert rows[0][0] == "幂等键" and len(rows) == 1 + OutboxItem.objects.count()
    penalties = list(book["行政处罚（双公示）"].iter_rows(values_only=True))
    assert penalties[0][1:4] == ("行政相对人名称", "行政相对人类别", "统一社会信用代码")
    assert len(penalties) == 1 + OutboxItem.objects.filter(kind=Kind.PENALTY).count()


def test_the_shuang_gong_shi_sheet_gives_the_fine_in_wan_yuan_under_a_header_that_says_so(
    tmp_path, settings
):
    from laborcredit.credit.services import record_create
    from tests.factories import EmployerFactory

    settings.LABORCREDIT_PLATFORM_SECRET = "s"
    employer = EmployerFactory()
    record_create(employer=employer, type="violation_found", date=DAY, case="案9", actor="o")
    record_create(employer=employer, type="penalty_imposed", date=DAY, case="案9", actor="o",
                  penalty_category="罚款", fine_amount="5000", violation_type="拖欠工资")  # fmt: skip
    batch = export_batch(directory=tmp_path, format="xlsx")
    book = openpyxl.load_workbook(batch.path, read_only=True)
    header, row = list(book["行政处罚（双公示）"].iter_rows(values_only=True))
    assert "罚款金额" not in header
    assert row[header.index("罚款金额（万元）")] == "0.5"
    assert (row[header.index("处罚类别")], row[header.index("违法行为类型")]) == (
        "罚款",
        "拖欠工资",
    )
