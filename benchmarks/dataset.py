"""The benchmark dataset (issue 8): N employers × K records, bulk-written into PostgreSQL or SQLite.

    .venv/bin/python benchmarks/dataset.py --employers 100000 --records-per-employer 10 \\
        --seed 20221215 --database-url postgres://postgres@127.0.0.1:5432/laborcredit_bench_gen
    .venv/bin/python benchmarks/dataset.py --employers 100000 --records-per-employer 10 \\
        --database-url sqlite:////tmp/laborcredit_bench.sqlite3 --migrate

The database must be migrated (`--migrate` does it) and hold no employers yet.

Rows. Employers and records come from the demo data's generator
(`laborcredit.credit.demo.generate`), a block of 1,000 employers at a time, so
no more than a block (and a chunk being written) is in memory. Each block is a
demo city drawn from its own seed (derived from `--seed` and the block
number); its employers are the dataset's employers, with a credit code made
from the employer's number (a bijection, so codes never repeat across blocks).
Every employer gets exactly K records: the demo employers' histories (of this
city and, as needed, further cities of the block) are dealt out whole, in
order; an employer full before a history ends passes the rest on to the next
one (without blacklist records: a listing spell is never cut in two), and a
second listing spell, a case number already used or a repeated (type, date,
case) is left out. So the record mix (types, dates, case numbers, texts) is
the demo data's; each employer carries two or three demo histories rather
than one (the demo's mean is about 3 records per employer). Same seed, size
and date: same rows, lineages included, whatever `--workers` and whichever
database; database ids and load timestamps aside.

Writing. One transaction: the head of the audit log is locked (PostgreSQL: its
advisory lock; SQLite: the transaction begins IMMEDIATE, as settings make
every transaction, so it holds the write lock from the start); by default (not
with `--keep-indexes`) the written tables' secondary indexes are dropped and
made again after the last chunk, on PostgreSQL their unique and foreign-key
constraints too (one sort per index instead of millions of random inserts;
every unique index and constraint is checked again over every row). Then per
chunk of 2,000 employers: employers, their first names, records (fingerprint
and content hash exactly as `CreditRecord` computes them), first grades (the
rules package's `grade`, per employer, as `demo_copy` does) and their grade
changes, and the audit entries, each table with one COPY (PostgreSQL, in a
writer thread while the next chunk is made) or one `executemany` (SQLite, in
the loading thread: sqlite3 lets the GIL go at every row, and a writer thread
then waits for it behind the thread making rows). `laborcredit audit verify`
checks every credit record against a record_create entry carrying its content
hash (audit/chain.py `_verify_hashed_models`), so the log gets one chained
record_create entry per record: no batch digest can stand in for them without
changing verify. What is folded: no employer_create and grade_change entry per
employer; instead one `import_run` entry per chunk (``bulk: true``) with the
chunk's counts and a SHA-256 digest of its employers (credit code, name,
grade). The outbox (exchange) is not filled: the dataset is for benchmarks,
not for the province. Personal information is encrypted with the deployment's
field key (LABORCREDIT_FIELD_KEY or the key in LABORCREDIT_DATA_DIR): run
`laborcredit` with the same environment afterwards.

SQLite. Values are stored as Django's SQLite backend stores them, so the ORM
reads them back equal (tests/credit/test_dataset.py compares every column with
`get_db_prep_save`): datetimes as naive UTC text
(`connection.ops.adapt_datetimefield_value`), dates as ISO text, UUIDs as 32
hex digits, booleans as 0/1, JSON as `json.dumps` text. Employer and record ids
are counted on from the tables' largest id (or sqlite_sequence's, if larger);
SQLite moves sqlite_sequence on past them by itself. The load connection's page
cache is raised to 256 MiB for the load (the audit log's unique hash indexes,
which belong to the table and stay, take random inserts) and set back after it;
journal_mode and synchronous stay as settings make them. Measured at 100,000 ×
10 on a shared 2-core machine: dropping and making again the indexes took 61 s
of writing against 117 s with them kept; the larger cache took the writing from
107 s to 61 s.

Measured: the write rate (records per second from the first row to the
commit, generation included, since rows are made while they are written) and,
in the same run, a baseline: the same record rows, dumped from the credit
record table, written back with a bare COPY into an UNLOGGED scratch table
(PostgreSQL), or read back a chunk at a time and inserted with one bare
`executemany` per chunk into a scratch table (SQLite), without indexes,
constraints or hashing; and the ratio of the two.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import decimal
import hashlib
import itertools
import json
import os
import queue
import random
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = datetime.date(2026, 11, 24)
SEED = 20221215
BLOCK = 1000
CHUNK = 2000
SQLITE_CACHE_KIB = -262_144  # PRAGMA cache_size for the SQLite load: 256 MiB
_CODE_SPACE = 31**7
_CODE_STEP = 1_000_003  # prime, coprime with 31: index → code number is a bijection
_USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# ---------------------------------------------------------------- rows


@dataclass
class Item:
    """One employer of the dataset: its import-format row and its K record values."""

    row: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)
    prepared: Prepared | None = None


@dataclass
class Prepared:
    """What an item's rows need that does not depend on the ids the load assigns: the cleaned
    employer fields with their secrets encrypted, each record's fact and fingerprint, and the
    first grade. The generator processes make it (`rows(..., prepare_for=vendor)`), so that the
    loading process only numbers the rows, hashes their content and chains the audit log."""

    vendor: str
    as_of: datetime.date
    cleaned: dict[str, Any]
    facts: list[str]  # CreditRecord.fact() as _sha256 serialises it
    fingerprints: list[str]
    grade: tuple[Any, ...]  # grade, needs_review, level, basis, rule version, as_of, next change


def prepare(item: Item, as_of: datetime.date, vendor: str) -> Prepared:
    """`item`'s id-independent values, stored as `vendor`'s backend stores them."""
    from laborcredit.credit.services import clean_employer_fields
    from laborcredit.lib.fieldcrypto import encrypt
    from laborcredit.rating.services import basis_entries, grade_records
    from laborcredit.rules.adjustment import next_change_on
    from laborcredit.rules.vocabulary import Record, RecordType

    cleaned = clean_employer_fields({k: v for k, v in item.row.items() if k != "uscc"})
    for secret in ("legal_rep_id_number", "contact_phone"):
        cleaned[secret] = encrypt(cleaned.get(secret) or "")
    uscc_json = _j(item.row["uscc"])
    facts = [_fact_json(uscc_json, v) for v in item.records]
    rule_records = [
        Record(RecordType(v["type"]), v["date"], v["case"] or None, v["correction_deadline"],
               v.get("document_number") or None, v["passed"], v["level"] or None)
        for v in item.records
    ]  # fmt: skip
    graded = grade_records(rule_records, as_of)
    changes_on: Any = next_change_on(rule_records, as_of)
    if vendor == "sqlite":
        basis = json.dumps(basis_entries(graded))
        graded_on: Any = graded.as_of.isoformat()
        changes_on = changes_on.isoformat() if changes_on else None
    else:
        basis = json.dumps(basis_entries(graded), ensure_ascii=False)
        graded_on = graded.as_of
    return Prepared(
        vendor, as_of, cleaned, facts,
        [hashlib.sha256(fact.encode()).hexdigest() for fact in facts],
        (graded.grade.value, graded.needs_review, graded.provincial_level or "", basis,
         graded.rule_version, graded_on, changes_on),
    )  # fmt: skip


def employer_code(index: int, individual: bool) -> str:
    """The `index`-th employer's credit code (GB 32100-2015, check character included)."""
    from laborcredit.credit.demo import REGION, uscc_with_check

    n = (index * _CODE_STEP + 7_654_321) % _CODE_SPACE
    chars = []
    for _ in range(7):
        n, r = divmod(n, 31)
        chars.append(_USCC_BODY[r])
    return uscc_with_check(("92" if individual else "91") + REGION + "MA" + "".join(chars))


def rows(
    seed: int, employers: int, per_employer: int, as_of: datetime.date = AS_OF, years: int = 6,
    block: int = BLOCK, workers: int = 1, prepare_for: str | None = None,
) -> Iterator[Item]:  # fmt: skip
    """The dataset's employers in order, each with exactly `per_employer` records; streamed.

    Blocks are independent (each has its own seed), so `workers` processes may make
    them side by side; the rows are the same whatever the number of workers. With
    `prepare_for` (a database vendor), each item comes `prepare`d for that database.
    """
    jobs = [
        (seed, number, lo, min(block, employers - lo), per_employer, as_of, years, prepare_for)
        for number, lo in enumerate(range(0, employers, block))
    ]
    if workers <= 1:
        for job in jobs:
            yield from _block(job)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for items in pool.imap(_block, jobs):
            yield from items


def _block(job: tuple[Any, ...]) -> list[Item]:
    """One block of employers: a demo city's employers, dealt the histories of as many
    demo cities (same size, seeds drawn from the block's seed) as their records need."""
    from laborcredit.credit.demo import _record_values, generate
    from laborcredit.credit.models import PENALTY_DETAIL_TEXTS

    seed, number, lo, size, per_employer, as_of, years, prepare_for = job
    text_fields = ("case", "level", "document_number", "issuing_body", "description",
                   *PENALTY_DETAIL_TEXTS)  # fmt: skip
    rng = random.Random(f"laborcredit-dataset:{seed}:{number}")
    city_employers, records = generate(rng.getrandbits(63), size, years, as_of)

    def histories(records: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        """The demo employers' histories (date order), one list each, city after city."""
        while True:
            history: list[dict[str, Any]] = []
            for record in records:
                if history and record["uscc"] != history[0]["uscc"]:
                    yield history
                    history = []
                history.append(record)
            if history:
                yield history
            records = generate(rng.getrandbits(63), size, years, as_of, records_only=True)[1]

    stream = histories(records)
    leftover: list[dict[str, Any]] = []
    out = []
    for offset, source in enumerate(city_employers):
        row = dict(source)
        row["uscc"] = employer_code(lo + offset, source["uscc"].startswith("92"))
        item = Item(row)
        seen: set[tuple[Any, ...]] = set()
        cases: set[str] = set()
        blacklisted = False
        while len(item.records) < per_employer:
            history, leftover = (leftover or next(stream)), []
            # 人社部令第45号: one listing spell at a time; a second history's listing is left out.
            listing = any(r["type"].startswith("blacklist_") for r in history)
            own: set[str] = set()
            for at, record in enumerate(history):
                if len(item.records) == per_employer:
                    # The rest goes to the next employer, without a listing cut in two.
                    leftover = [r for r in history[at:] if not r["type"].startswith("blacklist_")]
                    break  # a date-ordered prefix of a history is a history
                if record["type"].startswith("blacklist_") and blacklisted:
                    continue
                values = _record_values(record, text_fields)
                key = (values["type"], values["date"], values["case"])
                if key in seen or values["case"] in cases:
                    continue  # another city's case with the same number
                seen.add(key)
                if values["case"]:
                    own.add(values["case"])
                values["lineage"] = uuid.UUID(int=rng.getrandbits(128), version=4)
                item.records.append(values)
            cases |= own
            blacklisted = blacklisted or listing
        if prepare_for:
            item.prepared = prepare(item, as_of, prepare_for)
        out.append(item)
    return out


# ---------------------------------------------------------------- canonical JSON


def _j(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False)` for the scalars a record holds."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    return encode_basestring(value)


def _fact_json(uscc_json: str, v: dict[str, Any]) -> str:
    """`CreditRecord.fact()` as `_sha256` serialises it (keys sorted, no spaces)."""
    deadline = v["correction_deadline"]
    return (
        f'{{"case":{_j(v["case"])},"correction_deadline":'
        f"{_j(deadline.isoformat() if deadline else None)},"
        f'"date":"{v["date"].isoformat()}","document_number":{_j(v.get("document_number", ""))},'
        f'"level":{_j(v["level"])},"passed":{_j(v["passed"])},"type":{_j(v["type"])},'
        f'"uscc":{uscc_json}}}'
    )


# ---------------------------------------------------------------- writing


@dataclass
class LoadResult:
    employers: int = 0
    records: int = 0
    audit_entries: int = 0
    seconds: float = 0.0
    waiting_seconds: float = 0.0  # for the generator's rows
    copy_seconds: float = 0.0  # inside COPY (PostgreSQL) or executemany (SQLite)
    index_seconds: float = 0.0  # making the dropped indexes and constraints again
    grades: dict[str, int] = field(default_factory=dict)

    @property
    def records_per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def load(
    items: Iterator[Item], *, actor: str, source_name: str, as_of: datetime.date = AS_OF,
    chunk: int = CHUNK, rebuild_indexes: bool = False,
) -> LoadResult:  # fmt: skip
    """Write the items in one transaction into a database without employers.

    PostgreSQL: COPY, in a writer thread, ids from the tables' sequences. SQLite: one
    `executemany` per table and chunk, in the loading thread, ids counted on from the
    tables' largest id (the transaction holds the write lock from its start, so no
    one else takes one), the values in the form Django's SQLite backend stores them.
    With `rebuild_indexes`, the written tables' secondary indexes (and, on PostgreSQL,
    unique and foreign-key constraints) are dropped inside the transaction and made
    again after the last chunk (one sort per index instead of a million random inserts;
    unique indexes and constraints are checked again, over every row, when they are
    made again). The tables are locked until the load commits.
    """
    from collections import Counter

    from django.db import connection, transaction
    from django.utils import timezone

    from laborcredit.audit.context import current_context
    from laborcredit.audit.models import GENESIS, AuditEntry
    from laborcredit.audit.services import HEAD_LOCK_KEY, _text
    from laborcredit.credit.demo import COPY_COLUMNS, _copy
    from laborcredit.credit.models import CreditRecord, Employer, EmployerName
    from laborcredit.lib.bulk import reserve_ids
    from laborcredit.lib.errors import Refused
    from laborcredit.rating.models import Cause, EmployerGrade, GradeChange

    if connection.vendor not in ("postgresql", "sqlite"):
        raise ValueError("基准数据集只能写入 PostgreSQL 或 SQLite")
    sqlite = connection.vendor == "sqlite"
    started = time.perf_counter()
    context = current_context()
    who = {k: _text(getattr(context, k)) for k in ("actor", "role", "address", "request_id")}
    entry_head = f'{{"actor":{_j(who["actor"])},"address":{_j(who["address"])},"data":'
    entry_tail = f'","request_id":{_j(who["request_id"])},"role":{_j(who["role"])},"ts":"'
    source_json = _j(source_name)
    source_ascii = json.dumps(source_name)  # as Django's JSONField writes it on SQLite
    actor_json = _j(actor)
    entered_at: Any = datetime.datetime.combine(as_of, datetime.time(9), tzinfo=datetime.UTC)
    entered_json = entered_at.isoformat(timespec="microseconds")
    if sqlite:
        entered_at = connection.ops.adapt_datetimefield_value(entered_at)
    employer_columns, record_columns, grade_columns, change_columns, audit_columns = (
        COPY_COLUMNS[table] for table in ("employer", "record", "grade", "change", "audit")
    )
    name_columns = ["employer_id", "name", "used_from", "used_until", "recorded_at"]
    result = LoadResult()
    grades: Counter[str] = Counter()
    sha256 = hashlib.sha256

    with transaction.atomic(), connection.cursor() as wrapper, contextlib.ExitStack() as cleanup:
        # psycopg's own cursor (COPY in the same transaction); sqlite3's own, without
        # Django's placeholder rewriting.
        cursor = connection.connection.cursor() if sqlite else wrapper.cursor
        if not sqlite:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HEAD_LOCK_KEY])
        # On SQLite the transaction began IMMEDIATE (settings): it holds the write lock.
        if Employer.objects.exists():
            raise Refused.one(
                "employers", "数据库中已有用人单位：基准数据集只写入空的信用档案", "employer-exists"
            )
        head = AuditEntry.objects.order_by("-seq").values_list("hash", flat=True).first()
        head = head or GENESIS
        batch: list[Item] = []
        tables = [m._meta.db_table for m in (Employer, EmployerName, CreditRecord, EmployerGrade,
                                              GradeChange, AuditEntry)]  # fmt: skip
        if sqlite:
            # A page cache for the load's B-trees (the audit log's two unique hash indexes
            # take random inserts); this connection's only, set back after the load.
            cache_size = int(cursor.execute("PRAGMA cache_size").fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
            cleanup.callback(cursor.execute, f"PRAGMA cache_size = {cache_size}")
        if rebuild_indexes:
            restore = (_drop_sqlite_indexes if sqlite else _drop_indexes)(cursor, tables)
        else:
            restore = []
        if sqlite:
            next_ids = {
                table: itertools.count(_sqlite_next_id(cursor, table))
                for table in (Employer._meta.db_table, CreditRecord._meta.db_table)
            }

            def reserve(table: str, count: int) -> list[int]:
                return list(itertools.islice(next_ids[table], count))
        else:

            def reserve(table: str, count: int) -> list[int]:
                return reserve_ids(ids, table, count)

        def flush(part: list[Item], number: int) -> None:
            nonlocal head
            now = timezone.now()
            ts = now.astimezone(datetime.UTC).isoformat(timespec="microseconds")
            tail = entry_tail + ts + '"}'
            stored_now = connection.ops.adapt_datetimefield_value(now) if sqlite else now
            employer_ids = reserve(Employer._meta.db_table, len(part))
            record_ids = iter(
                reserve(CreditRecord._meta.db_table, sum(len(i.records) for i in part))
            )
            employers, names, records, grade_rows, changes, entries = [], [], [], [], [], []
            digest = sha256()
            for employer_id, item in zip(employer_ids, part, strict=True):
                ready = item.prepared
                if ready is None or (ready.vendor, ready.as_of) != (connection.vendor, as_of):
                    ready = prepare(item, as_of, connection.vendor)
                code = item.row["uscc"]
                stored = {"id": employer_id, "uscc": code, "created_at": stored_now,
                          "updated_at": stored_now}  # fmt: skip
                stored.update(ready.cleaned)
                stored.setdefault("employees", None)
                employers.append(tuple(stored.get(c, "") for c in employer_columns))
                names.append((employer_id, ready.cleaned["name"], None, None, stored_now))
                uscc_json = _j(code)
                for v, fact, fingerprint in zip(
                    item.records, ready.facts, ready.fingerprints, strict=True
                ):
                    record_id = next(record_ids)
                    lineage = str(v["lineage"])
                    date = v["date"].isoformat()
                    before_date = fact[1 : fact.index(',"date"')]
                    # CreditRecord.penalty_details: the 双公示 fields that are filled in, in
                    # their places among the sorted keys.
                    fine = v.get("fine_amount")
                    fine_part = f'"fine_amount":"{fine:.2f}",' if fine is not None else ""
                    penalty_part = "".join(
                        f'"{name}":{_j(v[name])},'
                        for name in ("penalty_basis", "penalty_category", "penalty_content")
                        if v.get(name)
                    )
                    violation = v.get("violation_type")
                    violation_part = f',"violation_type":{_j(violation)}' if violation else ""
                    content = (
                        f'{{"action":"create",{before_date},"date":"{date}",'
                        f'"description":{_j(v.get("description", ""))},'
                        f'"disclosure":{_j(v.get("disclosure", "public"))},'
                        f'"document_number":{_j(v.get("document_number", ""))},'
                        f'"employer_id":{employer_id},"entered_at":"{entered_json}",'
                        f'"entered_by":{actor_json},{fine_part}"fingerprint":"{fingerprint}",'
                        f'"issuing_body":{_j(v.get("issuing_body", ""))},'
                        f'"level":{_j(v["level"])},"lineage":"{lineage}",'
                        f'"passed":{_j(v["passed"])},{penalty_part}"reason":"","source":"import",'
                        f'"source_ref":{source_json},"supersedes_id":null,'
                        f'"type":{_j(v["type"])},"uscc":{uscc_json},"version":1{violation_part}}}'
                    )
                    details = (
                        v.get("violation_type", ""), v.get("penalty_basis", ""),
                        v.get("penalty_category", ""), v.get("penalty_content", ""), fine,
                    )  # fmt: skip
                    content_hash = sha256(content.encode()).hexdigest()
                    if sqlite:  # UUID as 32 hex digits, dates as ISO text, booleans as 0/1
                        deadline = v["correction_deadline"]
                        records.append((
                            record_id, employer_id, v["lineage"].hex, 1, None, "create", v["type"],
                            date, v["case"], deadline.isoformat() if deadline else None,
                            v["passed"], v["level"], v.get("document_number", ""),
                            v.get("issuing_body", ""), v.get("description", ""),
                            v.get("disclosure", "public"), "import", source_name, "", actor,
                            entered_at, fingerprint, content_hash, *details[:4],
                            None if fine is None else decimal.Decimal(fine),
                        ))  # fmt: skip
                    else:
                        records.append((
                            record_id, employer_id, lineage, 1, None, "create", v["type"],
                            v["date"], v["case"], v["correction_deadline"], v["passed"],
                            v["level"], v.get("document_number", ""), v.get("issuing_body", ""),
                            v.get("description", ""), v.get("disclosure", "public"), "import",
                            source_name, "", actor, entered_at, fingerprint, content_hash,
                            *details,
                        ))  # fmt: skip
                    data = (
                        f'{{"date":"{date}","lineage":"{lineage}","record_hash":"{content_hash}",'
                        f'"source":{source_json},"type":{_j(v["type"])},"uscc":{uscc_json},'
                        f'"version":1}}'
                    )
                    canonical = (
                        f'{entry_head}{data},"event":"record_create","object_id":"{record_id}",'
                        f'"object_type":"credit_record","outcome":"success","prev_hash":"{head}'
                        f"{tail}"
                    )
                    entry = sha256((head + canonical).encode()).hexdigest()
                    if sqlite:  # json.dumps(data) as the JSONField writes it: ASCII, spaced
                        data = (
                            f'{{"date": "{date}", "lineage": "{lineage}", "record_hash": '
                            f'"{content_hash}", "source": {source_ascii}, "type": '
                            f'{_j(v["type"])}, "uscc": "{code}", "version": 1}}'
                        )
                    entries.append((
                        stored_now, who["actor"], who["role"], who["address"], "record_create",
                        "credit_record", str(record_id), "success", who["request_id"], data,
                        head, entry,
                    ))  # fmt: skip
                    head = entry
                grade, needs_review, level, basis, rule_version, graded_on, changes_on = ready.grade
                grade_rows.append((
                    employer_id, grade, needs_review, level, basis, rule_version, graded_on,
                    changes_on, Cause.RECORD.value, None, None, stored_now,
                ))  # fmt: skip
                changes.append((
                    employer_id, "", grade, needs_review, basis, rule_version, graded_on,
                    Cause.RECORD.value, None, None, None, actor, stored_now,
                ))  # fmt: skip
                grades[grade] += 1
                digest.update(f"{code}\t{ready.cleaned['name']}\t{grade}\n".encode())
            summary = {
                "bulk": True, "batch": number, "employers_created": len(part),
                "employers_updated": 0, "records_created": len(records), "records_skipped": 0,
                "digest": digest.hexdigest(),
            }  # fmt: skip
            data = json.dumps(summary, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            canonical = (
                f'{entry_head}{data},"event":"import_run","object_id":{_j(source_name[:200])},'
                f'"object_type":"import","outcome":"success","prev_hash":"{head}{tail}'
            )
            entry = sha256((head + canonical).encode()).hexdigest()
            if sqlite:
                data = json.dumps(summary, sort_keys=True)
            entries.append((
                stored_now, who["actor"], who["role"], who["address"], "import_run", "import",
                source_name[:200], "success", who["request_id"], data, head, entry,
            ))  # fmt: skip
            head = entry
            if failure:
                raise failure[0]
            job = [
                (Employer._meta.db_table, employer_columns, employers),
                (EmployerName._meta.db_table, name_columns, names),
                (CreditRecord._meta.db_table, record_columns, records),
                (EmployerGrade._meta.db_table, grade_columns, grade_rows),
                (GradeChange._meta.db_table, change_columns, changes),
                (AuditEntry._meta.db_table, audit_columns, entries),
            ]  # fmt: skip
            if sqlite:
                write(job)  # at once: see `writer`
            else:
                pending.put(job)
            result.employers += len(part)
            result.records += len(records)
            result.audit_entries += len(entries)

        def write(job: list[tuple[str, list[str], list[tuple[Any, ...]]]]) -> None:
            copying = time.perf_counter()
            for table, columns, rows in job:
                (_insert if sqlite else _copy)(cursor, table, columns, rows)
            result.copy_seconds += time.perf_counter() - copying

        def writer() -> None:
            """COPY each chunk while the next one is made (psycopg waits without the GIL).
            Not on SQLite: sqlite3 lets the GIL go at every row it steps, and waits for it
            again behind the thread making rows, so a writer thread there is much slower."""
            while (job := pending.get()) is not None:
                if failure:
                    continue
                try:
                    write(job)
                except BaseException as error:  # handed to the loading thread, which rolls back
                    failure.append(error)

        pending: queue.Queue[Any] = queue.Queue(maxsize=2)
        failure: list[BaseException] = []
        thread = threading.Thread(target=writer, name="dataset-copy")
        if not sqlite:
            thread.start()
        # PostgreSQL: ids come from the sequences on a second connection (nextval is not
        # transactional, so the ids are the same as the loading connection's, and it stays
        # free for COPY).
        ids: Any = None
        if not sqlite:
            ids_connection = connection.get_new_connection(connection.get_connection_params())
            ids_connection.autocommit = True
            ids = ids_connection.cursor()
        try:
            number = 0
            waiting = time.perf_counter()
            for item in items:
                result.waiting_seconds += time.perf_counter() - waiting
                batch.append(item)
                if len(batch) == chunk:
                    number += 1
                    flush(batch, number)
                    batch = []
                waiting = time.perf_counter()
            if batch:
                flush(batch, number + 1)
        finally:
            if not sqlite:
                pending.put(None)
                thread.join()
                ids_connection.close()
        if failure:
            raise failure[0]
        indexing = time.perf_counter()
        for statement in restore:
            cursor.execute(statement)
        result.index_seconds = time.perf_counter() - indexing
    result.seconds = time.perf_counter() - started
    result.grades = dict(sorted(grades.items()))
    return result


def _insert(cursor: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """SQLite's bulk path: one prepared INSERT stepped over every row."""
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def _sqlite_next_id(cursor: Any, table: str) -> int:
    """The id an insert would take next: past both the largest id and, as AUTOINCREMENT
    keeps it, the largest id ever used (SQLite moves sqlite_sequence on past the ids
    written explicitly)."""
    cursor.execute(
        f'SELECT max(coalesce((SELECT max(id) FROM "{table}"), 0), '
        "coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)) + 1",
        [table],
    )
    return int(cursor.fetchone()[0])


def _drop_sqlite_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """Drop the tables' secondary indexes that can be dropped (not the primary keys nor the
    indexes of UNIQUE columns, which belong to the table); the statements that make them
    again. Foreign keys are part of a table on SQLite and stay."""
    marks = ", ".join("?" * len(tables))
    cursor.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY tbl_name, name",
        tables,
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in indexes]


def _drop_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """Drop the tables' unique and foreign-key constraints and secondary indexes (not the
    primary keys); the statements that make them again, constraints last."""
    indexes: list[str] = []
    constraints: list[str] = []
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
            [table],
        )
        for name, definition in cursor.fetchall():
            constraints.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for table in tables:
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
            "AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname",
            [table],
        )
        for name, definition in cursor.fetchall():
            indexes.append(definition)
            cursor.execute(f'DROP INDEX "{name}"')
    # Unique constraints first (a foreign key may need one), then the foreign keys.
    unique = [c for c in constraints if " FOREIGN KEY " not in c]
    return indexes + unique + [c for c in constraints if " FOREIGN KEY " in c]


def baseline(records: int) -> dict[str, Any]:
    """The same record rows, written with a bare COPY into an UNLOGGED scratch table
    (PostgreSQL) or a bare `executemany` into a scratch table (SQLite), without indexes."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return _sqlite_baseline(records)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        with tempfile.TemporaryFile() as dump:
            with cursor.copy("COPY credit_creditrecord TO STDOUT") as copy:
                for block in copy:
                    dump.write(block)
            size = dump.tell()
            dump.seek(0)
            cursor.execute("DROP TABLE IF EXISTS bench_dataset_scratch")
            cursor.execute(
                "CREATE UNLOGGED TABLE bench_dataset_scratch "
                "(LIKE credit_creditrecord INCLUDING DEFAULTS)"
            )
            started = time.perf_counter()
            with cursor.copy("COPY bench_dataset_scratch FROM STDIN") as copy:
                while block := dump.read(1 << 20):
                    copy.write(block)
            seconds = time.perf_counter() - started
            cursor.execute("SELECT count(*) FROM bench_dataset_scratch")
            copied = cursor.fetchone()[0]
            cursor.execute("DROP TABLE bench_dataset_scratch")
    if copied != records:
        raise SystemExit(f"基线行数 {copied} 与写入的记录数 {records} 不符")
    return {
        "records": copied,
        "bytes": size,
        "seconds": round(seconds, 2),
        "records_per_second": round(copied / seconds) if seconds else 0,
    }


def _sqlite_baseline(records: int) -> dict[str, Any]:
    """SQLite's mirror of the COPY baseline: the record rows, read back a chunk at a time,
    inserted with one `executemany` per chunk into a table without indexes, in one
    transaction; only the inserts and the commit are timed."""
    from django.db import connection, transaction

    connection.ensure_connection()
    raw = connection.connection
    raw.execute("DROP TABLE IF EXISTS bench_dataset_scratch")
    raw.execute("CREATE TABLE bench_dataset_scratch AS SELECT * FROM credit_creditrecord WHERE 0")
    seconds = 0.0
    with transaction.atomic():
        reading = raw.execute("SELECT * FROM credit_creditrecord")
        width = len(reading.description)
        insert = f"INSERT INTO bench_dataset_scratch VALUES ({', '.join('?' * width)})"
        while rows := reading.fetchmany(20_000):
            started = time.perf_counter()
            raw.executemany(insert, rows)
            seconds += time.perf_counter() - started
        committing = time.perf_counter()
    seconds += time.perf_counter() - committing
    copied = raw.execute("SELECT count(*) FROM bench_dataset_scratch").fetchone()[0]
    raw.execute("DROP TABLE bench_dataset_scratch")
    if copied != records:
        raise SystemExit(f"基线行数 {copied} 与写入的记录数 {records} 不符")
    return {
        "records": copied,
        "seconds": round(seconds, 2),
        "records_per_second": round(copied / seconds) if seconds else 0,
    }


# ---------------------------------------------------------------- command line


def setup_django(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laborcredit.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="基准数据集：把 N 家用人单位及每家 K 条信用记录批量写入 PostgreSQL 或 SQLite"
    )
    parser.add_argument("--employers", type=int, required=True, metavar="N")
    parser.add_argument("--records-per-employer", type=int, required=True, metavar="K")
    parser.add_argument("--seed", type=int, default=SEED, metavar="S")
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=AS_OF, metavar="日期")
    parser.add_argument("--database-url", help="默认为环境变量 DATABASE_URL")
    parser.add_argument("--migrate", action="store_true", help="写入前先执行数据库迁移")
    parser.add_argument("--no-baseline", action="store_true", help="不测量裸写入基线")
    parser.add_argument(
        "--workers", type=int, default=min(os.cpu_count() or 1, 8),
        help="生成数据的进程数（默认每个 CPU 核一个，最多 8 个；结果与进程数无关）",
    )  # fmt: skip
    parser.add_argument(
        "--keep-indexes", action="store_true",
        help="写入时保留索引和约束（默认在同一事务中先删除、写完后重建）",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="结果另存为 JSON 文件")
    args = parser.parse_args(argv)
    if args.employers < 1 or args.records_per_employer < 0:
        parser.error("单位数至少为 1，每家记录数不能为负数")
    if args.workers < 1:
        parser.error("生成数据的进程数至少为 1")
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from laborcredit.audit.context import acting_as
    from laborcredit.lib.errors import Refused

    if connection.vendor not in ("postgresql", "sqlite"):
        parser.error("基准数据集只能写入 PostgreSQL 或 SQLite（请用 --database-url 指定）")
    sqlite = connection.vendor == "sqlite"
    writing = "executemany" if sqlite else "COPY"
    if args.migrate:
        call_command("migrate", verbosity=0)
    source = f"基准数据集（种子 {args.seed}，{args.employers} 家 × {args.records_per_employer} 条）"
    items = rows(
        args.seed, args.employers, args.records_per_employer, args.as_of, workers=args.workers,
        prepare_for=connection.vendor,
    )  # fmt: skip
    try:
        with acting_as(actor="bench", role="system", address="local"):
            done = load(
                items, actor="bench", source_name=source, as_of=args.as_of,
                rebuild_indexes=not args.keep_indexes,
            )  # fmt: skip
    except Refused as refused:
        print("；".join(p.message for p in refused.problems), file=sys.stderr)
        return 1
    # The planner's statistics, as autovacuum would gather them in time: without them a query
    # on the fresh tables can take a plan for a few thousand rows (docs/performance.md).
    analysing = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyse_seconds = time.perf_counter() - analysing
    # The kept repairs (第二十一条), as the demo loader and the daily regrade write them: the
    # repair lists read them.
    from laborcredit.repair.states import states_refresh

    keeping = time.perf_counter()
    repairs = states_refresh(args.as_of, complete=True)
    repair_seconds = time.perf_counter() - keeping
    report: dict[str, Any] = {
        "command": " ".join(["benchmarks/dataset.py", *(argv or sys.argv[1:])]),
        "employers": done.employers,
        "records": done.records,
        "audit_entries": done.audit_entries,
        "seconds": round(done.seconds, 2),
        "records_per_second": round(done.records_per_second),
        "waiting_for_rows_seconds": round(done.waiting_seconds, 2),
        "copy_seconds": round(done.copy_seconds, 2),
        "index_seconds": round(done.index_seconds, 2),
        "analyse_seconds": round(analyse_seconds, 2),
        "repair_states": repairs,
        "repair_states_seconds": round(repair_seconds, 2),
        "database": "SQLite" if sqlite else "PostgreSQL",
        "indexes": "kept" if args.keep_indexes else "rebuilt",
        "grades": done.grades,
    }
    print(
        f"写入 {done.employers} 家单位、{done.records} 条记录、{done.audit_entries} 条审计日志，"
        f"用时 {done.seconds:.1f} 秒：每秒 {done.records_per_second:,.0f} 条记录"
        f"（其中等待生成 {done.waiting_seconds:.1f} 秒，{writing} {done.copy_seconds:.1f} 秒，"
        f"重建索引和约束 {done.index_seconds:.1f} 秒）；之后更新统计信息（ANALYZE）{analyse_seconds:.1f} 秒，"
        f"写信用修复状态 {repairs} 家 {repair_seconds:.1f} 秒"
    )
    if not args.no_baseline and done.records:
        base = baseline(done.records)
        report["baseline"] = base
        report["ratio"] = round(base["records_per_second"] / done.records_per_second, 1)
        bare = "裸 executemany 逐块写进无索引的临时表" if sqlite else "裸 COPY 进无日志临时表"
        print(
            f"基线（同样的记录行{bare}）：用时 {base['seconds']} 秒，"
            f"每秒 {base['records_per_second']:,} 条；基线是写入速度的 {report['ratio']} 倍"
        )
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
