"""Lookups under load (issue 8, benchmark 6): GET /api/v1/employers/{uscc}/grade served by
gunicorn, 2 workers, on PostgreSQL, loaded from a second process for 60 seconds.

    .venv/bin/python benchmarks/lookups.py --database-url postgres://…/lc_lookups [--seconds 60] [--json FILE]

The database must hold employers (benchmarks/dataset.py makes them); run this with the same
LABORCREDIT_DATA_DIR / LABORCREDIT_FIELD_KEY as the dataset. The script makes an API key with
the read_grades scope through the product's own service (`apikey_create`), draws credit codes
from the database's employers (seeded), starts gunicorn on a free port of 127.0.0.1 and loads it
from a child process: first GET /healthz (the baseline: the same server, load generator and
connections, one `SELECT 1`), then the lookup, each `seconds` long after a short warm-up. The
load is closed-loop: `concurrency` keep-alive HTTP/1.1 connections, each sending its next
request when the previous answer is in; every non-200 answer or broken connection is an error.
Afterwards it checks a sample of the answers against the grades in the database, that the run
added one `api_call` audit entry per call, chained (prev_hash → hash) one after another, and
revokes the key and stops gunicorn (also on failure).

Goal: ≥ 500 requests per second held, p99 < 50 ms, no errors. Ratio: baseline rps / lookup rps.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEED = 20221215
SAMPLE = 1000  # credit codes drawn from the database's employers
GOAL_RPS = 500.0
GOAL_P99_MS = 50.0
GOAL = "≥ 500 次/秒，p99 < 50 毫秒，无错误"
DEPARTMENT = "负载测试（benchmarks/lookups.py）"
# gunicorn's worker class: gthread keeps connections alive (the sync worker closes every one, so
# the load generator would spend its CPU, on the same two cores, opening sockets), and a worker's
# threads overlap one request's database round trips with another's Python work (the GIL is free
# while psycopg waits). `concurrency` connections are spread over workers × threads, so a
# request waits in no queue but the GIL's.
WORKER_CLASS = "laborcredit.web.server.ThreadWorker"  # gthread, its errors in Chinese


# ---------------------------------------------------------------- arithmetic


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) of `values` by the nearest-rank method (a value that occurred)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """Rate and latencies of one load phase (`load` output)."""
    latencies = result["latencies_ms"]
    return {
        "requests": result["requests"],
        "errors": result["errors"],
        "requests_per_second": round(result["requests"] / result["elapsed"], 1)
        if result["elapsed"]
        else 0.0,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
    }


# ---------------------------------------------------------------- load generator (child process)


async def _connection(host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(host, port)


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body and whether the server keeps the connection open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, keep = 0, True
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "connection" and value.strip().lower() == "close":
            keep = False
    body = await reader.readexactly(length) if length else b""
    return status, body, keep


async def _phase(
    host: str, port: int, paths: list[str], headers: str, seconds: float, concurrency: int,
    keep_bodies: bool,
) -> dict[str, Any]:  # fmt: skip
    """Closed-loop load for `seconds`: latencies of the answers that came in, errors, bodies."""
    latencies: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    bodies: dict[str, bytes] = {}
    counter = 0
    started = time.perf_counter()
    deadline = started + seconds

    async def worker() -> None:
        nonlocal errors, counter
        reader = writer = None
        while time.perf_counter() < deadline:
            path = paths[counter % len(paths)]
            counter += 1
            request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{headers}\r\n").encode()
            sent = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await _connection(host, port)
                assert reader is not None
                writer.write(request)
                status, body, keep = await _answer(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                errors += 1
                statuses[0] = statuses.get(0, 0) + 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            latencies.append((time.perf_counter() - sent) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status != 200:
                errors += 1
            if keep_bodies and path not in bodies:
                bodies[path] = body
            if not keep:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {
        "requests": len(latencies) + statuses.get(0, 0),
        "errors": errors,
        "elapsed": time.perf_counter() - started,
        "latencies_ms": [round(x, 3) for x in latencies],
        "statuses": statuses,
        "bodies": {path: body.decode("utf-8", "replace") for path, body in bodies.items()},
    }


def load(plan: dict[str, Any]) -> dict[str, Any]:
    """One phase as the child process runs it: warm-up (not counted), then the measured load."""
    headers = "".join(f"{name}: {value}\r\n" for name, value in plan["headers"].items())
    args = (plan["host"], plan["port"], plan["paths"], headers)
    warm = asyncio.run(_phase(*args, plan["warmup"], plan["concurrency"], False))
    result = asyncio.run(_phase(*args, plan["seconds"], plan["concurrency"], plan["keep_bodies"]))
    result["warmup_requests"] = warm["requests"]
    result["warmup_errors"] = warm["errors"]
    return result


def _load_in_child(plan: dict[str, Any], work: Path) -> dict[str, Any]:
    """Run `load` in a separate Python process (its own interpreter and GIL)."""
    plan_file, result_file = work / "plan.json", work / "result.json"
    plan_file.write_text(json.dumps(plan), "utf-8")
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--load-plan", str(plan_file),
         "--load-result", str(result_file)],
        capture_output=True, text=True, check=False,
        timeout=plan["warmup"] + plan["seconds"] + 120,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"负载进程失败：{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(result_file.read_text("utf-8"))
    result["statuses"] = {int(k): v for k, v in result["statuses"].items()}
    return result


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def server_environment(database_url: str) -> dict[str, str]:
    """The product's environment (scripts/start, settings.py): same database, data folder and
    field key as this process, DEBUG off, only 127.0.0.1 allowed."""
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="laborcredit.settings",
        LABORCREDIT_DATA_DIR=str(settings.DATA_DIR),
        LABORCREDIT_DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    return env


def start_server(
    database_url: str, port: int, workers: int, threads: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "laborcredit.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", WORKER_CLASS, "--threads", str(threads),
        "--keep-alive", "5", "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    with log.open("wb") as handle:
        return subprocess.Popen(
            command, cwd=ROOT, env=server_environment(database_url), stdout=handle, stderr=handle,
            start_new_session=True,
        )  # fmt: skip


def wait_until_up(
    server: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 90
) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn 未能启动：{log.read_text('utf-8', 'replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn 在 {timeout:.0f} 秒内没有应答")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ---------------------------------------------------------------- the product's side


def setup_django(database_url: str) -> None:
    """Django on `database_url`; if Django is already set up (tests), it must be the same database."""
    from django.conf import settings

    if not settings.configured:
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laborcredit.settings")
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        import django

        django.setup()
    from django.db import connection

    wanted = urlsplit(database_url).path.lstrip("/")
    if connection.vendor != "postgresql" or connection.settings_dict["NAME"] != wanted:
        raise RuntimeError(f"本基准只测 PostgreSQL，且须与 Django 的数据库一致（{wanted}）")


def key_create() -> tuple[str, str]:
    """A read_grades key of the load-test department: (token, prefix)."""
    from django.db import transaction
    from django.utils import timezone

    from laborcredit.api.services import RATE_MAX, apikey_create
    from laborcredit.audit.context import acting_as

    with acting_as(actor="benchmark", role="system_admin", address="local"), transaction.atomic():
        made = apikey_create(
            department=DEPARTMENT,
            scopes=["read_grades"],
            expires_on=timezone.localdate() + datetime.timedelta(days=1),
            # The goal is 500 calls a second, 30,000 a minute; two workers may serve several
            # times that. The product's highest limit (100,000 a minute, about 1,700 a second)
            # lets the load through, and every call is still counted against it (a 429 would be
            # an error here), so the counter's cost is measured too.
            rate_limit_per_minute=RATE_MAX,
            actor="benchmark",
        )
    return made.token, made.key.prefix


def key_revoke(prefix: str) -> None:
    from django.db import transaction

    from laborcredit.api.services import apikey_revoke
    from laborcredit.audit.context import acting_as

    with acting_as(actor="benchmark", role="system_admin", address="local"), transaction.atomic():
        apikey_revoke(prefix=prefix, actor="benchmark")


def sample_codes(n: int = SAMPLE) -> list[str]:
    from laborcredit.credit.models import Employer

    codes = list(Employer.objects.order_by("uscc").values_list("uscc", flat=True))
    if not codes:
        raise RuntimeError("数据库中没有用人单位：请先用 benchmarks/dataset.py 生成数据")
    return random.Random(SEED).sample(codes, min(n, len(codes)))


def grades_in_database(codes: list[str]) -> dict[str, str | None]:
    from laborcredit.credit.models import Employer
    from laborcredit.rating.models import EmployerGrade

    found: dict[str, str | None] = {}
    for employer in Employer.objects.select_related(
        "current_grade", "current_grade__decision"
    ).filter(uscc__in=codes):
        try:
            found[employer.uscc] = employer.current_grade.official_grade
        except EmployerGrade.DoesNotExist:
            found[employer.uscc] = None
    return found


def check_answers(bodies: dict[str, str], database: dict[str, str | None]) -> list[str]:
    """Problems with the sampled answers (one per credit code): grade as in the database."""
    problems = []
    for path, body in bodies.items():
        code = path.split("/")[-2]
        try:
            answer = json.loads(body)
        except ValueError:
            problems.append(f"{code}：应答不是 JSON")
            continue
        if answer.get("uscc") != code or answer.get("grade") != database.get(code):
            problems.append(f"{code}：接口 {answer.get('grade')}，数据库 {database.get(code)}")
    return problems


def audit_after(start_seq: int, prefix: str) -> dict[str, Any]:
    """The run's api_call entries of the key, and whether all entries after `start_seq` link up."""
    from laborcredit.audit.models import AuditEntry

    calls = AuditEntry.objects.filter(
        seq__gt=start_seq, event="api_call", object_type="api_key", object_id=prefix
    ).count()
    linked = True
    previous = None
    for entry in AuditEntry.objects.filter(seq__gt=start_seq).order_by("seq").iterator(5000):
        if previous is not None and entry.prev_hash != previous:
            linked = False
        if entry.compute_hash() != entry.hash:
            linked = False
        previous = entry.hash
    return {"calls": calls, "chain_linked": linked}


# ---------------------------------------------------------------- the benchmark


def measure(
    database_url: str,
    *,
    seconds: float = 60.0,
    workers: int = 2,
    concurrency: int = 8,
    threads: int | None = None,
) -> dict[str, Any]:
    """Baseline (GET /healthz) and lookup load against gunicorn, `seconds` each; see the module."""
    setup_django(database_url)
    from laborcredit.audit.models import AuditEntry

    threads = threads or max(1, math.ceil(concurrency / workers))
    warmup = min(3.0, max(0.5, seconds / 20))
    codes = sample_codes()
    with tempfile.TemporaryDirectory(prefix="lc-lookups-") as folder:
        work = Path(folder)
        log = work / "gunicorn.log"
        port = free_port()
        token, prefix = key_create()
        server = None
        try:
            server = start_server(database_url, port, workers, threads, log)
            wait_until_up(server, port, log)
            plan = {"host": "127.0.0.1", "port": port, "seconds": seconds, "warmup": warmup,
                    "concurrency": concurrency, "headers": {}, "keep_bodies": False,
                    "paths": ["/healthz"]}  # fmt: skip
            baseline = _load_in_child(plan, work)
            start_seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
            plan.update(
                headers={"Authorization": f"Bearer {token}"},
                keep_bodies=True,
                paths=[f"/api/v1/employers/{code}/grade" for code in codes],
            )
            lookups = _load_in_child(plan, work)
        finally:
            if server is not None:
                stop_server(server)
            key_revoke(prefix)
    problems = check_answers(lookups["bodies"], grades_in_database(codes))
    audit = audit_after(start_seq or 0, prefix)
    calls = lookups["requests"] + lookups["warmup_requests"]
    base, looked = summary(baseline), summary(lookups)
    errors = looked["errors"] + lookups["warmup_errors"] + len(problems)
    met = (
        looked["requests_per_second"] >= GOAL_RPS
        and looked["p99_ms"] < GOAL_P99_MS
        and errors == 0
        and audit["calls"] == calls
        and audit["chain_linked"]
    )
    return {
        "id": "lookups",
        "title": "接口等级查询（负载）",
        "requests_per_second": looked["requests_per_second"],
        "p50_ms": looked["p50_ms"],
        "p99_ms": looked["p99_ms"],
        "errors": errors,
        "requests": looked["requests"],
        "baseline": {
            "requests_per_second": base["requests_per_second"],
            "p50_ms": base["p50_ms"],
            "p99_ms": base["p99_ms"],
            "errors": base["errors"] + baseline["warmup_errors"],
        },
        "ratio": round(base["requests_per_second"] / looked["requests_per_second"], 2)
        if looked["requests_per_second"]
        else math.inf,
        "goal": GOAL,
        "met": met,
        "statuses": lookups["statuses"],
        "answers_checked": len(lookups["bodies"]),
        "answer_problems": problems[:10],
        "calls": calls,
        "audit_entries": audit["calls"],
        "audit_chain_linked": audit["chain_linked"],
        "setup": {
            "seconds": seconds,
            "warmup_seconds": warmup,
            "workers": workers,
            "worker_class": WORKER_CLASS,
            "threads": threads,
            "concurrency": concurrency,
            "codes": len(codes),
        },
    }


def table(figures: dict[str, Any]) -> str:
    base = figures["baseline"]
    setup = figures["setup"]
    lines = [
        f"{figures['title']}：gunicorn {setup['workers']} 个进程 × {setup['threads']} 线程"
        f"（{setup['worker_class']}），{setup['concurrency']} 个并发连接，各 {setup['seconds']:g} 秒",
        f"{'':<26}{'次/秒':>10}{'p50 毫秒':>10}{'p99 毫秒':>10}{'错误':>8}",
        f"{'基线 GET /healthz':<26}{base['requests_per_second']:>12.1f}{base['p50_ms']:>12.2f}"
        f"{base['p99_ms']:>12.2f}{base['errors']:>8}",
        f"{'等级查询 GET …/grade':<26}{figures['requests_per_second']:>12.1f}"
        f"{figures['p50_ms']:>12.2f}{figures['p99_ms']:>12.2f}{figures['errors']:>8}",
        f"吞吐比（基线 ÷ 等级查询）：{figures['ratio']:.2f}",
        f"应答核对：抽查 {figures['answers_checked']} 家单位，"
        f"{'等级与数据库一致' if not figures['answer_problems'] else '不一致：' + '；'.join(figures['answer_problems'])}",
        f"审计日志：调用 {figures['calls']} 次，新增 api_call 记录 {figures['audit_entries']} 条，"
        f"哈希链{'首尾相接' if figures['audit_chain_linked'] else '断裂'}",
        f"目标：{figures['goal']} —— {'达到' if figures['met'] else '未达到'}",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="接口等级查询的负载测试（目标 " + GOAL + "）")
    parser.add_argument("--database-url", help="PostgreSQL 数据库（须已有用人单位）")
    parser.add_argument("--seconds", type=float, default=60.0, help="每段负载的秒数（默认 60）")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数（默认 2）")
    parser.add_argument("--concurrency", type=int, default=8, help="并发连接数（默认 8）")
    parser.add_argument(
        "--threads", type=int, help="每个 gunicorn 进程的线程数（默认 并发连接数 ÷ 进程数）"
    )
    parser.add_argument("--json", help="结果另存为 JSON 文件")
    parser.add_argument("--load-plan", help=argparse.SUPPRESS)
    parser.add_argument("--load-result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_plan:
        result = load(json.loads(Path(args.load_plan).read_text("utf-8")))
        Path(args.load_result).write_text(json.dumps(result), "utf-8")
        return 0
    if not args.database_url:
        parser.error("请用 --database-url 指定 PostgreSQL 数据库")
    figures = measure(
        args.database_url,
        seconds=args.seconds,
        workers=args.workers,
        concurrency=args.concurrency,
        threads=args.threads,
    )
    print(table(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
    return 0 if figures["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
