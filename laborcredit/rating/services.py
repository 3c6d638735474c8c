"""第十三条: grades kept current (dynamic adjustment, time passing) and the annual evaluation.

Grading is always the rules package reading the effective records; these
functions only decide when to grade, and store what changed with its cause.
"""

from __future__ import annotations

import datetime
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models import Max, Min, TextField, Value
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from laborcredit.audit.services import audit_append, audit_append_many, audit_held
from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.exchange.services import outbox_grade_changes
from laborcredit.lib.bulk import bulk_insert, copy_rows, copy_text, insert_rows
from laborcredit.lib.errors import Problem, Refused
from laborcredit.rating.chunks import (
    HI,
    LO,
    RECORD_COLUMNS,
    RESULT_COLUMNS,
    ChunkJob,
    ChunkQueries,
    Tally,
    graded_rows,
    records_by_employer,
)
from laborcredit.rating.models import (
    Cause,
    EmployerGrade,
    EvaluationRun,
    GradeChange,
    ReviewDecision,
    RunResult,
)
from laborcredit.rating.workers import graded_in_workers
from laborcredit.rules import grade, parameters_on
from laborcredit.rules.adjustment import next_change_on, result_key
from laborcredit.rules.grading import GradeResult
from laborcredit.rules.review import decidable_grades, flag_articles, grades_text
from laborcredit.rules.vocabulary import Grade, Record

CHUNK = 5000


def provincial_policy() -> str:
    """第八条: the deployment's choice, else the parameter in force."""
    return settings.LABORCREDIT_PROVINCIAL_POLICY or ""


def grade_records(records: list[Record], as_of: datetime.date) -> GradeResult:
    return grade(records, as_of, provincial_policy=provincial_policy() or None)


def effective_records(employer_ids: list[int]) -> dict[int, list[Record]]:
    """The effective records of many employers in one query, as the rules package reads them."""
    if not employer_ids:
        return defaultdict(list)
    query = CreditRecord.objects.effective().filter(employer_id__in=employer_ids)
    # Django's SQL and cursor, not the driver's (`_driver_sql` is for the evaluation
    # workers): the debug cursor (LABORCREDIT_DEBUG, CaptureQueriesContext) logs the query
    # by interpolating Django's %s placeholders, and fails on SQLite's ?.
    sql, params = _record_rows(query).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return records_by_employer(cursor.fetchall(), dates_as_text=_dates_as_text())


def _dates_as_text() -> bool:
    return connection.vendor == "sqlite"


_EMPTY_AS_NULL = ("case", "document_number", "level")


def _record_rows(query: Any) -> Any:
    """A records query's `RECORD_COLUMNS` without the ORM's per-value work, empty texts as
    NULL (as `Record` holds them). SQLite keeps dates as text, and the driver's and Django's
    per-value converters cost more than grading the records: they are read as text and
    parsed by `records_by_employer`."""
    query = query.annotate(**{f"{c}_or_null": NullIf(c, Value("")) for c in _EMPTY_AS_NULL})
    read = {c: f"{c}_or_null" for c in _EMPTY_AS_NULL}
    if _dates_as_text():
        query = query.annotate(
            day=Cast("date", TextField()), deadline=Cast("correction_deadline", TextField())
        )
        read.update(date="day", correction_deadline="deadline")
    return query.values_list(*(read.get(c, c) for c in RECORD_COLUMNS)).order_by()


def _driver_sql(query: Any) -> tuple[str, tuple[Any, ...]]:
    """A query's SQL and parameters as the database driver itself takes them (SQLite's
    driver takes ? where Django writes %s; choices as their plain values, so that a worker
    unpickles them without Django)."""
    sql, params = query.query.sql_with_params()
    if connection.vendor == "sqlite":
        sql = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")
    return sql, tuple(p.value if isinstance(p, Enum) else p for p in params)


def basis_entries(result: GradeResult) -> list[dict[str, str]]:
    """A grade's basis as stored (EmployerGrade, GradeChange, RunResult)."""
    return [entry.as_dict() for entry in result.basis]


def _stored_key(current: EmployerGrade) -> tuple[Any, ...]:
    return _grade_key(
        current.grade,
        current.needs_review,
        current.provincial_level,
        [entry["rule"] for entry in current.basis],
    )


def _grade_key(
    grade: str, needs_review: Any, provincial_level: str, rules: Iterable[str]
) -> tuple[Any, ...]:
    """A stored grade as `rules.adjustment.result_key` gives a result: the same grade for the
    same reasons, the reasons' dates aside."""
    return (grade, bool(needs_review), provincial_level or None, tuple(rules))


def _apply(
    employer: Employer,
    current: EmployerGrade | None,
    result: GradeResult,
    next_on: datetime.date | None,
    *,
    cause: str,
    actor: str,
    record: CreditRecord | None = None,
    run: EvaluationRun | None = None,
    batch: Batch | None = None,
) -> GradeChange | None:
    """Store a result as the current grade; when it differs, add the change to the history.

    With a `batch`, new rows are collected there and inserted together by `Batch.save`."""
    changed = current is None or _stored_key(current) != result_key(result)
    from_grade = current.grade if current is not None else ""
    fields = {
        "grade": result.grade.value,
        "needs_review": result.needs_review,
        "provincial_level": result.provincial_level or "",
        "basis": basis_entries(result),
        "rule_version": result.rule_version,
        "as_of": result.as_of,
        "next_change_on": next_on,
    }
    if current is None:
        first = EmployerGrade(employer=employer, cause=cause, run=run, **fields)
        if batch is not None:
            batch.grades.append(first)
        else:
            first.save(force_insert=True)
    else:
        for key, value in fields.items():
            setattr(current, key, value)
        if changed:
            current.cause, current.run, current.decision = cause, run, None
        if batch is not None:
            batch.updates.append(current)
        else:
            current.save()
    if not changed:
        return None
    change = _history_change(
        employer, from_grade, result, fields["basis"], cause=cause, actor=actor, record=record,
        run=run,
    )  # fmt: skip
    if batch is not None:
        batch.changes.append(change)
    else:
        change.save(force_insert=True)
        outbox_grade_changes([change])  # 第六条: the platform's copy, in this transaction
    return change


def _history_change(
    employer: Employer,
    from_grade: str,
    result: GradeResult,
    basis: list[dict[str, str]],
    *,
    cause: str,
    actor: str,
    record: CreditRecord | None = None,
    run: EvaluationRun | None = None,
) -> GradeChange:
    """A grade change for the history (not yet saved): `result` replacing `from_grade`."""
    return GradeChange(
        employer=employer,
        from_grade=from_grade,
        to_grade=result.grade.value,
        needs_review=result.needs_review,
        basis=basis,
        rule_version=result.rule_version,
        as_of=result.as_of,
        cause=cause,
        record=record,
        run=run,
        actor=actor,
    )


@dataclass
class Batch:
    """New grade rows of many employers, inserted in a few statements instead of one each."""

    grades: list[EmployerGrade] = field(default_factory=list)
    updates: list[EmployerGrade] = field(default_factory=list)
    changes: list[GradeChange] = field(default_factory=list)

    def save(self) -> None:
        bulk_insert(self.grades)
        _grades_update(self.updates)
        outbox_grade_changes(bulk_insert(self.changes))
        self.grades, self.updates, self.changes = [], [], []


_GRADE_COLUMNS = (
    "employer_id", "grade", "needs_review", "provincial_level", "basis", "rule_version",
    "as_of", "next_change_on", "cause", "run_id", "decision_id", "updated_at",
)  # fmt: skip


def _grades_update(rows: list[EmployerGrade]) -> None:
    """Store many regraded current grades: on PostgreSQL one COPY into a scratch table and
    one UPDATE from it (a regrade touches every due employer's row; one UPDATE each cost a
    round trip each), elsewhere one save each."""
    if connection.vendor != "postgresql" or len(rows) < 20:
        for row in rows:
            row.save()
        return
    now = timezone.now()
    table = EmployerGrade._meta.db_table
    values = [
        (row.pk, row.grade, row.needs_review, row.provincial_level,
         json.dumps(row.basis, ensure_ascii=False), row.rule_version, row.as_of,
         row.next_change_on, row.cause, row.run_id, row.decision_id, now)
        for row in rows
    ]  # fmt: skip
    assignments = ", ".join(f'"{c}" = s."{c}"' for c in _GRADE_COLUMNS[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TEMPORARY TABLE IF NOT EXISTS grade_updates (LIKE "{table}") ON COMMIT DROP'
        )
        cursor.execute("TRUNCATE grade_updates")
        copy_rows(cursor.cursor, "grade_updates", _GRADE_COLUMNS, values)
        cursor.execute(
            f'UPDATE "{table}" g SET {assignments} FROM grade_updates s '
            "WHERE g.employer_id = s.employer_id"
        )
        cursor.execute("TRUNCATE grade_updates")
    for row in rows:
        row.updated_at = now


def _audit_change(employer: Employer, change: GradeChange) -> None:
    audit_append(**grade_change_audit_entry(employer, change))


def grade_change_audit_entry(employer: Employer, change: GradeChange) -> dict[str, Any]:
    """The audit entry of a grade change (AU1: grade decisions)."""
    return dict(
        event="grade_change",
        object_type="employer",
        object_id=employer.uscc,
        data={
            "from": change.from_grade,
            "to": change.to_grade,
            "needs_review": change.needs_review,
            "as_of": change.as_of.isoformat(),
            "cause": change.cause,
            "record": change.record_id,
            "run": change.run_id,
            "rules": [entry["rule"] for entry in change.basis],
            "rule_version": change.rule_version,
        },
    )


def employer_regrade(
    *,
    employer: Employer,
    cause: str,
    actor: str,
    record: CreditRecord | None = None,
    as_of: datetime.date | None = None,
    records: list[Record] | None = None,
) -> GradeChange | None:
    """第十三条 动态调整: grade one employer now, inside the caller's transaction.

    `records`: the employer's effective records, when the caller has just read them under
    the employer's row lock (record_create); else they are read here.
    """
    as_of = as_of or timezone.localdate()
    if records is None:
        records = effective_records([employer.pk]).get(employer.pk, [])
    result = grade_records(records, as_of)
    current = EmployerGrade.objects.select_for_update().filter(employer=employer).first()
    change = _apply(
        employer, current, result, next_change_on(records, as_of), cause=cause, actor=actor,
        record=record,
    )  # fmt: skip
    if change is not None:
        _audit_change(employer, change)
    _repair_states_keep({employer.pk: records}, as_of)
    return change


def _repair_states_keep(records: dict[int, list[Record]], as_of: datetime.date) -> None:
    """A regrade rewrites the kept repairs of the employers it graded (repair.states): their
    records may have changed, or time has moved their grade."""
    from laborcredit.repair.states import states_keep

    states_keep(records, as_of)


def _id_chunks(query: Any, size: int = CHUNK) -> Iterator[tuple[int, int]]:
    bounds = query.aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return
    for lo in range(bounds["lo"], bounds["hi"] + 1, size):
        yield lo, min(lo + size - 1, bounds["hi"])


@dataclass
class RegradeSummary:
    checked: int = 0
    changed: int = 0
    transitions: Counter[tuple[str, str]] | None = None
    repairs_refreshed: int = 0


def regrade_employers(
    employer_ids: list[int],
    *,
    cause: str,
    actor: str,
    as_of: datetime.date | None = None,
    summary: RegradeSummary | None = None,
) -> int:
    """Regrade many employers inside the caller's transaction, reading their records in one
    query a chunk; returns how many changed grade (each change stored and audited)."""
    as_of = as_of or timezone.localdate()
    changed = 0
    for start in range(0, len(employer_ids), CHUNK):
        ids = employer_ids[start : start + CHUNK]
        employers = Employer.objects.select_for_update().in_bulk(ids)
        records = effective_records(ids)
        currents = EmployerGrade.objects.select_for_update().in_bulk(ids)
        entries: list[dict[str, Any]] = []
        batch = Batch()
        for employer_id in ids:
            mine = records.get(employer_id, [])
            result = grade_records(mine, as_of)
            change = _apply(
                employers[employer_id], currents.get(employer_id), result,
                next_change_on(mine, as_of), cause=cause, actor=actor, batch=batch,
            )  # fmt: skip
            if summary is not None:
                summary.checked += 1
            if change is not None:
                changed += 1
                if summary is not None and summary.transitions is not None:
                    summary.transitions[(change.from_grade, change.to_grade)] += 1
                entries.append(grade_change_audit_entry(employers[employer_id], change))
        batch.save()
        audit_append_many(entries)
        _repair_states_keep({pk: records.get(pk, []) for pk in ids}, as_of)
    if summary is not None:
        summary.changed += changed
    return changed


def regrade_due(
    *, today: datetime.date | None = None, actor: str, progress: Callable[[int], None] | None = None
) -> RegradeSummary:
    """Regrade the employers whose result may have changed with time alone (a window edge passed),
    and those never graded. The rest are unchanged by construction (see rules.adjustment)."""
    today = today or timezone.localdate()
    summary = RegradeSummary(transitions=Counter())
    # The due employers in two indexed queries, then a transaction per chunk of them (asking
    # every chunk of ids for its due ones cost a query per 5,000 employers of the city).
    due = set(
        EmployerGrade.objects.filter(next_change_on__lte=today).values_list(
            "employer_id", flat=True
        )
    )
    due.update(Employer.objects.filter(current_grade__isnull=True).values_list("pk", flat=True))
    ordered = sorted(due)
    for start in range(0, len(ordered), CHUNK):
        ids = ordered[start : start + CHUNK]
        with transaction.atomic():
            regrade_employers(ids, cause=Cause.TIME, actor=actor, as_of=today, summary=summary)
        if progress:
            progress(len(ids))
    from laborcredit.repair.states import states_refresh

    # What the regrades above did not rewrite: repairs whose grade cannot move today but whose
    # kept copy has expired, and those never written (records loaded in bulk).
    summary.repairs_refreshed = states_refresh(today, complete=True)
    return summary


# ---------------------------------------------------------------- annual evaluation

EVALUATION_CHUNK = 10_000
PARALLEL_FROM = 50_000  # employers; below this a pool of processes costs more than it saves


def chunk_queries(previous_run_id: int | None) -> ChunkQueries:
    """The queries that read a chunk of an evaluation (rating.chunks): its effective records,
    its employers' previous grades (in the previous approved run, else the current grades)
    and its employer ids, built once by the ORM, so that reading a chunk needs no ORM."""
    between = {"employer_id__gte": LO, "employer_id__lte": HI}
    records = CreditRecord.objects.effective(employers=(LO, HI))
    if previous_run_id is not None:
        previous: Any = RunResult.objects.filter(run_id=previous_run_id, **between)
    else:
        previous = EmployerGrade.objects.filter(**between)
    ids = Employer.objects.filter(pk__gte=LO, pk__lte=HI).order_by("pk").values_list("pk")
    return ChunkQueries(
        records=_driver_sql(_record_rows(records)),
        previous=_driver_sql(previous.values_list("employer_id", "grade").order_by()),
        ids=_driver_sql(ids),
        dates_as_text=_dates_as_text(),
    )


def graded_chunk(queries: ChunkQueries, job: ChunkJob) -> list[tuple[Any, ...]]:
    """A chunk graded in this process: its result rows (`RESULT_COLUMNS`)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            return graded_rows(cursor, queries, job)
        with transaction.atomic():
            # A chunk's query is large enough for PostgreSQL to compile it just in time,
            # which costs more than the query itself.
            cursor.execute("SET LOCAL jit = off")
            return graded_rows(cursor, queries, job)


def workers_can_read() -> bool:
    """Whether worker processes can read this database beside the evaluation's transaction:
    PostgreSQL, or an SQLite file (in WAL mode, see settings), not one in this process's
    memory (as in the tests)."""
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and not connection.is_in_memory_db()


def evaluation_workers(employers: int) -> int:
    """How many processes grade an evaluation of `employers`: LABORCREDIT_EVALUATION_WORKERS
    when set (1: none besides this one), else one per core for a large city."""
    if not workers_can_read():
        return 1
    configured = settings.LABORCREDIT_EVALUATION_WORKERS
    if configured:
        return configured
    if employers < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _worker_connection() -> tuple[str, dict[str, Any]]:
    """How a worker connects to the parent's database (in tests, the test database, whose
    name only the parent knows): the driver's own connection parameters, as Django uses
    them, less those only Django understands (adapters, cursor classes)."""
    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if value is None or isinstance(value, str | int | float | bool)
    }
    return connection.vendor, params


def _graded_chunks(
    queries: ChunkQueries, jobs: list[ChunkJob], workers: int
) -> Iterator[tuple[list[tuple[Any, ...]] | bytes, Tally]]:
    """The chunks' results in order, each as rows or (from a worker process on PostgreSQL)
    as COPY text, with their tally."""
    if workers <= 1 or len(jobs) < 2 or not workers_can_read():
        for job in jobs:
            rows = graded_chunk(queries, job)
            yield rows, Tally.of(rows)
        return
    yield from graded_in_workers(jobs, workers, _worker_connection(), queries)


@contextmanager
def _result_keys_checked_at_once() -> Iterator[None]:
    """On PostgreSQL, the results' foreign keys checked as each chunk is written, while the
    workers grade the next ones, rather than a million of them at the commit, when nothing
    else runs; deferred again afterwards, as Django declares them."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(conname) FROM pg_constraint WHERE contype = 'f' AND "
            "conrelid = %s::regclass AND condeferrable",
            [RunResult._meta.db_table],
        )
        names = ", ".join(name for (name,) in cursor.fetchall())
    if not names:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
    yield  # (after an error, the transaction is rolled back: nothing to restore)
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


def _results_written(
    queries: ChunkQueries,
    jobs: list[ChunkJob],
    workers: int,
    progress: Callable[[int], None] | None,
) -> Tally:
    """Grade the chunks and write their results; what they count."""
    tally = Tally()
    for results, chunk_tally in _graded_chunks(queries, jobs, workers):
        if isinstance(results, bytes):
            with connection.cursor() as cursor:
                copy_text(cursor.cursor, RunResult._meta.db_table, RESULT_COLUMNS, results)
        else:
            insert_rows(RunResult._meta.db_table, RESULT_COLUMNS, results)
        tally.add(chunk_tally)
        if progress:
            progress(chunk_tally.total)
    return tally


@transaction.atomic
def evaluation_run_create(
    *,
    as_of: datetime.date,
    actor: str,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> EvaluationRun:
    """第十三条 评价周期为一年: grade every employer on `as_of` in one set-based pass; a draft.

    Chunks of employers are read with one query each, graded by the rules package (in a
    pool of `workers` processes for a large city, see `evaluation_workers`) and their
    results written with COPY, in this one transaction."""
    started = time.monotonic()
    params = parameters_on(as_of)
    previous = (
        EvaluationRun.objects.filter(status=EvaluationRun.Status.APPROVED)
        .order_by("-as_of", "-id")
        .first()
    )
    run = EvaluationRun.objects.create(
        as_of=as_of,
        rule_version=params.version,
        provincial_policy=provincial_policy() or params.provincial_policy,
        previous=previous,
        created_by=actor,
    )
    queries = chunk_queries(previous.pk if previous else None)
    jobs = [
        ChunkJob(run.pk, lo, hi, as_of, provincial_policy())
        for lo, hi in _id_chunks(Employer.objects.all(), EVALUATION_CHUNK)
    ]
    if workers is None:
        workers = evaluation_workers(Employer.objects.count() if len(jobs) > 1 else 0)
    with _result_keys_checked_at_once():
        tally = _results_written(queries, jobs, workers, progress)
    counts, moved, needs_review = tally.counts, tally.moved, tally.needs_review
    run.employer_count = tally.total
    run.counts = {g.value: counts[g.value] for g in Grade}
    run.moved_count = moved
    run.needs_review_count = needs_review
    run.seconds = round(time.monotonic() - started, 3)
    run.save()
    audit_append(
        event="evaluation_run_create",
        object_type="evaluation_run",
        object_id=str(run.pk),
        data={"as_of": as_of.isoformat(), "counts": run.counts, "moved": moved,
              "needs_review": needs_review, "rule_version": run.rule_version},
    )  # fmt: skip
    return run


def evaluation_run_approval_problems(*, run: EvaluationRun, approver: Any) -> list[Problem]:
    """Why `approver` may not approve `run` now (none: may). The approval checks them again
    under a lock; a page asks first, to answer at once instead of starting a job."""
    if run.status != EvaluationRun.Status.DRAFT:
        return [Problem("run", f"第 {run.pk} 次评价已批准，不能重复批准", "run-not-draft")]
    if not approver.has_perm("rating.approve_evaluationrun"):
        return [
            Problem(
                "approver", f"{approver.get_username()} 无权批准年度评价结果", "permission-denied"
            )
        ]
    if approver.get_username() == run.created_by:
        return [Problem("approver", "评价结果须由发起人以外的人员批准", "four-eyes")]
    latest = (
        EvaluationRun.objects.filter(status=EvaluationRun.Status.APPROVED)
        .order_by("-as_of")
        .first()
    )
    if latest is not None and latest.as_of > run.as_of:
        return [
            Problem(
                "run", f"已批准评价日期更晚（{latest.as_of}）的评价，本次评价已过时", "run-outdated"
            )
        ]
    return _decisions_outside_open_grades(run)


def _decisions_outside_open_grades(run: EvaluationRun) -> list[Problem]:
    """人工认定 recorded on the run outside the grades its flags leave open
    (`rules.review.decidable_grades`): refused when made since the check existed, but a draft
    may hold older ones, and approval would make them official."""
    latest: dict[int, tuple[str, str, list[dict[str, str]], str]] = {}
    for employer_id, uscc, computed, basis, decided in (
        ReviewDecision.objects.filter(run=run)
        .order_by("employer_id", "-decided_at", "-id")
        .values_list(
            "employer_id", "employer__uscc", "computed_grade", "computed_basis", "decided_grade"
        )
    ):
        latest.setdefault(employer_id, (uscc, computed, basis or [], decided))
    outside = [
        uscc
        for uscc, computed, basis, decided in latest.values()
        if Grade(decided)
        not in decidable_grades((b.get("rule", "") for b in basis), Grade(computed))
    ]
    if not outside:
        return []
    shown = "、".join(sorted(outside)[:10]) + ("等" if len(outside) > 10 else "")
    return [
        Problem(
            "run",
            f"{len(outside)} 家单位的人工认定超出评价依据允许的等级（{shown}），请重新认定后再批准",
            "decision-not-open",
        )
    ]


_RESULT_FIELDS = (
    "employer",
    "grade",
    "needs_review",
    "provincial_level",
    "basis",
    "next_change_on",
)


@transaction.atomic
@audit_held()  # the chain's head is held from the entries' writing to the commit
def evaluation_run_approve(
    *, run: EvaluationRun, approver: Any, progress: Callable[[int], None] | None = None
) -> EvaluationRun:
    """Make a draft run the official grades. Needs the approval permission, and another
    person than the one who drafted it; an adjustment later than the run's date stays.
    `progress` is told how many employers each chunk held."""
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    problems = evaluation_run_approval_problems(run=run, approver=approver)
    if problems:
        raise Refused(problems)
    # Several decisions on one result: the latest one counts.
    decisions = {
        d.employer_id: d
        for d in ReviewDecision.objects.filter(run=run).order_by("decided_at", "id")
    }
    actor = approver.get_username()
    for lo, hi in _id_chunks(Employer.objects.all()):
        batch = Batch()
        entries: list[dict[str, Any]] = []
        held, approved = _approval_chunk(run, lo, hi, actor, batch, entries)
        batch.save()
        audit_append_many(entries)
        mine = [pk for pk in approved if pk in decisions]
        # The employer's code and name only, as the history and the audit log name it.
        employers = Employer.objects.only("uscc", "name").in_bulk(mine)
        decided = [(employers[pk], decisions[pk]) for pk in mine]
        # An officer's decision on a result, once the result is the stored grade.
        for employer, decision in decided:
            grade_row = EmployerGrade.objects.select_related("decision").get(pk=employer.pk)
            before = grade_row.official_grade
            grade_row.decision = decision
            grade_row.save(update_fields=["decision", "updated_at"])
            if before != decision.decided_grade:  # the official grade moves: in the history
                review_change = GradeChange.objects.create(
                    employer=employer, from_grade=before,
                    to_grade=decision.decided_grade, needs_review=False,
                    basis=grade_row.basis, rule_version=grade_row.rule_version,
                    as_of=grade_row.as_of, cause=Cause.REVIEW, run=run, decision=decision,
                    actor=actor,
                )  # fmt: skip
                _audit_change(employer, review_change)
                outbox_grade_changes([review_change])
        if progress:
            progress(held)
    run.status = EvaluationRun.Status.APPROVED
    run.approved_by = actor
    run.approved_at = timezone.now()
    run.save()
    audit_append(
        event="evaluation_run_approve",
        object_type="evaluation_run",
        object_id=str(run.pk),
        data={"as_of": run.as_of.isoformat(), "counts": run.counts},
    )
    return run


_RULES_OF = {
    "postgresql": "jsonb_path_query_array({}, '$[*].rule')::text",
    "sqlite": "(SELECT json_group_array(json_extract(value, '$.rule')) FROM json_each({}))",
}
"""A stored basis's rule ids, in order, as the text of a JSON array: what `_grade_key`
compares. Both sides come from the same function, so equal ids give equal texts, and the
texts are compared as they are rather than parsed (two for each employer)."""


def _approval_chunk(
    run: EvaluationRun, lo: int, hi: int, actor: str, batch: Batch, entries: list[dict[str, Any]]
) -> tuple[int, list[int]]:
    """Approve the results of employers lo..hi: how many results the chunk held, and the
    employers whose stored grade the run's result now is (in order).

    The results are not read into objects (at a province's size that took most of the
    approval, every basis parsed and written back): the stored grades are compared with
    them by their keys, read with the rule ids only, and replaced by one UPDATE from the
    results; only the changes (for the history, the audit log and the platform) and first
    grades are built as objects."""
    # Locked before they are read: a record entered meanwhile waits for the approval.
    list(
        EmployerGrade.objects.select_for_update()
        .filter(employer_id__gte=lo, employer_id__lte=hi)
        .values_list("pk", flat=True)
    )
    rules = _RULES_OF[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.employer_id, r.grade, r.needs_review, r.provincial_level, "
            f"{rules.format('r.basis')}, g.grade, g.needs_review, g.provincial_level, "
            f"{rules.format('g.basis')}, CASE WHEN g.as_of > %s THEN 1 ELSE 0 END "
            f'FROM "{RunResult._meta.db_table}" r LEFT JOIN "{EmployerGrade._meta.db_table}" g '
            "ON g.employer_id = r.employer_id "
            "WHERE r.run_id = %s AND r.employer_id >= %s AND r.employer_id <= %s",
            [connection.ops.adapt_datefield_value(run.as_of), run.pk, lo, hi],
        )
        rows = cursor.fetchall()
    # A record entered after the draft is missing from its result, whatever the record's date.
    entered_since = set(
        CreditRecord.objects.filter(
            employer_id__gte=lo, employer_id__lte=hi, entered_at__gt=run.created_at
        ).values_list("employer_id", flat=True)
    )
    replaced: list[tuple[int, bool]] = []  # (employer, whether the grade changes)
    first: list[int] = []
    for pk, grade_, review, level, result_rules, now_grade, now_review, now_level, now_rules, later in rows:  # fmt: skip
        if now_grade is None:
            first.append(pk)
        elif later or pk in entered_since:
            continue  # 动态调整 after the run's date is the later, current result
        else:
            changed = _grade_key(now_grade, now_review, now_level, [now_rules]) != _grade_key(
                grade_, review, level, [result_rules]
            )
            replaced.append((pk, changed))
    from_grades = {row[0]: row[5] for row in rows}
    built = [pk for pk, changed in replaced if changed] + first
    # The employer's code and name only (the history, the audit log and the platform name
    # it by them): building whole employers, personal fields decrypted, cost more than the rest.
    results = (
        RunResult.objects.filter(run=run, employer_id__in=built)
        .select_related("employer")
        .only(*_RESULT_FIELDS, "employer__uscc", "employer__name")
        .order_by("employer_id")
    )
    for result in results:
        stored = GradeResult(
            as_of=run.as_of,
            grade=Grade(result.grade),
            needs_review=result.needs_review,
            provincial_level=result.provincial_level or None,
            basis=tuple(_entry(b) for b in result.basis),
            rule_version=run.rule_version,
        )
        if from_grades[result.employer_id] is None:
            change = _apply(
                result.employer, None, stored, result.next_change_on, cause=Cause.RUN,
                actor=actor, run=run, batch=batch,
            )  # fmt: skip
        else:
            change = _history_change(
                result.employer, from_grades[result.employer_id], stored,
                basis_entries(stored), cause=Cause.RUN, actor=actor, run=run,
            )  # fmt: skip
            batch.changes.append(change)
        if change is not None:
            entries.append(grade_change_audit_entry(result.employer, change))
    _grades_replaced(run, replaced, lo, hi)
    return len(rows), sorted([pk for pk, _ in replaced] + first)


_REPLACED_ROWS = {
    "postgresql": "SELECT * FROM unnest(%s::bigint[], %s::boolean[])",
    "sqlite": "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(%s)",
}
"""The (employer, changed) pairs as rows, from one or two parameters rather than two each
(ten thousand bound parameters cost the driver more than the statement costs the database)."""


def _grades_replaced(
    run: EvaluationRun, replaced: list[tuple[int, bool]], lo: int, hi: int
) -> None:
    """第十三条: the run's results as the employers' stored grades, in one statement; a grade
    that changes also takes the run as its cause, and loses an officer's decision on the
    grade it replaces. `lo` and `hi` are the chunk's bounds."""
    if not replaced:
        return
    cause = Cause.RUN.value
    table = EmployerGrade._meta.db_table
    if connection.vendor == "postgresql":
        ids = [[pk for pk, _ in replaced], [changed for _, changed in replaced]]
    else:
        ids = [json.dumps(replaced)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH a(employer_id, changed) AS ({_REPLACED_ROWS[connection.vendor]}) "
            f'UPDATE "{table}" SET grade = r.grade, needs_review = r.needs_review, '
            "provincial_level = r.provincial_level, basis = r.basis, rule_version = %s, "
            "as_of = %s, next_change_on = r.next_change_on, updated_at = %s, "
            f'cause = CASE WHEN a.changed THEN %s ELSE "{table}".cause END, '
            f'run_id = CASE WHEN a.changed THEN %s ELSE "{table}".run_id END, '
            f'decision_id = CASE WHEN a.changed THEN NULL ELSE "{table}".decision_id END '
            f'FROM "{RunResult._meta.db_table}" r, a '
            f'WHERE a.employer_id = "{table}".employer_id AND r.run_id = %s '
            "AND r.employer_id = a.employer_id AND r.employer_id >= %s AND r.employer_id <= %s "
            f'AND "{table}".employer_id >= %s AND "{table}".employer_id <= %s',
            [
                *ids,
                run.rule_version, connection.ops.adapt_datefield_value(run.as_of),
                connection.ops.adapt_datetimefield_value(timezone.now()), cause, run.pk, run.pk,
                # The chunk's bounds, which keep the plan to the chunk's rows: a draft's results
                # have no statistics yet, and without them it joined all of them every time.
                lo, hi, lo, hi,
            ],
        )  # fmt: skip


def _check_decidable(decided_grade: str, computed: str, basis: list[dict[str, str]]) -> None:
    """Refuse a grade the flagging rules of the basis rule out (第十一条: B or C; 第九条(二):
    A+ or A; 第八条: not above the computed grade)."""
    allowed = decidable_grades((b.get("rule", "") for b in basis), Grade(computed))
    if Grade(decided_grade) in allowed:
        return
    articles = "、".join(flag_articles(basis))
    grounds = f"按评价依据（{articles}）" if articles else "按评价依据"
    raise Refused.one(
        "decided_grade",
        f"{grounds}只能认定为{grades_text(allowed)}，不能认定为{decided_grade}级",
        "grade-not-open",
    )


def _entry(data: dict[str, str]) -> Any:
    from laborcredit.rules.grading import BasisEntry

    return BasisEntry(data["article"], data["rule"], data["reason"])


# ---------------------------------------------------------------- needs_review decisions


@transaction.atomic
def review_decide(
    *,
    employer: Employer,
    decided_grade: str,
    reason: str,
    actor: str,
    run: EvaluationRun | None = None,
) -> ReviewDecision:
    """An officer's decision on a result the rules leave open (第九条(二), 第十一条, 第八条):
    stored as its own record beside the computed result, which stays as computed. Only a
    grade the flagging rules leave open (`rules.review.decidable_grades`) is taken."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused.one("reason", "人工认定必须说明理由", "reason-missing")
    if decided_grade not in Grade._value2member_map_:
        raise Refused.one("decided_grade", f"无效的信用等级“{decided_grade}”", "grade-invalid")
    if run is not None:
        # The caller's copy may be stale: an approved run takes no more decisions.
        run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
        result = RunResult.objects.filter(run=run, employer=employer).first()
        if result is None or not result.needs_review:
            raise Refused.one("employer", "该单位在本次评价中无需人工复核", "review-not-needed")
        if run.status != EvaluationRun.Status.DRAFT:
            raise Refused.one("run", "已批准的评价不能再认定", "run-not-draft")
        computed = (result.grade, run.as_of, result.basis)
        current = None
    else:
        current = EmployerGrade.objects.select_for_update().filter(employer=employer).first()
        if current is None or not current.needs_review:
            raise Refused.one("employer", "该单位当前等级无需人工复核", "review-not-needed")
        computed = (current.grade, current.as_of, current.basis)
    _check_decidable(decided_grade, computed[0], computed[2])
    decision = ReviewDecision.objects.create(
        employer=employer,
        run=run,
        computed_grade=computed[0],
        computed_as_of=computed[1],
        computed_basis=computed[2],
        decided_grade=decided_grade,
        reason=reason,
        decided_by=actor,
    )
    if current is not None:
        before = current.official_grade
        current.decision = decision
        current.save(update_fields=["decision", "updated_at"])
        if before != decided_grade:
            change = GradeChange.objects.create(
                employer=employer, from_grade=before, to_grade=decided_grade,
                needs_review=False, basis=current.basis, rule_version=current.rule_version,
                as_of=current.as_of, cause=Cause.REVIEW, decision=decision, actor=actor,
            )  # fmt: skip
            _audit_change(employer, change)
            outbox_grade_changes([change])
    audit_append(
        event="review_decision",
        object_type="employer",
        object_id=employer.uscc,
        data={"computed": computed[0], "decided": decided_grade, "reason": reason,
              "run": run.pk if run else None},
    )  # fmt: skip
    return decision
