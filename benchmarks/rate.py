"""How fast `laborcredit rate` grades a city's employers, end to end.

Goal: 100,000 employers with 10 records each in under 10 seconds on a 2-core
machine. The script makes a seeded, realistic input (valid codes; mostly clean
employers, some corrected violations, penalties and their fulfilment,
blacklistings and removals, harmonious designations with assessments,
provincial results), runs the real command on it as a subprocess (best of
--runs, output to /dev/null) and, as the baseline measured in the same run,
`python -c "json.load(…)"` on the same file: the ratio says how much the
grading costs over merely reading the input, whatever the machine.

    .venv/bin/python benchmarks/rate.py                   # 100,000 × 10, best of 3
    .venv/bin/python benchmarks/rate.py --quick           # 2,000 × 10, one run (CI smoke)
    .venv/bin/python benchmarks/rate.py --employers 20000 --records 20 --json out.json

One untimed run first writes the answer to a file and checks it: one result
per employer, in input order, exit status 0. Exit status 1 when that fails.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stdnum.cn.uscc import calc_check_digit

GOAL_SECONDS = 10.0
GOAL_EMPLOYERS = 100_000
GOAL_RECORDS = 10
QUICK_EMPLOYERS = 2_000

DIVISION = "410481"  # 舞钢市
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, Z, S, V
TRADE_NAMES = (
    "钢城 垭口 铁山 枣林 尹集 八台 武功 杨庄 庙街 尚店 寺坡 矿建 红山 石漫滩 龙泉 朱兰".split()
)
INDUSTRIES = (
    "机械制造",
    "建筑安装工程",
    "纺织",
    "钢铁贸易",
    "物流",
    "商贸",
    "农业科技",
    "食品加工",
    "耐火材料",
    "劳务派遣",
    "物业服务",
    "汽车维修",
)

# Profiles of an employer's file, with their share of employers.
PROFILES = (
    ("clean", 0.52),
    ("violation", 0.15),
    ("penalty", 0.10),
    ("harmonious", 0.12),
    ("arbitration", 0.06),
    ("blacklist", 0.03),
    ("provincial_low", 0.02),
)


class Generator:
    """Seeded employers with realistic credit files, each of exactly `records` records."""

    def __init__(self, seed: int, as_of: datetime.date, records: int) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.records = records
        self.codes: set[str] = set()
        self.case_serial: collections.Counter[tuple[str, int]] = collections.Counter()
        self.first = as_of - datetime.timedelta(days=6 * 365)

    # -- pieces --

    def uscc(self) -> str:
        while True:
            kind = "2" if self.rng.random() < 0.15 else "1"  # 2: 个体工商户
            org = "".join(self.rng.choices(CODE_ALPHABET, k=9))
            first17 = f"9{kind}{DIVISION}{org}"
            code = first17 + calc_check_digit(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def name(self, code: str) -> str:
        trade = self.rng.choice(TRADE_NAMES)
        if code[1] == "2":
            return f"舞钢市{trade}{self.rng.choice(('餐饮店', '便利店', '五金店', '理发店'))}"
        suffix = self.rng.choice(("有限公司", "有限责任公司", "股份有限公司"))
        return f"舞钢市{trade}{self.rng.choice(INDUSTRIES)}{suffix}"

    def day(self, days_back_from: int, days_back_to: int) -> datetime.date:
        """A date between `days_back_from` and `days_back_to` days before as_of."""
        back = self.rng.randint(
            min(days_back_from, days_back_to), max(days_back_from, days_back_to)
        )
        return self.as_of - datetime.timedelta(days=back)

    def case(self, prefix: str, day: datetime.date) -> str:
        self.case_serial[(prefix, day.year)] += 1
        return f"{prefix}〔{day.year}〕{self.case_serial[(prefix, day.year)]}号"

    def after(self, day: datetime.date, low: int, high: int) -> datetime.date:
        """A date `low` to `high` days after `day`, but no later than as_of: no record is from the future."""
        return min(day + datetime.timedelta(days=self.rng.randint(low, high)), self.as_of)

    # -- stories --

    def violation(self, back: tuple[int, int], late: float, open_: float) -> list[dict]:
        found = self.day(*back)
        case = self.case("舞人社监", found)
        deadline = found + datetime.timedelta(days=self.rng.randint(15, 45))  # may lie ahead
        story = [
            {
                "type": "violation_found",
                "date": found.isoformat(),
                "case": case,
                "correction_deadline": deadline.isoformat(),
            }
        ]
        roll = self.rng.random()
        if roll < open_:
            return story
        corrected = (
            self.after(deadline, 1, 60)
            if roll < open_ + late
            else self.after(found, 0, (deadline - found).days)
        )
        story.append({"type": "violation_corrected", "date": corrected.isoformat(), "case": case})
        return story

    def penalty(self) -> list[dict]:
        found = self.day(60, 4 * 365)
        case = self.case("舞人社监", found)
        imposed = self.after(found, 20, 90)
        story = [
            {"type": "violation_found", "date": found.isoformat(), "case": case},
            {
                "type": "penalty_imposed",
                "date": imposed.isoformat(),
                "case": case,
                "document": self.case("舞人社罚", imposed),
            },
        ]
        if self.rng.random() < 0.85:
            story.append(
                {
                    "type": "violation_corrected",
                    "date": self.after(imposed, 1, 30).isoformat(),
                    "case": case,
                }
            )
        if self.rng.random() < 0.8:
            story.append(
                {
                    "type": "penalty_fulfilled",
                    "date": self.after(imposed, 5, 60).isoformat(),
                    "case": case,
                }
            )
        return story

    def harmonious(self) -> list[dict]:
        certified = self.day(200, 4 * 365)
        story = [{"type": "harmonious_certified", "date": certified.isoformat()}]
        assessed = certified + datetime.timedelta(days=self.rng.randint(30, 200))
        while assessed <= self.as_of:
            story.append(
                {
                    "type": "labor_practice_assessed",
                    "date": assessed.isoformat(),
                    "passed": self.rng.random() < 0.92,
                }
            )
            assessed += datetime.timedelta(days=self.rng.randint(300, 400))
        if self.rng.random() < 0.08:
            revoked = self.after(certified, 100, (self.as_of - certified).days)
            story.append({"type": "harmonious_revoked", "date": revoked.isoformat()})
        return story

    def blacklist(self) -> list[dict]:
        listed = self.day(30, 4 * 365)
        story = [{"type": "blacklist_listed", "date": listed.isoformat()}]
        if self.rng.random() < 0.7:
            removed = self.after(listed, 30, 400)
            story.append({"type": "blacklist_removed", "date": removed.isoformat()})
        return story

    def arbitration(self) -> list[dict]:
        day = self.day(1, 5 * 365)
        return [
            {
                "type": "arbitration_lost",
                "date": day.isoformat(),
                "case": self.case("舞劳人仲案字", day),
            }
        ]

    def provincial(self, level: str | None = None) -> dict:
        level = level or self.rng.choices("ABCD", weights=(55, 33, 10, 2))[0]
        return {
            "type": "provincial_credit",
            "date": self.day(0, 6 * 365).isoformat(),
            "level": level,
        }

    def story(self, profile: str) -> list[dict]:
        if profile == "violation":
            return self.violation((1, 364), late=0.08, open_=0.05)
        if profile == "penalty":
            return self.penalty()
        if profile == "harmonious":
            return self.harmonious()
        if profile == "arbitration":
            return self.arbitration()
        if profile == "blacklist":
            return self.blacklist()
        if profile == "provincial_low":
            return [self.provincial("D")]
        return []

    def filler(self) -> list[dict]:
        """Old, closed matters and provincial results: the bulk of a real file."""
        roll = self.rng.random()
        if roll < 0.25:
            return self.violation((400, 6 * 365), late=0.0, open_=0.0)
        if roll < 0.3:
            return self.arbitration()
        return [self.provincial()]

    def employer(self) -> dict:
        code = self.uscc()
        profile = self.rng.choices([p for p, _ in PROFILES], weights=[w for _, w in PROFILES])[0]
        records = self.story(profile)[: self.records]
        while len(records) < self.records:
            records += self.filler()[: self.records - len(records)]
        records.sort(key=lambda r: r["date"])
        return {"uscc": code, "name": self.name(code), "records": records}


def make_input(
    path: Path, *, employers: int, records: int, seed: int, as_of: datetime.date
) -> list[str]:
    """Write the input document to `path`; the codes in input order."""
    generator = Generator(seed, as_of, records)
    document = {"employers": [generator.employer() for _ in range(employers)]}
    with path.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, separators=(",", ":"))
    return [e["uscc"] for e in document["employers"]]


def rate_command() -> list[str]:
    script = Path(sys.executable).with_name("laborcredit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "laborcredit.cli"]


def timed(argv: list[str], stdout) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=stdout, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best_of(argv: list[str], runs: int) -> tuple[float, float]:
    with open(os.devnull, "wb") as devnull:
        return min(timed(argv, devnull) for _ in range(runs))


def check_answer(path: Path, codes: list[str], as_of: str) -> tuple[int, dict[str, int], int]:
    """The number of results, the grade counts and the number needing review, after checking order."""
    with path.open(encoding="utf-8") as handle:
        answer = json.load(handle)
    results = answer["results"]
    if answer["as_of"] != as_of:
        raise SystemExit(f"the answer's as_of is {answer['as_of']}, not {as_of}")
    if [r["uscc"] for r in results] != codes[: len(results)] or len(results) != len(codes):
        raise SystemExit(f"{len(results)} results, not {len(codes)} in input order")
    grades = collections.Counter(r["grade"] for r in results)
    in_order = {g: grades[g] for g in ("A+", "A", "B", "C") if grades[g]}
    return len(results), in_order, sum(r["needs_review"] for r in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--employers", type=int, help=f"default {GOAL_EMPLOYERS} ({QUICK_EMPLOYERS} with --quick)"
    )
    parser.add_argument("--records", type=int, default=GOAL_RECORDS, help="records per employer")
    parser.add_argument("--seed", type=int, default=20221215)
    parser.add_argument(
        "--runs", type=int, help="timed runs, best kept (default 3, 1 with --quick)"
    )
    parser.add_argument("--as-of", default="2026-11-24")
    parser.add_argument("--quick", action="store_true", help="a small run for CI: sizes, not speed")
    parser.add_argument("--input", type=Path, help="keep the generated input at this path")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args(argv)
    employers = args.employers or (QUICK_EMPLOYERS if args.quick else GOAL_EMPLOYERS)
    runs = args.runs or (1 if args.quick else 3)
    as_of = datetime.date.fromisoformat(args.as_of)
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="laborcredit-bench-") as tmp:
        path = args.input or Path(tmp) / "employers.json"
        start = time.perf_counter()
        codes = make_input(
            path, employers=employers, records=args.records, seed=args.seed, as_of=as_of
        )
        generated = time.perf_counter() - start
        rate = [*rate_command(), "rate", "--as-of", args.as_of, str(path)]
        baseline = [
            sys.executable,
            "-c",
            "import json,sys; json.load(open(sys.argv[1], 'rb'))",
            str(path),
        ]

        answer = Path(tmp) / "answer.json"
        with answer.open("wb") as out:
            subprocess.run(rate, stdout=out, check=True)  # warm-up, and the answer to check
        peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        results, grades, needs_review = check_answer(answer, codes, args.as_of)
        output_mb = answer.stat().st_size / 1e6

        rate_s, rate_cpu = best_of(rate, runs)
        baseline_s, _ = best_of(baseline, runs)
        input_mb = path.stat().st_size / 1e6

    at_goal_size = employers == GOAL_EMPLOYERS and args.records == GOAL_RECORDS
    figures = {
        "employers": employers,
        "records_per_employer": args.records,
        "seed": args.seed,
        "as_of": args.as_of,
        "runs": runs,
        "input_mb": round(input_mb, 2),
        "output_mb": round(output_mb, 2),
        "results": results,
        "grades": grades,
        "needs_review": needs_review,
        "rate_seconds": round(rate_s, 3),
        "rate_cpu_seconds": round(rate_cpu, 3),
        "rate_peak_rss_mb": round(peak_rss_mb, 1),
        "baseline_seconds": round(baseline_s, 3),
        "ratio": round(rate_s / baseline_s, 2),
        "employers_per_second": round(employers / rate_s),
        "goal_seconds": GOAL_SECONDS,
        "goal_met": (rate_s < GOAL_SECONDS) if at_goal_size else None,
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
        "generate_seconds": round(generated, 2),
    }
    print_table(figures)
    if args.json:
        args.json.write_text(
            json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return 0


def print_table(f: dict) -> None:
    goal = {
        True: "yes",
        False: "NO",
        None: f"n/a (goal is for {GOAL_EMPLOYERS:,} × {GOAL_RECORDS})",
    }
    rows = [
        ("employers", f"{f['employers']:,}"),
        ("records per employer", f"{f['records_per_employer']}"),
        ("input MB", f"{f['input_mb']:.1f}"),
        (
            "rate seconds (best)",
            f"{f['rate_seconds']:.2f}  (CPU {f['rate_cpu_seconds']:.2f} s, peak RSS {f['rate_peak_rss_mb']:.0f} MB)",
        ),
        ("baseline seconds", f"{f['baseline_seconds']:.2f}  (json.load of the same file)"),
        ("ratio rate / baseline", f"{f['ratio']:.1f}"),
        ("employers / second", f"{f['employers_per_second']:,}"),
        (f"goal met (< {GOAL_SECONDS:.0f} s)", goal[f["goal_met"]]),
        ("results checked", f"{f['results']:,} in input order"),
        (
            "grades",
            ", ".join(f"{g} {n:,}" for g, n in f["grades"].items())
            + f"; needs review {f['needs_review']:,}",
        ),
    ]
    print(
        f"laborcredit rate, as of {f['as_of']}, seed {f['seed']}, best of {f['runs']}; "
        f"{f['cpus']} CPUs, load {f['load_before'][0]:.2f} before, {f['load_after'][0]:.2f} after"
    )
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


if __name__ == "__main__":
    sys.exit(main())
