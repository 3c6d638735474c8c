"""benchmarks/import_records.py: the generated .xlsx files import whole, through the real
importer, and the figures `measure` returns are the suite's; never checked for speed."""

from __future__ import annotations

import datetime

import pytest
from stdnum.cn import uscc as stdnum_uscc

from laborcredit.audit.chain import verify
from laborcredit.audit.context import acting_as
from laborcredit.credit.importing import import_file
from laborcredit.credit.models import CreditRecord, Employer
from tests.benchmarks.loading import benchmark_module

bench = benchmark_module("import_records")


def test_the_record_rows_are_tied_dated_in_the_past_and_for_valid_codes():
    rows = bench.record_rows(40, 400)

    assert 0 < len(rows) <= 400
    assert all(stdnum_uscc.is_valid(r[0]) for r in rows)
    assert all(datetime.date.fromisoformat(r[2]) < datetime.date.today() for r in rows)
    opened = {(r[0], r[3]) for r in rows if r[1] == "违反人社法律法规行为被查处"}
    tied = [r for r in rows if r[1] in ("违法行为已纠正", "行政处罚", "已履行行政处罚决定")]
    assert tied and all((r[0], r[3]) in opened for r in tied)
    assert bench.record_rows(40, 400) == rows  # seeded


@pytest.mark.django_db
def test_the_generated_files_import_whole_through_the_importer(tmp_path):
    employers_file, records_file = tmp_path / "employers.xlsx", tmp_path / "records.xlsx"
    bench.write_xlsx(employers_file, bench.EMPLOYER_HEADER, bench.employer_rows(30))
    rows = bench.record_rows(30, 150)
    bench.write_xlsx(records_file, bench.RECORD_HEADER, rows)

    with acting_as(actor="bench", role="system"):
        import_file(employers_file, "employers", actor="bench")
        done = import_file(records_file, "records", actor="bench")

    assert Employer.objects.count() == 30
    assert done.summary.records_created == CreditRecord.objects.count() == len(rows)
    # What `measure` reads in the command's output to say every row was created.
    assert f"新增记录 {len(rows)} 条" in done.sentence()
    assert verify().ok


@pytest.mark.parametrize(("seconds", "met"), [(0.05, True), (1.0, False)])
def test_measure_returns_the_suites_figures(monkeypatch, seconds, met):
    """The scratch database and the commands are stood in for: nothing is made or dropped.
    The goal scales with the rows: 60 seconds per 100,000, so 0.06 s for about 100."""
    statements: list[tuple[str, str]] = []
    monkeypatch.setattr(bench, "admin", lambda server, sql: statements.append((server, sql)))
    rows = len(bench.record_rows(20, 100))

    def run(env, *argv, profile=None):  # type: ignore[no-untyped-def]
        assert env["DATABASE_URL"] == "postgres://h:5432/laborcredit_bench"
        if argv[:2] == ("import", "records"):
            return seconds, f"导入成功：新增单位 0 家，新增记录 {rows} 条，跳过重复记录 0 条"
        return 0.5, "导入成功：新增单位 20 家"

    monkeypatch.setattr(bench, "run", run)

    figures = bench.measure(records=100, employers=20, server_url="postgres://h:5432/postgres")

    assert figures["id"] == "import"
    assert figures["title"] == "导入 .xlsx 信用记录"
    assert figures["database"] == "PostgreSQL"
    assert figures["goal"] == "100,000 行 ≤ 60 秒"
    assert (figures["rows"], figures["seconds"]) == (rows, seconds)
    assert figures["rows_per_second"] == round(rows / seconds)
    assert figures["baseline"]["label"] == "openpyxl 只读解析同一文件"
    assert figures["baseline"]["seconds"] > 0  # really parsed the file
    assert figures["ratio"] > 0
    assert figures["met"] is met
    # Only its own scratch database, on the server it was given, is made and dropped.
    assert statements == [
        ("postgres://h:5432/postgres", "DROP DATABASE IF EXISTS laborcredit_bench"),
        ("postgres://h:5432/postgres", "CREATE DATABASE laborcredit_bench"),
        ("postgres://h:5432/postgres", "DROP DATABASE IF EXISTS laborcredit_bench WITH (FORCE)"),
    ]
