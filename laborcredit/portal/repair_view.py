"""第二十一条 as the employer reads it: what remains of its credit repair, and when its grade can change."""

from __future__ import annotations

from typing import Any

from laborcredit.credit.models import Employer
from laborcredit.portal.selectors import _hidden_references, describe, scrubbed, visible_pks
from laborcredit.rules.workdays import provisional_reason


def repair_context(employer: Employer) -> dict[str, Any]:
    """The employer's repair: each penalty case with what is done and what remains, the cycle
    end, the earliest date the grade can change, and the bureau's 5-working-day deadline."""
    from laborcredit.repair.selectors import repair_file

    found = repair_file(employer=employer)
    if found is None:
        return {"repair": None}
    hidden = _hidden_references(employer)
    seen = visible_pks(employer)
    status = found.status
    cases = [
        {
            "case": scrubbed(case.case, hidden),
            "document": scrubbed(case.document or "", hidden),
            "penalty_date": case.penalty_date,
            "corrected_on": case.corrected_on,
            "fulfilled_on": case.fulfilled_on,
            "cycle_end": case.cycle_end,
            "remaining": [scrubbed(step, hidden) for step in case.remaining],
        }
        for case in status.cases
    ]
    deadline = found.deadline
    return {
        "repair": found,
        "status": status,
        "cases": cases,
        "remaining": [step for case in cases for step in case["remaining"]],
        "other_causes_note": scrubbed(status.other_causes_note, hidden),
        "deadline": deadline,
        "deadline_note": provisional_reason(deadline.provisional_years)
        if deadline is not None and deadline.provisional
        else "",
        "evidence": [describe(r) for r in found.evidence if r.pk in seen],
    }
