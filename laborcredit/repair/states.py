"""The kept copy of every employer's repair (第二十一条), so that a province's lists are chosen,
counted and paged in SQL rather than by reading every C employer's records on every page.

A row is what `rules.repair.last_repair` answered on the day it was computed, and holds until
the next date the same records may grade differently (`rules.adjustment.next_change_on`):
every part of a repair — which penalties hold the C, when their cycle ends, whether the spell
has finished — follows from grades and windows on dates, which change only on those dates.
Records change only through a regrade (第十三条 动态调整), and every regrade rewrites the
rows of the employers it graded (`states_keep`); `states_refresh` rewrites the rows that
have expired and adds those never written (data loaded in bulk, a first run).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Q

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


def states_to_refresh(as_of: datetime.date) -> list[int]:
    """Employers whose row does not hold on `as_of`: expired, computed for a later day, or
    missing although the employer has an effective penalty."""
    expired = RepairState.objects.filter(Q(valid_until__lte=as_of) | Q(computed_on__gt=as_of))
    missing = (
        CreditRecord.objects.effective()
        .filter(type=RecordType.PENALTY_IMPOSED.value)
        .exclude(employer_id__in=RepairState.objects.values("employer_id"))
        .values_list("employer_id", flat=True)
        .distinct()
    )
    return sorted({*expired.values_list("employer_id", flat=True), *missing})


def states_refresh(as_of: datetime.date) -> int:
    """Make every row hold on `as_of` (a transaction per chunk of employers, each locked while
    its records are read, as a regrade does); returns how many employers were read."""
    from laborcredit.rating.services import effective_records

    ids = states_to_refresh(as_of)
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        with transaction.atomic():
            list(Employer.objects.select_for_update().filter(pk__in=chunk).values_list("pk"))
            found = effective_records(chunk)
            states_keep({pk: found.get(pk, []) for pk in chunk}, as_of)
    return len(ids)
