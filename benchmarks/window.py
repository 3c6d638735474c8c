"""How fast the licensing window answers: GET /api/v1/window/<uscc> (issue 5, 第十五条(一), 第十七条).

Goal: the API call answers in under 50 ms on the server. The script makes a
scratch database (SQLite file in a temporary folder by default; PostgreSQL with
`--postgres`, database `laborcredit_bench_window`), migrates it, writes a seeded
synthetic Wugang of --employers employers (mostly A, some B, C for a penalty,
C for the blacklist, A+), grades them with the services' batch path, and adds
local measures of 第十四条(三) and 第十五条(三). It then calls the API through
Django's test Client in-process (no network, no server: "on the server"),
signed in as the licensing window, for --repeat employers drawn at random,
after warm-up calls, and reports p50, p99 and max. The baseline measured in the
same run is GET /healthz (one `SELECT 1`) through the same Client; the ratio
says what the answer costs over the bare request cycle, whatever the machine.
The page /window/?code= is measured too, for comparison.

    .venv/bin/python benchmarks/window.py                   # 2,000 employers, 2,000 calls, SQLite
    .venv/bin/python benchmarks/window.py --postgres        # the same on PostgreSQL
    .venv/bin/python benchmarks/window.py --quick           # 300 employers, 300 calls (smoke)

`BENCH_DATABASE_URL` names the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres).
Exit status 1 when a call answers other than 200, or the API's p99 is 50 ms or more.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

GOAL_MS = 50.0
ROOT = Path(__file__).resolve().parent.parent
DATABASE = "laborcredit_bench_window"
SEED = 20221215
FIELD_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"laborcredit-bench-window").digest())


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(statement)


def setup_django(work: Path, postgres: bool) -> None:
    if postgres:
        admin(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        admin(f'CREATE DATABASE "{DATABASE}"')
        os.environ["DATABASE_URL"] = urlunsplit(
            urlsplit(server_url())._replace(path=f"/{DATABASE}")
        )
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["LABORCREDIT_DATA_DIR"] = str(work)
    os.environ["LABORCREDIT_FIELD_KEY"] = FIELD_KEY.decode()
    os.environ["DJANGO_SETTINGS_MODULE"] = "laborcredit.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.LABORCREDIT_AUDIT_SIGNING_KEY = work / "audit-signing-key.pem"
    settings.LABORCREDIT_AUDIT_CHECKPOINT_DIR = work / "checkpoints"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(employers: int) -> dict[str, int]:
    """Employers and records written in bulk, then graded by `regrade_employers` (the batch path)."""
    from django.db import transaction
    from stdnum.cn.uscc import calc_check_digit

    from laborcredit.credit.models import CreditRecord, Employer
    from laborcredit.measures.services import local_measure_add
    from laborcredit.rating.services import regrade_employers

    rng = random.Random(SEED)
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC)
    kinds: dict[str, int] = {}
    with transaction.atomic():
        rows = []
        for n in range(employers):
            body = f"91410481MA{n + 1:07d}"
            rows.append(
                Employer(uscc=body + calc_check_digit(body), name=f"舞钢市基准{n + 1}号有限公司")
            )
        Employer.objects.bulk_create(rows, batch_size=1000)
        records = []

        def add(employer: Employer, type_: str, days: int, **fields: Any) -> None:
            record = CreditRecord(
                employer=employer, type=type_, date=today - datetime.timedelta(days=days),
                entered_by="bench", entered_at=now, **fields,
            )  # fmt: skip
            record.fingerprint = record.compute_fingerprint()
            record.content_hash = record.compute_content_hash()
            records.append(record)

        for employer in Employer.objects.order_by("id"):
            roll = rng.random()
            case = f"舞人社监〔2026〕{employer.pk}号"
            if roll < 0.08:
                kind = "C（行政处罚）"
                add(employer, "violation_found", 60, case=case)
                add(employer, "penalty_imposed", 40, case=case, document_number=case)
            elif roll < 0.11:
                kind = "C（黑名单）"
                add(employer, "blacklist_listed", 30, document_number="平人社欠薪〔2026〕1号")
            elif roll < 0.26:
                kind = "B"
                add(employer, "violation_found", 90, case=case)
                add(employer, "violation_corrected", 80, case=case)
            elif roll < 0.30:
                kind = "A+"
                add(employer, "harmonious_certified", 700)
                add(employer, "labor_practice_assessed", 100, passed=True)
            else:
                kind = "A"
            kinds[kind] = kinds.get(kind, 0) + 1
        CreditRecord.objects.bulk_create(records, batch_size=1000)
        regrade_employers(
            list(Employer.objects.values_list("id", flat=True)), cause="initial", actor="bench"
        )
        for item, title in (("第十四条（三）", "评优评先优先推荐"), ("第十五条（三）", "就业补贴绿色通道"),
                            ("第十五条（三）", "社保业务容缺受理")):  # fmt: skip
            local_measure_add(
                item=item, title=title, legal_basis="豫人社〔2025〕1号",
                in_force_from=datetime.date(2025, 1, 1), actor="bench",
            )  # fmt: skip
    return kinds


def window_client() -> Any:
    from django.contrib.auth.models import Group, User
    from django.test import Client

    user = User.objects.create_user(username="bench_window", password="x-Bench-Pass-2026")
    user.groups.add(Group.objects.get(name="licensing_window"))
    client = Client()
    client.force_login(user)
    return client


def measure(client: Any, urls: list[str]) -> dict[str, Any]:
    for url in urls[:20]:  # warm-up
        if client.get(url).status_code != 200:
            raise SystemExit(f"{url} 返回非 200")
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} 返回 {response.status_code}")
    times.sort()
    return {
        "calls": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, round(0.99 * (len(times) - 1)))], 2),
        "max_ms": round(times[-1], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="审批窗口接口的响应时间（目标 p99 < 50 毫秒）")
    parser.add_argument("--employers", type=int, default=2000, help="单位数（默认 2000）")
    parser.add_argument("--repeat", type=int, default=2000, help="调用次数（默认 2000）")
    parser.add_argument("--quick", action="store_true", help="300 家单位、300 次调用")
    parser.add_argument("--postgres", action="store_true", help="用 PostgreSQL（默认 SQLite）")
    parser.add_argument("--json", help="结果另存为 JSON 文件")
    args = parser.parse_args()
    if args.quick:
        args.employers = args.repeat = 300
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        setup_django(work, args.postgres)
        from django.db import connection

        started = time.perf_counter()
        kinds = load(args.employers)
        load_seconds = time.perf_counter() - started
        from laborcredit.credit.models import Employer

        codes = list(Employer.objects.values_list("uscc", flat=True))
        rng = random.Random(SEED + 1)
        drawn = [rng.choice(codes) for _ in range(args.repeat)]
        client = window_client()
        results = {
            "baseline GET /healthz": measure(client, ["/healthz"] * args.repeat),
            "GET /api/v1/window/<uscc>": measure(client, [f"/api/v1/window/{c}" for c in drawn]),
            "GET /window/?code=<uscc>（页面）": measure(
                client, [f"/window/?code={c}" for c in drawn]
            ),
        }
        base = results["baseline GET /healthz"]["p50_ms"]
        vendor = connection.vendor
        connection.close()
    if args.postgres:
        admin(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    print(f"数据库 {vendor}；{args.employers} 家单位（{'、'.join(f'{k} {v}' for k, v in sorted(kinds.items()))}），"
          f"载入并评价用时 {load_seconds:.1f} 秒")  # fmt: skip
    for name, r in results.items():
        ratio = r["p50_ms"] / base if base else 0
        print(f"{name:<34} p50 {r['p50_ms']:7.2f} ms  p99 {r['p99_ms']:7.2f} ms  "
              f"max {r['max_ms']:7.2f} ms  p50 为基线的 {ratio:4.1f} 倍")  # fmt: skip
    api = results["GET /api/v1/window/<uscc>"]
    verdict = api["p99_ms"] < GOAL_MS
    print(f"目标：接口 p99 < {GOAL_MS:.0f} ms —— {'达到' if verdict else '未达到'}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"database": vendor, "employers": args.employers, "results": results},
                       ensure_ascii=False, indent=1), "utf-8")  # fmt: skip
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
