"""第十三条 annual evaluation: one chunk of employers graded from the rows a database cursor
gives, with the rules package and nothing of Django's.

The evaluation (rating.services.evaluation_run_create) asks Django for the chunk's
three queries once, in the driver's own form (`ChunkQueries`); a chunk is then
read, graded and turned into result rows here, in the evaluation's process or in
a worker process (rating.workers), which therefore starts with the rules package
and the database driver only, not the whole site.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from laborcredit.rules import grade
from laborcredit.rules.adjustment import next_change_on
from laborcredit.rules.vocabulary import Record, RecordType

RESULT_COLUMNS = (
    "run_id",
    "employer_id",
    "grade",
    "needs_review",
    "provincial_level",
    "basis",
    "previous_grade",
    "next_change_on",
)
"""A result row's columns (rating_runresult), in order."""

RECORD_COLUMNS = (
    "employer_id",
    "type",
    "date",
    "case",
    "correction_deadline",
    "document_number",
    "passed",
    "level",
)
"""The columns a records query gives, in order (dates as dates, or as ISO text; empty texts
as NULL, as `Record` holds them)."""

LO, HI = -1_000_000_001, -1_000_000_002
"""Stand-ins for a chunk's first and last employer id in `ChunkQueries`' parameters."""

_TYPES = {t.value: t for t in RecordType}
# Record(...) goes through the named tuple's generated __new__ (its keyword defaults); an
# evaluation makes ten million records, so they are built as tuples, all seven fields in order.
_record = tuple.__new__


def records_by_employer(
    rows: Iterable[tuple[Any, ...]], dates_as_text: bool
) -> defaultdict[int, list[Record]]:
    """Rows of `RECORD_COLUMNS` as the rules package reads them, by employer. With
    `dates_as_text` (SQLite), dates come as ISO text and flags as integers: converted here,
    which costs less than the driver's and Django's converters per value. Otherwise
    (PostgreSQL) every value but the type is already what `Record` holds."""
    grouped: defaultdict[int, list[Record]] = defaultdict(list)
    types = _TYPES
    if not dates_as_text:
        for employer_id, type_, day, case, deadline, document, passed, level in rows:
            grouped[employer_id].append(
                _record(Record, (types[type_], day, case, deadline, document, passed, level))
            )
        return grouped
    day_of = datetime.date.fromisoformat
    for employer_id, type_, day, case, deadline, document, passed, level in rows:
        grouped[employer_id].append(
            _record(Record, (
                types[type_], day_of(day), case, deadline and day_of(deadline), document,
                None if passed is None else bool(passed), level,
            ))
        )  # fmt: skip
    return grouped


@dataclass(frozen=True)
class ChunkQueries:
    """The three queries of a chunk (its records, its employers' previous grades, its
    employer ids), as SQL in the driver's parameter style, with `LO` and `HI` standing for
    the chunk's bounds in their parameters."""

    records: tuple[str, tuple[Any, ...]]
    previous: tuple[str, tuple[Any, ...]]
    ids: tuple[str, tuple[Any, ...]]
    dates_as_text: bool

    def rows(self, cursor: Any, which: str, lo: int, hi: int) -> list[tuple[Any, ...]]:
        sql, params = getattr(self, which)
        bound = [lo if p == LO else hi if p == HI else p for p in params]
        cursor.execute(sql, bound)
        return cursor.fetchall()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ChunkJob:
    """One chunk of an evaluation: employers lo..hi (ids, inclusive), graded on `as_of`."""

    run_id: int
    lo: int
    hi: int
    as_of: datetime.date
    provincial_policy: str | None


def graded_rows(cursor: Any, queries: ChunkQueries, job: ChunkJob) -> list[tuple[Any, ...]]:
    """Read a chunk's employers and effective records with `cursor` (the driver's own),
    grade each employer with the rules package, and give back the result rows
    (`RESULT_COLUMNS`). Employers with the same basis share its JSON text."""
    lo, hi, as_of, policy, run_id = job.lo, job.hi, job.as_of, job.provincial_policy, job.run_id
    records = records_by_employer(queries.rows(cursor, "records", lo, hi), queries.dates_as_text)
    before = dict(queries.rows(cursor, "previous", lo, hi))
    texts: dict[tuple[Any, ...], str] = {}
    dumps = json.dumps
    none: list[Record] = []
    rows = []
    for (employer_id,) in queries.rows(cursor, "ids", lo, hi):
        mine = records.get(employer_id, none)
        result = grade(mine, as_of, provincial_policy=policy)
        basis = result.basis
        key = tuple(basis)
        text = texts.get(key)
        if text is None:
            text = texts[key] = dumps([entry.as_dict() for entry in basis], ensure_ascii=False)
        rows.append((
            run_id, employer_id, result.grade.value, result.needs_review,
            result.provincial_level or "", text, before.get(employer_id, ""),
            next_change_on(mine, as_of),
        ))  # fmt: skip
    return rows


@dataclass
class Tally:
    """What a run counts of its results: employers, grades, moved, needing review."""

    total: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    moved: int = 0
    needs_review: int = 0

    @classmethod
    def of(cls, rows: list[tuple[Any, ...]]) -> Tally:
        tally = cls(total=len(rows))
        for _, _, grade_value, review, _, _, previous_grade, _ in rows:
            tally.counts[grade_value] += 1
            tally.moved += bool(previous_grade) and previous_grade != grade_value
            tally.needs_review += review
        return tally

    def add(self, other: Tally) -> None:
        self.total += other.total
        self.counts.update(other.counts)
        self.moved += other.moved
        self.needs_review += other.needs_review


_NULL = "\\N"
_BACKSLASH = "\\"


def result_copy_text(rows: list[tuple[Any, ...]]) -> bytes:
    """Result rows in COPY's text format (`RESULT_COLUMNS`), so that a worker hands the
    parent bytes to pass on rather than rows to convert. Only the basis can hold a
    backslash; its JSON escapes tabs, newlines and every other control character itself."""
    lines = []
    for run_id, employer_id, grade_value, review, provincial, basis, previous, next_on in rows:
        review_text = "t" if review else "f"
        basis_text = basis.replace(_BACKSLASH, _BACKSLASH + _BACKSLASH)
        next_text = next_on.isoformat() if next_on is not None else _NULL
        lines.append(
            f"{run_id}\t{employer_id}\t{grade_value}\t{review_text}\t{provincial}\t"
            f"{basis_text}\t{previous}\t{next_text}\n"
        )
    return "".join(lines).encode()
