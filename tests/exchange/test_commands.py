"""`laborcredit push` and `laborcredit worker`."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from laborcredit.exchange.models import OutboxItem, State
from tests.exchange.test_push import city

pytestmark = pytest.mark.django_db


def test_push_sends_everything_due_and_says_how_much(configured):
    city(2)
    out = io.StringIO()
    call_command("push", stdout=out)
    total = OutboxItem.objects.count()
    assert OutboxItem.objects.filter(state=State.SENT).count() == total == len(configured.stored)
    assert f"成功 {total} 条" in out.getvalue()


def test_push_once_sends_one_batch(configured):
    city(2)
    call_command("push", "--once", stdout=io.StringIO())
    assert len(configured.stored) == 2  # each employer's first item
    assert configured.requests == 1


@pytest.mark.parametrize("command", ["push", "worker"])
def test_without_a_platform_the_commands_refuse_in_chinese_with_code_2(command):
    with pytest.raises(CommandError) as refused:
        call_command(command, stdout=io.StringIO())
    assert refused.value.returncode == 2
    assert "推送平台尚未配置" in str(refused.value) and "LABORCREDIT_PLATFORM_URL" in str(
        refused.value
    )


def test_push_to_file_needs_no_platform(tmp_path):
    city(1)
    out = io.StringIO()
    call_command("push", "--to-file", str(tmp_path), "--format", "xlsx", stdout=out)
    assert "已写入" in out.getvalue() and "清单" in out.getvalue()
    assert (
        len(list(tmp_path.glob("*.xlsx"))) == 1 and len(list(tmp_path.glob("*.manifest.json"))) == 1
    )
    call_command("push", "--to-file", str(tmp_path), stdout=out)
    assert "没有待推送的条目" in out.getvalue()


def test_the_real_command_exits_2_without_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABORCREDIT_PLATFORM_")}
    env["LABORCREDIT_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "laborcredit.cli", "push"], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert "推送平台尚未配置" in done.stderr and "Traceback" not in done.stderr
