"""rating.selectors: the grades in force chosen in SQL by the rules of their basis — the same
answer on SQLite (json_each) and PostgreSQL (jsonb @>) as reading the basis in Python."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.rating.models import EmployerGrade
from laborcredit.rating.selectors import BasisHasRule, official_c_for, official_grade_is
from laborcredit.rating.services import review_decide
from laborcredit.rules.vocabulary import Grade
from tests.factories import EmployerFactory
from tests.rating.helpers import not_corrected

pytestmark = pytest.mark.django_db

PENALTY = ["c_penalty_in_last_year", "c_penalty_not_repaired"]


def _graded(grade: str, *rules: str) -> EmployerGrade:
    """An employer whose grade row is set to `grade` with these basis rules."""
    row, _ = EmployerGrade.objects.update_or_create(
        employer=EmployerFactory(),
        defaults={
            "grade": grade,
            "basis": [{"rule": rule, "article": "第十二条", "reason": "…"} for rule in rules],
            "rule_version": "2022",
            "as_of": datetime.date(2026, 11, 1),
            "cause": "initial",
        },
    )
    return row


def _ids(query) -> set[int]:  # type: ignore[no-untyped-def]
    return set(query.values_list("employer_id", flat=True))


def test_a_basis_matches_when_any_entry_has_one_of_the_rules():
    penalty = _graded("C", "c_penalty_in_last_year")
    repair = _graded("C", "b_violation_not_corrected", "c_penalty_not_repaired")
    blacklist = _graded("C", "c_blacklisted_in_last_year")
    _graded("A", "a_no_violation_in_last_year")
    _graded("C")  # an empty basis
    found = EmployerGrade.objects.filter(BasisHasRule(PENALTY))
    assert _ids(found) == {penalty.employer_id, repair.employer_id}
    assert _ids(EmployerGrade.objects.filter(BasisHasRule(["c_blacklisted_in_last_year"]))) == {
        blacklist.employer_id
    }


def test_only_a_whole_rule_id_matches_not_a_prefix_or_another_key():
    _graded("C", "c_penalty_in_last_year_extra")
    row = _graded("C", "c_penalty")
    row.basis = [{"rule": "x", "article": "c_penalty_in_last_year"}]
    row.save()
    assert not EmployerGrade.objects.filter(BasisHasRule(["c_penalty_in_last_year"])).exists()


def test_an_empty_list_of_rules_is_refused():
    with pytest.raises(ValueError):
        BasisHasRule([])


def test_the_official_c_follows_an_officers_decision():
    penalty = _graded("C", "c_penalty_in_last_year")
    decided = not_corrected()  # B, to be reviewed (第九条(二))
    review_decide(employer=decided, decided_grade="C", reason="拒不整改", actor="张科长")
    assert _ids(EmployerGrade.objects.filter(official_grade_is(Grade.C))) == {
        penalty.employer_id,
        decided.pk,
    }
    # A C decided without a C rule in the computed basis: the officer must say which paragraph.
    assert _ids(official_c_for(PENALTY)) == {penalty.employer_id}
