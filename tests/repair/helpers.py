"""Employers under credit repair (第二十一条), their records filed through the services."""

from __future__ import annotations

import datetime

from laborcredit.credit.services import record_create
from laborcredit.rating.services import employer_regrade
from laborcredit.rules.repair import cycle_end

CASE = "舞人社罚〔2026〕5号"
DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return datetime.date.today()


def penalised(
    employer,
    *,
    days_ago: int,
    corrected_after: int | None = 10,
    fulfilled_after: int | None = 20,
    case: str = CASE,
    regrade: bool = True,
) -> datetime.date:
    """A violation and its penalty `days_ago` days back, corrected and fulfilled so many days
    after it (None: not); returns the cycle end. Without `regrade` the grade is left as it was."""
    on = today() - days_ago * DAY
    record_create(employer=employer, type="violation_found", date=on, case=case, actor="officer",
                  regrade=regrade)  # fmt: skip
    record_create(employer=employer, type="penalty_imposed", date=on, case=case, actor="officer",
                  document_number="舞人社罚字〔2026〕5号", regrade=regrade)  # fmt: skip
    for kind, after in (("violation_corrected", corrected_after),
                        ("penalty_fulfilled", fulfilled_after)):  # fmt: skip
        if after is not None:
            record_create(employer=employer, type=kind, date=on + after * DAY, case=case,
                          actor="officer", regrade=regrade)  # fmt: skip
    return cycle_end(on)


def graded_on(employer, day: datetime.date) -> None:
    """The stored grade as a regrade on `day` left it (the daily run had not run since)."""
    employer_regrade(employer=employer, cause="record", actor="officer", as_of=day)
