"""The benchmark suite (issue 8): every figure beside a baseline measured in the same run.

    .venv/bin/python benchmarks/suite.py                 # full size: 1,000,000 employers × 10
    .venv/bin/python benchmarks/suite.py --quick         # 2,000 × 10 (CI's smoke run)
    .venv/bin/python benchmarks/suite.py --only evaluation_pg,dynamic --json out.json

Benchmarks (each in a process of its own, so that its peak memory is its own):

1. evaluation_pg — the annual evaluation (`evaluation_run_create`: read, grade with the
   rules package, write the run and every result with its basis) on PostgreSQL.
   Baseline: the bare SQL pass gathering each employer's facts (GROUP BY employer and
   record type with the latest date), rows read by the client. Goal: ≤ 30 s at full
   size, ≤ 4 × the baseline, peak memory < 2 GB.
2. evaluation_sqlite — the same on SQLite at a tenth of the size (the same baseline there).
3. naive — one ORM query per employer (read, grade, save each result), against the
   set-based chunk path, on the same sample of employers (10,000 at full size); both
   rolled back. The figure is the ratio per employer.
4. dynamic — filing one record and having the new grade committed (`record_create`), on
   random employers of the big dataset: p50 and p99. Baseline: the same filing without
   the regrade (`regrade=False`). Goal: p99 < 20 ms.
5. regrade — `regrade --due` on the day after the dataset's date (employers touched, seconds),
   rolled back so that a kept dataset stays as it was; repairs kept for a later day (written by
   `migrate` on the day the dataset was loaded) are first brought back to the dataset's day,
   untimed. Baseline: one SQL pass reading the
   effective records of the employers it finds due.
6. lookups — the API's grade lookup under gunicorn (benchmarks/lookups.py).
7. import — 100,000 record rows from .xlsx (benchmarks/import_records.py).
8. approval — approving a year's evaluation (`evaluation_run_approve`: every result made the
   employer's grade, the changes into the history, the audit log and the platform's outbox),
   on a run drafted a year after the dataset's date, rolled back with the draft. Baseline:
   one UPDATE writing the run's results into the grade rows, in SQL (no history, audit or
   outbox), rolled back too. No goal in the issue: it reports seconds, changes and memory.

Datasets: PostgreSQL database `laborcredit_bench_<N>x<K>` and an SQLite file under the work
directory, made by benchmarks/dataset.py (same seed: same rows) and kept for the next run
(`--fresh` makes them again). Runs that write (evaluation, dynamic) leave the dataset as it
was, except the records `dynamic` files (tagged 基准测试 as their source).

The table is printed; `--json FILE` (default benchmarks/results/suite-<size>.json) keeps the
figures with the machine and the date. Exit status 1 when a benchmark fails to run (a goal
not met is a figure, not a failure).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
AS_OF = datetime.date(2026, 11, 24)
SEED = 20221215
# A fixed field key, so that a kept dataset decrypts on the next run (never a real key);
# BENCH_FIELD_KEY names another, for a dataset written with it.
FIELD_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"laborcredit-bench-suite").digest())
BENCHMARKS = ("evaluation_pg", "evaluation_sqlite", "naive", "dynamic", "regrade", "lookups",
              "import", "approval")  # fmt: skip
# The approval's run: a year after the dataset's date, as the next annual evaluation is.
APPROVAL_AS_OF = AS_OF.replace(year=AS_OF.year + 1)


# ---------------------------------------------------------------- sizes and places


def sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"employers": 2_000, "records": 10, "sqlite_employers": 2_000, "naive": 500,
                "filings": 40, "lookup_seconds": 3, "import_rows": 5_000,
                "import_employers": 500}  # fmt: skip
    return {"employers": 1_000_000, "records": 10, "sqlite_employers": 100_000,
            "naive": 10_000, "filings": 300, "lookup_seconds": 60, "import_rows": 100_000,
            "import_employers": 10_000}  # fmt: skip


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(server_url())._replace(path=f"/{name}"))


def admin(statement: str, url: str | None = None) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url or server_url(), autocommit=True) as conn:
        cursor = conn.execute(statement)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def environment(work: Path, url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "LABORCREDIT_DATA_DIR": str(work),
            "LABORCREDIT_FIELD_KEY": os.environ.get("BENCH_FIELD_KEY", FIELD_KEY.decode()),
            "DJANGO_SETTINGS_MODULE": "laborcredit.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}  # fmt: skip


def _counts(url: str) -> tuple[int, int] | None:
    """(employers, records) of a dataset, or None when it is missing or not migrated."""
    if url.startswith("sqlite"):
        import sqlite3

        path = urlsplit(url).path
        path = path[1:] if path.startswith("//") else path
        if not Path(path).exists():
            return None
        try:
            with sqlite3.connect(path) as conn:
                employers = conn.execute("SELECT count(*) FROM credit_employer").fetchone()[0]
                records = conn.execute("SELECT count(*) FROM credit_creditrecord").fetchone()[0]
        except sqlite3.Error:
            return None
        return employers, records
    name = urlsplit(url).path.lstrip("/")
    if not admin(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        return None
    try:
        employers = admin("SELECT count(*) FROM credit_employer", url)[0][0]
        records = admin("SELECT count(*) FROM credit_creditrecord WHERE source = 'import'", url)
    except Exception:
        return None
    return employers, records[0][0]


def dataset(work: Path, url: str, employers: int, records: int, fresh: bool) -> dict[str, Any]:
    """Make the dataset unless a complete one is there; migrate it either way."""
    env = environment(work, url)
    found = None if fresh else _counts(url)
    made: dict[str, Any] = {"reused": found == (employers, employers * records)}
    if not made["reused"]:
        if url.startswith("sqlite"):
            path = Path(
                urlsplit(url).path[1:]
                if urlsplit(url).path.startswith("//")
                else urlsplit(url).path
            )
            path.unlink(missing_ok=True)
        else:
            name = urlsplit(url).path.lstrip("/")
            admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin(f"CREATE DATABASE {name}")
        report = work / "dataset.json"
        _run([sys.executable, str(ROOT / "benchmarks" / "dataset.py"), "--employers",
              str(employers), "--records-per-employer", str(records), "--seed", str(SEED),
              "--database-url", url, "--migrate", "--workers", "2", "--json", str(report)],
             env)  # fmt: skip
        made.update(json.loads(report.read_text()))
    _run(
        [sys.executable, "-c", "from laborcredit.cli import main; main()", "migrate", "-v", "0"],
        env,
    )
    if not url.startswith("sqlite"):
        admin("VACUUM ANALYZE", url)
    return made


def _run(argv: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv[:3])} … 失败：\n{done.stdout[-2000:]}{done.stderr[-4000:]}"
        )
    return done.stdout


def one(name: str, work: Path, url: str, **options: Any) -> dict[str, Any]:
    """Run benchmark `name` in a process of its own; its figures."""
    out = _run([sys.executable, str(Path(__file__)), "--one", name, "--database-url", url,
                "--options", json.dumps(options)], environment(work, url))  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


# ---------------------------------------------------------------- the benchmarks (in a child)


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _peak_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_mb": round(own, 1), "largest_worker_mb": round(children, 1)}


def _facts_pass() -> dict[str, Any]:
    """The baseline: the bare SQL pass gathering each employer's facts, read by the client."""
    from django.db import connection

    sql = (
        "SELECT employer_id, type, max(date), count(*) FROM credit_creditrecord "
        "WHERE action <> 'void' GROUP BY employer_id, type"
    )
    started = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
                for block in copy:
                    rows += bytes(block).count(b"\n")
        else:
            cursor.execute(sql)
            while batch := cursor.fetchmany(10_000):
                rows += len(batch)
    return {"label": "一次 SQL 汇总各单位各类记录的最近日期（GROUP BY）", "seconds": time.perf_counter() - started,
            "rows": rows}  # fmt: skip


def _postgres_ticks() -> dict[int, int]:
    """CPU ticks so far (user and system) of every PostgreSQL process on this machine, by pid
    (none when /proc is not readable)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
        except OSError:
            continue  # ended meanwhile
        if fields[0].endswith("(postgres"):
            parts = fields[1].split()
            found[int(stat.parent.name)] = int(parts[11]) + int(parts[12])  # utime, stime
    return found


def _machine_ticks() -> list[int]:
    stat = Path("/proc/stat")
    return (
        [int(v) for v in stat.read_text().split("\n", 1)[0].split()[1:9]]
        if stat.exists()
        else [0] * 8
    )


class _CpuWatch:
    """Where a run's CPU went: this process, its finished children (the evaluation's worker
    processes), PostgreSQL's processes, and the machine's cores idle or, in a virtual machine,
    taken by others. PostgreSQL's processes are read every quarter of a second while the run
    lasts, because the worker processes' sessions end with them, before the run is over.
    `busy` is every core's busy time; `unattributed`, what of it none of the others account
    for (processes shorter than a reading, such as PostgreSQL's parallel workers; the kernel)."""

    def __enter__(self) -> _CpuWatch:
        import threading

        self._own = resource.getrusage(resource.RUSAGE_SELF)
        self._children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._machine = _machine_ticks()
        self._first = _postgres_ticks()
        self._last = dict(self._first)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.25):
            self._last.update(_postgres_ticks())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._last.update(_postgres_ticks())
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        machine = [b - a for a, b in zip(self._machine, _machine_ticks(), strict=True)]
        ticks = os.sysconf("SC_CLK_TCK")
        postgresql = sum(t - self._first.get(pid, 0) for pid, t in self._last.items()) / ticks
        parent = (own.ru_utime + own.ru_stime) - (self._own.ru_utime + self._own.ru_stime)
        workers = (children.ru_utime + children.ru_stime) - (
            self._children.ru_utime + self._children.ru_stime
        )
        # /proc/stat: user, nice, system, idle, iowait, irq, softirq, steal
        busy = (machine[0] + machine[1] + machine[2] + machine[5] + machine[6]) / ticks
        self.seconds = {
            name: round(value, 1)
            for name, value in {
                "parent": parent, "workers": workers, "postgresql": postgresql, "busy": busy,
                "unattributed": busy - parent - workers - postgresql,
                "idle": (machine[3] + machine[4]) / ticks, "stolen": machine[7] / ticks,
            }.items()
        }  # fmt: skip


def _draft_removed(run: Any) -> None:
    """A draft run goes again, so that a kept dataset stays as it was (its audit entry stays)."""
    from django.db import transaction

    from laborcredit.rating.models import EvaluationRun, RunResult

    with transaction.atomic():
        RunResult.objects.filter(run=run).delete()
        EvaluationRun.objects.filter(pk=run.pk).delete()


def bench_evaluation(workers: int | None = None, **_: Any) -> dict[str, Any]:
    from django.db import connection

    from laborcredit.audit.context import acting_as
    from laborcredit.credit.models import Employer
    from laborcredit.rating.services import evaluation_run_create, evaluation_workers

    employers = Employer.objects.count()
    baseline = min((_facts_pass() for _ in range(2)), key=lambda b: b["seconds"])
    chosen = workers if workers is not None else evaluation_workers(employers)
    # Where the time went: CPU seconds of the parent, its workers and PostgreSQL's processes.
    with _CpuWatch() as cpu, acting_as(actor="bench", role="system", address="local"):
        started = time.perf_counter()
        run = evaluation_run_create(as_of=AS_OF, actor="bench", workers=chosen)
        seconds = time.perf_counter() - started
    _draft_removed(run)
    memory = _peak_mb()
    # The sizes: 1,000,000 employers on PostgreSQL, 100,000 on SQLite; a smoke run
    # at another size has figures but no verdict.
    full = employers >= (1_000_000 if connection.vendor == "postgresql" else 100_000)
    return {
        "employers": employers, "database": connection.vendor, "workers": chosen,
        "seconds": round(seconds, 2), "counts": run.counts,
        "employers_per_second": round(employers / seconds),
        "baseline": {**baseline, "seconds": round(baseline["seconds"], 2)},
        "ratio": round(seconds / baseline["seconds"], 1), **memory, "cpu_seconds": cpu.seconds,
        "goal": "≤ 30 秒，≤ 4 × 基线，峰值内存 < 2 GB",
        "met": (seconds <= 30 and seconds <= 4 * baseline["seconds"]
                and memory["peak_mb"] < 2048 and memory["largest_worker_mb"] < 2048)
        if full else None,
    }  # fmt: skip


def bench_naive(sample: int = 10_000, **_: Any) -> dict[str, Any]:
    from django.db import transaction

    from laborcredit.credit.models import CreditRecord, Employer
    from laborcredit.lib.bulk import insert_rows
    from laborcredit.rating.chunks import RESULT_COLUMNS, ChunkJob
    from laborcredit.rating.models import EvaluationRun, RunResult
    from laborcredit.rating.services import (
        basis_entries,
        chunk_queries,
        grade_records,
        graded_chunk,
    )
    from laborcredit.rules.adjustment import next_change_on
    from laborcredit.rules.vocabulary import Record, RecordType

    ids = list(Employer.objects.order_by("pk").values_list("pk", flat=True)[:sample])
    lo, hi = ids[0], ids[-1]
    types = {t.value: t for t in RecordType}

    with transaction.atomic():
        run = EvaluationRun.objects.create(as_of=AS_OF, rule_version="bench", created_by="bench")
        started = time.perf_counter()
        rows = graded_chunk(chunk_queries(None), ChunkJob(run.pk, lo, hi, AS_OF, None))
        insert_rows(RunResult._meta.db_table, RESULT_COLUMNS, rows)
        set_based = time.perf_counter() - started
        transaction.set_rollback(True)
    with transaction.atomic():
        run = EvaluationRun.objects.create(as_of=AS_OF, rule_version="bench", created_by="bench")
        started = time.perf_counter()
        for employer in Employer.objects.filter(pk__in=ids).order_by("pk"):
            records = [
                Record(types[r.type], r.date, r.case or None, r.correction_deadline,
                       r.document_number or None, r.passed, r.level or None)
                for r in CreditRecord.objects.effective().filter(employer=employer)
            ]  # fmt: skip
            result = grade_records(records, AS_OF)
            RunResult.objects.create(
                run=run, employer=employer, grade=result.grade.value,
                needs_review=result.needs_review, provincial_level=result.provincial_level or "",
                basis=basis_entries(result), next_change_on=next_change_on(records, AS_OF),
            )  # fmt: skip
        naive = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "employers": len(ids), "seconds": round(naive, 2),
        "baseline": {"label": "同一批单位的集合式分块评价（一次查询一块）",
                     "seconds": round(set_based, 2)},
        "ratio": round(naive / set_based, 1), "goal": "说明集合式路径快多少（无固定目标）",
        "met": None,
    }  # fmt: skip


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def bench_dynamic(filings: int = 300, **_: Any) -> dict[str, Any]:
    from django.db import transaction

    from laborcredit.audit.context import acting_as
    from laborcredit.credit.models import Employer
    from laborcredit.credit.services import record_create
    from laborcredit.rating.models import EmployerGrade, GradeChange

    rng = random.Random(f"dynamic:{time.time_ns()}")  # fresh employers on every run
    full = Employer.objects.count() >= 1_000_000  # the goal is for the big dataset
    hi = Employer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    lo = Employer.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    picked = [Employer.objects.filter(pk__gte=rng.randint(lo, hi)).order_by("pk").first()
              for _ in range(2 * filings)]  # fmt: skip
    day = datetime.date.today() - datetime.timedelta(days=3)
    times: dict[bool, list[float]] = {True: [], False: []}
    changed = 0
    with acting_as(actor="bench", role="system", address="local"):
        for number, employer in enumerate(picked):
            regrade = number % 2 == 0  # alternate, so both meet the same machine
            assert employer is not None
            before = GradeChange.objects.filter(employer=employer).count()
            started = time.perf_counter()
            with transaction.atomic():
                record_create(
                    employer=employer, type="arbitration_lost", date=day, actor="bench",
                    regrade=regrade, case=f"基准测试仲裁〔{time.time_ns()}〕", source="manual",
                    source_ref="基准测试",
                )  # fmt: skip
            times[regrade].append((time.perf_counter() - started) * 1000)
            if regrade:
                grade = EmployerGrade.objects.get(pk=employer.pk)
                assert grade.as_of == datetime.date.today() or grade.as_of >= day
                changed += GradeChange.objects.filter(employer=employer).count() > before
    with_grade, without = times[True], times[False]
    p99 = _percentile(with_grade, 0.99)
    return {
        "filings": len(with_grade), "grade_changes": changed,
        "p50_ms": round(statistics.median(with_grade), 2), "p99_ms": round(p99, 2),
        "baseline": {"label": "同样登记一条记录，不重新评价（regrade=False）",
                     "p50_ms": round(statistics.median(without), 2),
                     "p99_ms": round(_percentile(without, 0.99), 2)},
        "ratio": round(statistics.median(with_grade) / statistics.median(without), 2),
        "goal": "p99 < 20 毫秒", "met": p99 < 20 if full else None,
    }  # fmt: skip


def bench_regrade(**_: Any) -> dict[str, Any]:
    from django.db import connection, transaction

    from laborcredit.audit.context import acting_as
    from laborcredit.rating.services import regrade_due
    from laborcredit.repair.states import states_refresh

    today = AS_OF + datetime.timedelta(days=1)  # the next day's run, as cron makes it
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "SELECT count(*) FROM credit_creditrecord r JOIN rating_employergrade g "
            "ON g.employer_id = r.employer_id WHERE g.next_change_on <= %s AND r.action <> 'void'",
            [today],
        )
        read = cursor.fetchone()[0]
        baseline = time.perf_counter() - started
    with transaction.atomic(), acting_as(actor="bench", role="system", address="local"):
        # Kept repairs written for a later day (by `migrate`, on the day the dataset was
        # loaded) are first brought back to the dataset's day, untimed: in use no repair is
        # kept for a day that has not come, and the daily run rewrites only those that end.
        brought_back = states_refresh(AS_OF, complete=True)
        started = time.perf_counter()
        summary = regrade_due(today=today, actor="bench")
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "as_of": today.isoformat(), "checked": summary.checked, "changed": summary.changed,
        # Repairs the run rewrote because they ended that day (the daily run's own work), and
        # those brought back to the dataset's day before it (untimed).
        "repairs_refreshed": summary.repairs_refreshed, "repairs_brought_back": brought_back,
        "seconds": round(seconds, 2),
        "baseline": {"label": "一次 SQL 读出到期单位的全部记录", "seconds": round(baseline, 3),
                     "records": read},
        "ratio": round(seconds / baseline, 1) if baseline else None,
        "goal": "数秒（报告用时和涉及的单位数）", "met": None,
    }  # fmt: skip


def bench_approval(**_: Any) -> dict[str, Any]:
    from django.contrib.auth.models import Permission, User
    from django.db import connection, transaction

    from laborcredit.audit.context import acting_as
    from laborcredit.rating.models import GradeChange
    from laborcredit.rating.services import evaluation_run_approve, evaluation_run_create

    with acting_as(actor="bench", role="system", address="local"):
        started = time.perf_counter()
        run = evaluation_run_create(as_of=APPROVAL_AS_OF, actor="bench")
        drafted = time.perf_counter() - started
    try:
        with transaction.atomic():  # the floor: the results into the grade rows, in SQL
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(
                    "UPDATE rating_employergrade g SET grade = r.grade, "
                    "needs_review = r.needs_review, provincial_level = r.provincial_level, "
                    "basis = r.basis, next_change_on = r.next_change_on, as_of = %s "
                    "FROM rating_runresult r WHERE r.run_id = %s AND g.employer_id = r.employer_id",
                    [APPROVAL_AS_OF, run.pk],
                )
                updated = cursor.rowcount
                baseline = time.perf_counter() - started
            transaction.set_rollback(True)
        with (
            transaction.atomic(),
            acting_as(actor="bench-approver", role="leader", address="local"),
        ):
            approver = User.objects.create_user("bench-approver")
            approver.user_permissions.add(Permission.objects.get(codename="approve_evaluationrun"))
            started = time.perf_counter()
            evaluation_run_approve(run=run, approver=approver)
            seconds = time.perf_counter() - started
            changes = GradeChange.objects.filter(run=run).count()
            transaction.set_rollback(True)
    finally:
        _draft_removed(run)
    return {
        "as_of": APPROVAL_AS_OF.isoformat(), "employers": run.employer_count,
        "changes": changes, "draft_seconds": round(drafted, 2), "seconds": round(seconds, 2),
        **_peak_mb(),
        "baseline": {"label": "一条 UPDATE 把评价结果写进等级行（不写历史、审计、报送）",
                     "seconds": round(baseline, 2), "rows": updated},
        "ratio": round(seconds / baseline, 1) if baseline else None,
        "goal": "无硬性目标（报告用时、等级变化数、内存）", "met": None,
    }  # fmt: skip


CHILD = {"evaluation_pg": bench_evaluation, "evaluation_sqlite": bench_evaluation,
         "naive": bench_naive, "dynamic": bench_dynamic, "regrade": bench_regrade,
         "approval": bench_approval}  # fmt: skip


# ---------------------------------------------------------------- the table


TITLES = {
    "evaluation_pg": "年度评价（PostgreSQL）", "evaluation_sqlite": "年度评价（SQLite）",
    "naive": "逐家 ORM 查询的评价", "dynamic": "动态调整：登记一条记录并提交新等级",
    "regrade": "每日到期重评（regrade --due）", "lookups": "接口等级查询（负载）",
    "import": "导入 .xlsx 信用记录", "approval": "批准年度评价",
}  # fmt: skip


def figure(name: str, r: dict[str, Any]) -> tuple[str, str]:
    """The result and its baseline, as the table shows them."""
    if "error" in r:
        return "运行失败", ""
    b = r.get("baseline") or {}
    if name.startswith("evaluation"):
        return (f"{r['employers']:,} 家 {r['seconds']} 秒（{r['workers']} 个评价进程，"
                f"峰值 {r['peak_mb']:.0f} MB / 子进程 {r['largest_worker_mb']:.0f} MB）",
                f"{b['seconds']} 秒")  # fmt: skip
    if name == "naive":
        return f"{r['employers']:,} 家 {r['seconds']} 秒", f"{b['seconds']} 秒"
    if name == "dynamic":
        return (f"p50 {r['p50_ms']} 毫秒，p99 {r['p99_ms']} 毫秒（{r['filings']} 次）",
                f"p50 {b['p50_ms']} 毫秒，p99 {b['p99_ms']} 毫秒")  # fmt: skip
    if name == "regrade":
        rewritten = r.get("repairs_refreshed", 0)
        return (f"检查 {r['checked']:,} 家，变化 {r['changed']:,} 家，{r['seconds']} 秒"
                + (f"（含重写修复状态 {rewritten:,} 家）" if rewritten else ""),
                f"{b['seconds']} 秒")  # fmt: skip
    if name == "lookups":
        return (f"{r['requests_per_second']:,.0f} 次/秒，p99 {r['p99_ms']} 毫秒，"
                f"错误 {r['errors']}", f"{b['requests_per_second']:,.0f} 次/秒")  # fmt: skip
    if name == "import":
        return (f"{r['rows']:,} 行 {r['seconds']:.1f} 秒", f"{b['seconds']:.1f} 秒")
    if name == "approval":
        return (f"{r['employers']:,} 家（等级变化 {r['changes']:,} 家）{r['seconds']} 秒，"
                f"峰值 {r['peak_mb']:.0f} MB", f"{b['seconds']} 秒")  # fmt: skip
    return json.dumps(r, ensure_ascii=False)[:60], ""


def print_table(results: dict[str, dict[str, Any]]) -> None:
    print()
    print("| 基准 | 结果 | 基线（同次运行） | 比值 | 目标 | 达到 |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        shown, base = figure(name, r)
        met = {True: "是", False: "否", None: "—"}[r.get("met")]
        print(f"| {TITLES[name]} | {shown} | {base} | {r.get('ratio', '')} | "
              f"{r.get('goal', '')} | {met} |")  # fmt: skip


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="基准测试套件：每个数字都与同次运行测得的基线相比")
    parser.add_argument(
        "--quick", action="store_true", help="小规模（2,000 家单位），CI 的冒烟运行"
    )
    parser.add_argument("--only", help="只运行这些基准（逗号分隔）：" + "、".join(BENCHMARKS))
    parser.add_argument("--fresh", action="store_true", help="重新生成数据集（默认沿用已有的）")
    parser.add_argument("--work", type=Path, help="工作目录（SQLite 数据集等），默认在临时目录中")
    parser.add_argument(
        "--json", type=Path, help="结果另存为 JSON（默认 benchmarks/results/suite-<规模>.json）"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one:  # a child: one benchmark, its figures as the last line
        _setup()
        result = CHILD[args.one](**json.loads(args.options))
        print(json.dumps(result, ensure_ascii=False, default=str))
        return 0

    chosen = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        parser.error("未知的基准：" + "、".join(unknown))
    size = sizes(args.quick)
    label = "quick" if args.quick else "full"
    work = args.work or Path(tempfile.gettempdir()) / "laborcredit-bench"
    work.mkdir(parents=True, exist_ok=True)
    n, k = size["employers"], size["records"]
    pg = database_url(f"laborcredit_bench_{n}x{k}")
    lite_n = size["sqlite_employers"]
    lite = f"sqlite:///{work / f'bench-{lite_n}x{k}.sqlite3'}"
    started = time.perf_counter()
    results: dict[str, dict[str, Any]] = {}
    datasets: dict[str, Any] = {}

    def attempt(name: str, run: Any) -> None:
        if name not in chosen:
            return
        print(f"==> {TITLES[name]}", flush=True)
        try:
            results[name] = {"title": TITLES[name], **run()}
        except Exception as error:  # the table says which failed; the exit status too
            results[name] = {"title": TITLES[name], "error": str(error)[-3000:]}
            print(f"    失败：{error}", file=sys.stderr)

    if {"evaluation_pg", "naive", "dynamic", "regrade", "lookups", "approval"} & set(chosen):
        print(f"==> 数据集（PostgreSQL，{n:,} 家 × {k} 条）", flush=True)
        datasets["postgresql"] = dataset(work, pg, n, k, args.fresh)
    attempt("evaluation_pg", lambda: one("evaluation_pg", work, pg))
    attempt("naive", lambda: one("naive", work, pg, sample=size["naive"]))
    attempt("regrade", lambda: one("regrade", work, pg))
    attempt("dynamic", lambda: one("dynamic", work, pg, filings=size["filings"]))
    attempt("approval", lambda: one("approval", work, pg))
    if "evaluation_sqlite" in chosen:
        print(f"==> 数据集（SQLite，{lite_n:,} 家 × {k} 条）", flush=True)
        datasets["sqlite"] = dataset(work, lite, lite_n, k, args.fresh)
    attempt("evaluation_sqlite", lambda: one("evaluation_sqlite", work, lite))

    def lookups() -> dict[str, Any]:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        os.environ.update(environment(work, pg))
        import lookups as module  # type: ignore[import-not-found]

        return dict(module.measure(pg, seconds=size["lookup_seconds"]))

    def imports() -> dict[str, Any]:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import import_records  # type: ignore[import-not-found]

        return dict(import_records.measure(records=size["import_rows"],
                                           employers=size["import_employers"]))  # fmt: skip

    attempt("lookups", lookups)
    attempt("import", imports)

    if args.quick:  # a smoke run: the figures, no verdict (the goals are for the full size)
        for result in results.values():
            result["met"] = None
    report = {
        "size": label, "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "processor": platform.processor()},
        "postgresql": admin("SHOW server_version")[0][0], "datasets": datasets,
        "seconds": round(time.perf_counter() - started, 1), "results": results,
    }  # fmt: skip
    print_table(results)
    target = args.json or ROOT / "benchmarks" / "results" / f"suite-{label}.json"
    target.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    print(f"\n结果已写入 {target}")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
