"""`laborcredit audit verify` and `laborcredit audit checkpoint`, each itself audited."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from laborcredit.audit.models import AuditEntry
from tests.audit.helpers import Attacker, append_entries

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_verify_prints_the_chinese_success_line():
    entries = append_entries(3)
    output = run("verify")
    assert output.strip() == (
        f"审计日志完整：共 3 条，链头哈希 {entries[-1].hash}，已核验 0 个检查点"
    )


def test_verify_is_itself_audited_after_the_result_is_known():
    append_entries(2)
    run("verify")
    last = AuditEntry.objects.order_by("-seq").first()
    assert (last.event, last.outcome, last.object_type) == ("audit_verify", "success", "audit_log")
    assert last.data["length"] == 2
    assert last.actor.startswith("cli:")


def test_verify_after_tampering_fails_with_exit_status_1_and_names_the_entry():
    entries = append_entries(4)
    Attacker().update(entries[1].seq, object_id="999")
    with pytest.raises(CommandError) as failed:
        run("verify")
    assert failed.value.returncode == 1
    assert str(failed.value).startswith(f"审计日志被篡改：第 {entries[1].seq} 条")
    last = AuditEntry.objects.order_by("-seq").first()
    assert (last.event, last.outcome) == ("audit_verify", "failure")
    assert last.data["first_bad_seq"] == entries[1].seq


def test_checkpoint_signs_the_head_and_later_verifies_count_it(audit_files):
    append_entries(2)
    output = run("checkpoint")
    assert output.startswith("已生成检查点：至第 ")
    assert audit_files.checkpoints.exists()
    last = AuditEntry.objects.order_by("-seq").first()
    assert (last.event, last.outcome) == ("audit_checkpoint", "success")
    assert "已核验 1 个检查点" in run("verify")


def test_checkpoint_of_a_tampered_chain_is_refused_and_the_refusal_audited(audit_files):
    entries = append_entries(3)
    Attacker().update(entries[0].seq, address="1.1.1.1")
    with pytest.raises(CommandError) as failed:
        run("checkpoint")
    assert failed.value.returncode == 1
    assert "未生成检查点" in str(failed.value)
    assert not audit_files.checkpoints.exists()
    last = AuditEntry.objects.order_by("-seq").first()
    assert (last.event, last.outcome) == ("audit_checkpoint", "failure")


def test_a_subcommand_is_required():
    with pytest.raises(CommandError):
        call_command("audit")


@pytest.mark.slow
def test_the_laborcredit_command_exits_1_on_a_tampered_log(tmp_path):
    """End to end, on a fresh SQLite data folder: migrate, checkpoint, verify, tamper, verify."""
    if connection.vendor != "sqlite":
        pytest.skip("the command line runs on its own SQLite data folder; once is enough")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"LABORCREDIT_DATA_DIR": str(tmp_path), "LABORCREDIT_ACTOR": "tester"}
    env.pop("LABORCREDIT_AUDIT_SIGNING_KEY", None)
    env.pop("LABORCREDIT_AUDIT_CHECKPOINT_DIR", None)
    laborcredit = [sys.executable, "-m", "laborcredit.cli"]

    def cli(*args):
        return subprocess.run(
            [*laborcredit, *args], env=env, capture_output=True, text=True, timeout=120
        )

    assert cli("migrate", "-v0").returncode == 0
    made = cli("audit", "checkpoint")
    assert made.returncode == 0, made.stderr
    ok = cli("audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("审计日志完整：共 1 条") and "已核验 1 个检查点" in ok.stdout

    database = sqlite3.connect(Path(tmp_path) / "laborcredit.sqlite3")
    database.execute("DROP TRIGGER audit_entry_refuse_update")
    database.execute("UPDATE audit_entry SET actor = 'cli:someone-else' WHERE seq = 1")
    database.commit()
    database.close()

    broken = cli("audit", "verify")
    assert broken.returncode == 1
    assert broken.stderr.startswith("审计日志被篡改：第 1 条的内容与其哈希不符")
    assert "CommandError" not in broken.stderr
