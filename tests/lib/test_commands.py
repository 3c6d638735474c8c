"""Domain commands speak Chinese: usage, errors, no English "CommandError:" prefix."""

import subprocess
import sys

import pytest


def run(*args, tmp_path):
    env = {"LABORCREDIT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "laborcredit.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.slow
def test_a_missing_argument_is_answered_in_chinese_with_status_2(tmp_path):
    result = run("evaluate", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "用法：" in result.stderr
    assert "缺少必需的参数：--as-of" in result.stderr
    assert "usage" not in result.stderr


@pytest.mark.slow
def test_a_refusal_prints_only_the_chinese_message_and_status_1(tmp_path):
    assert run("migrate", "-v0", tmp_path=tmp_path).returncode == 0
    result = run("evaluate", "--as-of", "2026-13-01", tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "评价日期：不存在的日期 “2026-13-01”"


@pytest.mark.slow
def test_help_of_a_domain_command_hides_djangos_english_options(tmp_path):
    result = run("runs", "--help", tmp_path=tmp_path)
    assert result.returncode == 0
    assert "--pythonpath" not in result.stdout
    assert "显示本帮助并退出" in result.stdout
    assert "选项" in result.stdout
