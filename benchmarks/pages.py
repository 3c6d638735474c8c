"""How fast the staff pages render on one million employers, on PostgreSQL (issue 4).

Goal: the employer list, a search and a credit file each render in under 300 ms
on the server. The dashboard and the work lists over every C employer (joint
punishment, interviews, repair) are measured too, without that goal and the
work lists with at most three repeats. The script creates a scratch database (`laborcredit_bench_pages`),
migrates it and writes a seeded synthetic Wugang into it with the demo data's
bulk path (`laborcredit.credit.demo.demo_copy`: COPY, with the audit trail and
first grades), reporting the load rate. It then renders each page through
Django's test Client in-process (no network, no server: "on the server"),
signed in as a credit officer, `--repeat` times after two warm-up requests,
and reports p50, p95 and max. The baseline measured in the same run is
GET /healthz (one `SELECT 1`) through the same Client: the ratio says what a
page costs over the bare request cycle, whatever the machine and its load.

    .venv/bin/python benchmarks/pages.py                    # 1,000,000 employers
    .venv/bin/python benchmarks/pages.py --quick            # 5,000 employers (smoke)
    .venv/bin/python benchmarks/pages.py --keep             # keep the database for a rerun …
    .venv/bin/python benchmarks/pages.py --keep             # … which reuses it (no load)
    .venv/bin/python benchmarks/pages.py --explain          # EXPLAIN ANALYZE of each page's queries

`BENCH_DATABASE_URL` names the server (default postgres://postgres@127.0.0.1:5432/postgres).
Results go to benchmarks/results/pages.json (or --json PATH). Exit status 1 when
a page answers other than 200, or any page's p95 is 300 ms or more.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

GOAL_MS = 300.0
ROOT = Path(__file__).resolve().parent.parent
DATABASE = "laborcredit_bench_pages"
AS_OF = datetime.date(2026, 11, 24)
SEED = 20221215
# A fixed field key, so that a kept database decrypts on the next run (never a real key).
FIELD_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"laborcredit-bench-pages").digest())


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(name: str) -> str:
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(statement: str) -> Any:
    import psycopg

    with psycopg.connect(server_url(), autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if statement.startswith("SELECT") else None


def database_exists() -> bool:
    return bool(admin(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"))


def setup_django(work: Path) -> None:
    os.environ["DATABASE_URL"] = database_url(DATABASE)
    os.environ["LABORCREDIT_DATA_DIR"] = str(work)
    os.environ["LABORCREDIT_FIELD_KEY"] = FIELD_KEY.decode()
    os.environ["DJANGO_SETTINGS_MODULE"] = "laborcredit.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def load(employers: int) -> dict[str, Any]:
    """Migrate and write the city with the bulk path; the load's figures."""
    from django.core.management import call_command

    from laborcredit.audit.context import acting_as
    from laborcredit.credit.demo import demo_copy, generate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    employer_rows, record_rows = generate(SEED, employers, 6, AS_OF)
    generated = time.perf_counter() - started
    with acting_as(actor="bench", role="system", address="local"):
        summary = demo_copy(
            employer_rows, record_rows, actor="bench", source_name=f"基准数据（种子 {SEED}）",
            as_of=AS_OF,
        )  # fmt: skip
    del employer_rows, record_rows
    admin_vacuum()
    return {
        "employers": summary.employers,
        "records": summary.records,
        "audit_entries": summary.audit_entries,
        "generate_seconds": round(generated, 1),
        "write_seconds": round(summary.seconds, 1),
        "records_per_second": round(summary.records_per_second),
        "grades": dict(summary.grades),
    }


def admin_vacuum() -> None:
    import psycopg

    with psycopg.connect(database_url(DATABASE), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def officer() -> Any:
    from django.contrib.auth.models import Group, User

    user, created = User.objects.get_or_create(username="bench_officer")
    if created:
        user.groups.add(Group.objects.get(name="credit_officer"))
    return user


def pages() -> dict[str, str]:
    """The URL of each page measured, chosen from the data like an officer would."""
    from django.db import connection

    from laborcredit.credit.models import Employer
    from laborcredit.credit.selectors import employer_search

    first = employer_search(order="name", limit=50, count=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT employer_id FROM credit_creditrecord GROUP BY employer_id "
            "ORDER BY count(*) DESC, employer_id LIMIT 1"
        )
        busiest = Employer.objects.get(pk=cursor.fetchone()[0])
    # A firm in the middle of the city: its code, a fragment of its name, its representative.
    some = Employer.objects.filter(
        pk__gte=(Employer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) // 2,
        name__endswith="有限公司",
    ).order_by("pk")[0]
    fragment = some.name.removeprefix("舞钢市").removesuffix("有限公司")[:4]
    return {
        "用人单位列表（第一页）": "/employers/",
        "下一页（keyset）": f"/employers/?{urlencode({'after': first.next_cursor})}",
        f"按名称片段搜索（{fragment}）": f"/employers/?{urlencode({'q': fragment})}",
        "按统一社会信用代码搜索": f"/employers/?{urlencode({'q': some.uscc})}",
        f"按法定代表人搜索（{some.legal_rep_name}）": "/employers/?"
        + urlencode({"q": some.legal_rep_name}),
        "筛选（C级 + 垭口街道）": f"/employers/?{urlencode({'grade': 'C', 'township': '垭口街道'})}",
        "信用档案（记录最多的单位）": f"/employers/{busiest.uscc}/",
        "审批窗口查询": f"/window/?{urlencode({'code': some.uscc})}",
        "统计看板": "/dashboard/",
        **WORK_LISTS,
    }


# The staff's work lists over every C employer (第十七条, 第二十一条): first page and a deep one.
WORK_LISTS = {
    "联合惩戒名单（第一页）": "/measures/joint-punishment/",
    "联合惩戒名单（第 500 页）": "/measures/joint-punishment/?page=500",
    "待约谈清单（第一页）": "/measures/interviews/",
    "信用修复到期清单": "/repair/",
    "待补充证据清单": "/repair/awaiting/",
}
WORK_REPEAT = 3  # each takes seconds at a million employers

# Measured and shown, but issue 4's 300 ms is set for the list, search and credit file only:
# the dashboard aggregates every employer on each view, the work lists every C employer.
NO_GOAL = {"统计看板", *WORK_LISTS}


def measure(client: Any, url: str, repeat: int) -> dict[str, Any]:
    for _ in range(2):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} 返回 {response.status_code}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} 返回 {response.status_code}")
    times.sort()
    return {
        "url": url,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1),
        "max_ms": round(times[-1], 1),
        "bytes": len(response.content),
    }


def explain(client: Any, url: str) -> None:
    """Every query of one request, the slowest first, with PostgreSQL's plan of the slowest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    ranked = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    print(f"\n== {url}: {len(ranked)} 条查询")
    for query in ranked[:5]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    slowest = ranked[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest}")
        print("\n".join("    " + row[0] for row in cursor.fetchall()))


def main() -> int:
    global DATABASE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employers", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="5,000 employers, 5 repeats")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database; reuse a kept one")
    parser.add_argument(
        "--json", metavar="PATH", default=str(ROOT / "benchmarks/results/pages.json")
    )
    parser.add_argument("--explain", action="store_true", help="print each page's slowest queries")
    parser.add_argument(
        "--database", default=DATABASE, help=f"scratch database (default {DATABASE})"
    )
    args = parser.parse_args()
    DATABASE = args.database
    if args.quick:
        args.employers, args.repeat = 5_000, 5

    work = Path(tempfile.mkdtemp(prefix="laborcredit-bench-pages-"))
    reuse = args.keep and database_exists()
    if not reuse:
        admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin(f"CREATE DATABASE {DATABASE}")
    setup_django(work)
    failed = False
    try:
        from django.test import Client

        from laborcredit.credit.models import Employer

        loaded: dict[str, Any] | None = None
        if reuse:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)  # indexes added since the database was kept
            count = Employer.objects.count()
            if count != args.employers:
                raise SystemExit(
                    f"保留的数据库 {DATABASE} 有 {count} 家单位，不是 {args.employers} 家；"
                    f"请不带 --keep 重新运行，或 DROP DATABASE {DATABASE}"
                )
            print(f"沿用保留的数据库 {DATABASE}（{count} 家单位）")
        else:
            loaded = load(args.employers)
            print(
                f"写入：{loaded['employers']} 家单位，{loaded['records']} 条信用记录，"
                f"{loaded['audit_entries']} 条审计日志；生成 {loaded['generate_seconds']} 秒，"
                f"写入 {loaded['write_seconds']} 秒，每秒 {loaded['records_per_second']:,} 条记录"
            )
        client = Client()
        client.force_login(officer())
        baseline = measure(client, "/healthz", args.repeat)
        results = {
            name: measure(client, url, min(args.repeat, WORK_REPEAT) if name in WORK_LISTS
                          else args.repeat)
            for name, url in pages().items()
        }  # fmt: skip
        if args.explain:
            for result in results.values():
                explain(client, result["url"])
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")

    base = baseline["p50_ms"] or 0.001
    print(f"\n{args.employers:,} 家单位，每页 {args.repeat} 次（毫秒）；基线 GET /healthz "
          f"p50 {baseline['p50_ms']} ms")  # fmt: skip
    print(f"{'页面':<28}{'p50':>9}{'p95':>9}{'max':>9}{'p50/基线':>10}  目标 p95 < {GOAL_MS:.0f}")
    for name, result in results.items():
        result["ratio"] = round(result["p50_ms"] / base, 1)
        ok = result["p95_ms"] < GOAL_MS
        result["goal"] = name not in NO_GOAL
        failed |= result["goal"] and not ok
        width = 28 - sum(1 for ch in name if ord(ch) > 0x2E7F)  # wide characters take two columns
        print(
            f"{name:<{max(width, 1)}}{result['p50_ms']:>9}{result['p95_ms']:>9}"
            f"{result['max_ms']:>9}{result['ratio']:>10}  "
            f"{('达到' if ok else '未达到') if result['goal'] else '不设目标'}"
        )
    report = {
        "employers": args.employers,
        "repeat": args.repeat,
        "goal_p95_ms": GOAL_MS,
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load": loaded,
        "baseline": baseline,
        "pages": results,
        "ok": not failed,
    }
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"结果已写入 {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
