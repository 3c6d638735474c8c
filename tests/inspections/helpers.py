"""A roster of inspectors and a pool of graded employers for the inspection-plan tests."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group, User

from laborcredit.inspections.services import inspector_add, plan_draw
from laborcredit.rating.models import EmployerGrade
from tests.factories import EmployerFactory

NEXT_YEAR = datetime.date(datetime.date.today().year + 1, 1, 1)
THIS_YEAR = datetime.date(datetime.date.today().year, 1, 1)


def role_user(username: str, role: str = "inspector") -> User:
    """A user holding one role (no password: the tests sign in with force_login)."""
    user = User.objects.create_user(username=username, password=None)
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)


def roster(n: int = 4, prefix: str = "jc"):
    """`n` users in the inspector role, each on the roster."""
    return [inspector_add(user=role_user(f"{prefix}{k}"), actor="officer") for k in range(1, n + 1)]


def graded(grade: str, **fields):
    """An employer whose current grade is `grade` (set directly: the draw only reads it)."""
    employer = EmployerFactory(**fields)
    EmployerGrade.objects.filter(employer=employer).update(grade=grade)
    return employer


def pool(per_grade: int = 2) -> dict[str, list]:
    return {g: [graded(g) for _ in range(per_grade)] for g in ("A+", "A", "B", "C")}


def drawn_plan(*, period_start=THIS_YEAR, kind="year", seed=2027, actor="officer", **kwargs):
    return plan_draw(period_start=period_start, kind=kind, seed=seed, actor=actor, **kwargs)
