"""The kept copy of every employer's repair (第二十一条), so that a province's lists are chosen,
counted and paged in SQL rather than by reading every C employer's records on every page.

A row is what `rules.repair.last_repair` answered on the day it was computed, and holds until
the next date the same records may grade differently (`rules.adjustment.next_change_on`):
every part of a repair — which penalties hold the C, when their cycle ends, whether the spell
has finished — follows from grades and windows on dates, which change only on those dates.
Records change only through a regrade (第十三条 动态调整), and every regrade rewrites the
rows of the employers it graded (`states_keep`); `states_refresh` rewrites the rows that
have expired, and adds those never written (data loaded in bulk, a database that had records
before the table) when asked to complete the table.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.repair.models import RepairState
from laborcredit.rules.adjustment import next_change_on
from laborcredit.rules.repair import last_repair
from laborcredit.rules.vocabulary import Record, RecordType

REFRESH_CHUNK = 2_000

Stage = RepairState.Stage


def state_of(employer_id: int, records: list[Record], as_of: datetime.date) -> RepairState | None:
    """The row for these records on `as_of`; None without an effective penalty (no repair can
    start without a new record, which regrades the employer and writes its row)."""
    penalties = [r.date for r in records if r.type is RecordType.PENALTY_IMPOSED]
    if not penalties:
        return None
    row = RepairState(
        employer_id=employer_id,
        computed_on=as_of,
        valid_until=next_change_on(records, as_of),
        stage=Stage.NONE,
        latest_penalty_on=max(penalties),
    )
    status = last_repair(records, as_of)
    if status is not None:
        row.stage = Stage.FINISHED if status.finished else Stage.RUNNING
        row.cycle_end = status.cycle_end
        row.repaired = status.repaired
        row.repaired_on = status.repaired_on
    return row


def states_keep(records: Mapping[int, list[Record]], as_of: datetime.date) -> None:
    """Rewrite the rows of the employers in `records` (each one's effective records, read in
    the caller's transaction with the employer locked) as they stand on `as_of`."""
    rows = [row for pk, mine in records.items() if (row := state_of(pk, mine, as_of)) is not None]
    RepairState.objects.filter(employer_id__in=list(records)).delete()
    RepairState.objects.bulk_create(rows, batch_size=REFRESH_CHUNK)


def states_expired(as_of: datetime.date) -> list[int]:
    """Employers whose row does not hold on `as_of`: expired, or computed for a later day."""
    expired = RepairState.objects.filter(Q(valid_until__lte=as_of) | Q(computed_on__gt=as_of))
    return sorted(expired.values_list("employer_id", flat=True))


def states_missing() -> list[int]:
    """Employers with an effective penalty and no row: records written around the services
    (a bulk load), or a database that had records before the table existed."""
    # NOT EXISTS, an anti-join: NOT IN (rows) is hashed only while the rows fit in work_mem,
    # and is otherwise a scan of them per record (it ran for half an hour at a million).
    kept = RepairState.objects.filter(employer_id=OuterRef("employer_id"))
    missing = (
        CreditRecord.objects.effective()
        .filter(~Exists(kept), type=RecordType.PENALTY_IMPOSED.value)
        .order_by()
        .values_list("employer_id", flat=True)
        .distinct()
    )
    return sorted(missing)


def states_refresh(as_of: datetime.date, *, complete: bool = False, every: bool = False) -> int:
    """Rewrite the rows that do not hold on `as_of`, and with `complete` write the missing ones
    too; `every` rewrites all rows as well (after an upgrade that changes `rules.repair`). A
    transaction per chunk of employers, each locked while its records are read, as a regrade
    does; returns how many employers were read.

    A page asks only for the expired rows: every path that writes records regrades, and so
    writes rows; looking for missing ones reads every penalty of the file (about 1 s at a million
    employers). The daily regrade, the bulk loaders and `migrate` look for them as well."""
    from laborcredit.rating.services import effective_records

    ids = states_expired(as_of)
    if every:
        ids = list(RepairState.objects.values_list("employer_id", flat=True))
    if complete or every:
        ids = sorted({*ids, *states_missing()})
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        with transaction.atomic():
            locked = Employer.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
            list(locked.values_list("pk"))  # in one order, so two refreshes cannot deadlock
            found = effective_records(chunk)
            states_keep({pk: found.get(pk, []) for pk in chunk}, as_of)
    return len(ids)
