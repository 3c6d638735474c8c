"""How fast `laborcredit import records` takes 100,000 record rows from an .xlsx on PostgreSQL.

Goal: 100,000 rows in at most 60 seconds (issue 3). The script creates a
scratch database (`laborcredit_bench`), migrates it, imports 10,000 employers
through the same command, writes a seeded .xlsx of record rows that pass every
check (cases tied, blacklistings removed after they are listed, nothing in the
future), and times the real command as a subprocess. As the baseline measured
in the same run it times merely reading the same file with openpyxl
(read-only, values only): the ratio says what the checks and the writing cost
over reading, whatever the machine. The database is dropped at the end.

    .venv/bin/python benchmarks/import_records.py                  # 100,000 rows
    .venv/bin/python benchmarks/import_records.py --quick          # 5,000 rows (smoke)
    .venv/bin/python benchmarks/import_records.py --profile prof.out   # under cProfile
    .venv/bin/python benchmarks/import_records.py --json import.json   # figures as JSON too

`BENCH_DATABASE_URL` names the server (default postgres://postgres@127.0.0.1:5432/postgres).
Exit status 1 when the import fails or does not create every row. From another script
(the benchmark suite): `measure(records=…, employers=…, server_url=…)` returns the
figures as a dict (id "import", rows, seconds, baseline, ratio, goal, met).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from stdnum.cn.uscc import calc_check_digit

GOAL_SECONDS = 60.0
ROOT = Path(__file__).resolve().parent.parent
DATABASE = "laborcredit_bench"
TOWNSHIPS = ("垭口街道", "寺坡街道", "院岭街道", "八台镇", "尹集镇", "枣林镇", "杨庄乡", "铁山乡")
EMPLOYER_HEADER = [
    "统一社会信用代码",
    "单位名称",
    "乡镇（街道）",
    "行业代码",
    "登记注册类型",
    "职工人数",
]
RECORD_HEADER = ["统一社会信用代码", "记录类型", "日期", "案件编号", "整改期限", "评估是否通过",
                 "省级评价等级", "文书号", "作出机关", "说明", "公开范围"]  # fmt: skip


def uscc(n: int) -> str:
    body = f"91410481MA{n:07d}"
    return body + calc_check_digit(body)


def employer_rows(count: int) -> list[list[object]]:
    return [[uscc(n), f"舞钢市基准{n}号有限公司", TOWNSHIPS[n % len(TOWNSHIPS)], "C31",
             "有限责任公司", 10 + n % 300] for n in range(count)]  # fmt: skip


def record_rows(employers: int, records: int, seed: int = 7) -> list[list[object]]:
    """About records/employers rows per employer, in tied groups, all before today."""
    rng = random.Random(seed)
    today = datetime.date.today()
    rows: list[list[object]] = []
    per = max(1, records // employers)
    for n in range(employers):
        code = uscc(n)
        day = today - datetime.timedelta(days=2000 + rng.randrange(60))
        out: list[list[object]] = []
        while len(out) < per:
            day += datetime.timedelta(days=rng.randrange(5, 25))
            case = f"舞人社监〔{day.year}〕{n}-{len(out)}号"
            roll = rng.random()
            base: list[object] = [
                code,
                "",
                day.isoformat(),
                "",
                "",
                "",
                "",
                "",
                "舞钢市人力资源和社会保障局",
                "",
                "公开",
            ]
            if roll < 0.35:
                out.append(_with(base, 1, "劳动用工情况评估", 5, "是"))
            elif roll < 0.55:
                out.append(
                    _with(base, 1, "河南省公共信用综合评价结果", 6, "ABCD"[rng.randrange(4)])
                )
            elif roll < 0.80:
                out.append(
                    _with(base, 1, "违反人社法律法规行为被查处", 3, case, 9, "未按时足额支付工资")
                )
                later = (day + datetime.timedelta(days=3)).isoformat()
                out.append(_with(base, 1, "违法行为已纠正", 2, later, 3, case))
            elif roll < 0.92:
                out.append(_with(base, 1, "违反人社法律法规行为被查处", 3, case))
                out.append(_with(base, 1, "行政处罚", 3, case, 7, f"罚{case}"))
                later = (day + datetime.timedelta(days=2)).isoformat()
                out.append(_with(base, 1, "已履行行政处罚决定", 2, later, 3, case))
            elif roll < 0.97:
                out.append(_with(base, 1, "认定为市级劳动关系和谐企业"))
            else:
                out.append(_with(base, 1, "列入拖欠农民工工资黑名单"))
                later = (day + datetime.timedelta(days=1)).isoformat()
                out.append(_with(base, 1, "移出拖欠农民工工资黑名单", 2, later))
            day += datetime.timedelta(days=3)
        rows.extend(out[:per])
    # the last group may have been cut: drop rows whose case lost its first record
    return _tied(rows)[:records]


def _with(base: list[object], *pairs: object) -> list[object]:
    row = list(base)
    for index, value in zip(pairs[::2], pairs[1::2], strict=True):
        row[index] = value  # type: ignore[call-overload]
    return row


def _tied(rows: list[list[object]]) -> list[list[object]]:
    opened = {(r[0], r[3]) for r in rows if r[1] == "违反人社法律法规行为被查处"}
    penalised = {(r[0], r[3]) for r in rows if r[1] == "行政处罚"}
    listed = {r[0] for r in rows if r[1] == "列入拖欠农民工工资黑名单"}
    kept = []
    for r in rows:
        if r[1] in ("违法行为已纠正", "行政处罚") and (r[0], r[3]) not in opened:
            continue
        if r[1] == "已履行行政处罚决定" and (r[0], r[3]) not in penalised:
            continue
        if r[1] == "移出拖欠农民工工资黑名单" and r[0] not in listed:
            continue
        kept.append(r)
    return kept


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("信用记录")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def read_baseline(path: Path) -> float:
    import openpyxl

    start = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert count > 0
    return time.perf_counter() - start


def default_server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(statement)


class BenchmarkFailed(RuntimeError):
    """A command of the benchmark failed; the message says which (Chinese, for the reader)."""


def run(env: dict[str, str], *argv: str, profile: str | None = None) -> tuple[float, str]:
    prefix = [sys.executable]
    if profile:
        prefix += ["-m", "cProfile", "-o", profile]
    command = [*prefix, "-m", "laborcredit.cli", *argv]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise BenchmarkFailed(f"laborcredit {' '.join(argv[:2])} 失败，退出状态 {done.returncode}")
    return seconds, done.stdout.strip()


def measure(
    *, records: int = 100_000, employers: int = 10_000, server_url: str | None = None,
    profile: str | None = None, keep: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Benchmark 7 of the suite: the import of `records` rows for `employers` employers.

    Works in its own scratch database (`laborcredit_bench`) on the server `server_url`
    (default `BENCH_DATABASE_URL`, else the local PostgreSQL), made afresh and dropped at
    the end (kept with `keep`), so other benchmark databases on the server are untouched.
    Raises `BenchmarkFailed` when a command fails.
    """
    server = server_url or default_server_url()
    work = Path(tempfile.mkdtemp(prefix="laborcredit-bench-"))
    env = {**os.environ, "DATABASE_URL": database_url(server, DATABASE),
           "LABORCREDIT_DATA_DIR": str(work), "DJANGO_SETTINGS_MODULE": "laborcredit.settings"}  # fmt: skip
    admin(server, f"DROP DATABASE IF EXISTS {DATABASE}")
    admin(server, f"CREATE DATABASE {DATABASE}")
    try:
        run(env, "migrate", "-v", "0")
        employers_file = work / "employers.xlsx"
        write_xlsx(employers_file, EMPLOYER_HEADER, employer_rows(employers))
        employers_seconds, employers_out = run(env, "import", "employers", str(employers_file))

        rows = record_rows(employers, records)
        records_file = work / "records.xlsx"
        write_xlsx(records_file, RECORD_HEADER, rows)
        baseline = min(read_baseline(records_file) for _ in range(2))
        seconds, out = run(env, "import", "records", str(records_file), profile=profile)
        size = records_file.stat().st_size
    finally:
        if not keep:
            admin(server, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            shutil.rmtree(work, ignore_errors=True)
    goal = GOAL_SECONDS * len(rows) / 100_000
    created_all = f"新增记录 {len(rows)} 条" in out
    return {
        "id": "import",
        "title": "导入 .xlsx 信用记录",
        "rows": len(rows),
        "seconds": round(seconds, 2),
        "rows_per_second": round(len(rows) / seconds) if seconds else 0,
        "baseline": {"label": "openpyxl 只读解析同一文件", "seconds": round(baseline, 3)},
        "ratio": round(seconds / baseline, 1) if baseline else math.inf,
        "goal": "100,000 行 ≤ 60 秒",
        "goal_seconds": round(goal, 1),
        "met": created_all and seconds <= goal,
        "database": "PostgreSQL",
        "created_all": created_all,
        "employers": employers,
        "employers_seconds": round(employers_seconds, 2),
        "employers_output": employers_out,
        "records_output": out,
        "file_bytes": size,
        "profile": profile,
        "work": str(work) if keep else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--employers", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="5,000 rows for 500 employers")
    parser.add_argument("--profile", metavar="FILE", help="run the import under cProfile")
    parser.add_argument("--keep", action="store_true", help="keep the database and files")
    parser.add_argument("--json", metavar="FILE", type=Path, help="结果另存为 JSON 文件")
    args = parser.parse_args()
    if args.quick:
        args.records, args.employers = 5_000, 500

    try:
        figures = measure(
            records=args.records, employers=args.employers, profile=args.profile, keep=args.keep
        )
    except BenchmarkFailed as failed:
        print(failed, file=sys.stderr)
        return 1
    rows, seconds, baseline = figures["rows"], figures["seconds"], figures["baseline"]["seconds"]
    print(
        f"单位：{figures['employers']} 家，用时 {figures['employers_seconds']:.1f} 秒"
        f"（{figures['employers_output']}）"
    )
    print(f"记录文件：{rows} 行，{figures['file_bytes'] / 1024 / 1024:.1f} MB")
    print(
        f"导入：{seconds:.1f} 秒，{figures['rows_per_second']:,} 行/秒（{figures['records_output']}）"
    )
    print(
        f"基线（openpyxl 只读解析同一文件）：{baseline:.1f} 秒；导入/基线 = {figures['ratio']:.1f}"
    )
    verdict = "达到" if seconds <= figures["goal_seconds"] else "未达到"
    print(
        f"目标 ≤ {figures['goal_seconds']:.0f} 秒：{verdict}"
        + ("（cProfile 下计时偏慢）" if args.profile else "")
    )
    if args.profile:
        stats = pstats.Stats(args.profile)
        stats.sort_stats("cumulative").print_stats(35)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0 if figures["created_all"] else 1


if __name__ == "__main__":
    sys.exit(main())
