"""benchmarks/rate.py still runs: sizes and a ratio, never a timing (machines differ)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_quick_benchmark_grades_every_employer_and_reports_a_ratio(tmp_path):
    report = tmp_path / "figures.json"

    done = subprocess.run(
        [
            sys.executable,
            "benchmarks/rate.py",
            "--quick",
            "--employers",
            "500",
            "--json",
            str(report),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    figures = json.loads(report.read_text(encoding="utf-8"))
    assert figures["employers"] == figures["results"] == 500
    assert figures["records_per_employer"] == 10
    assert sum(figures["grades"].values()) == 500
    assert set(figures["grades"]) == {"A+", "A", "B", "C"}
    assert figures["ratio"] > 0
    assert figures["goal_met"] is None  # the goal is for 100,000 employers
    assert "ratio rate / baseline" in done.stdout


@pytest.mark.slow
def test_the_benchmark_input_is_the_same_for_the_same_seed(tmp_path):
    def generate(name: str) -> bytes:
        path = tmp_path / name
        subprocess.run(
            [
                sys.executable,
                "benchmarks/rate.py",
                "--employers",
                "50",
                "--runs",
                "1",
                "--input",
                str(path),
            ],
            cwd=ROOT,
            capture_output=True,
            timeout=120,
            check=True,
        )
        return path.read_bytes()

    assert generate("a.json") == generate("b.json")
