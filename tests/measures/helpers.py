"""Employers in the situations of 第十四条–第十七条, for the measures tests."""

from __future__ import annotations

import datetime

from laborcredit.credit.services import record_create
from tests.factories import EmployerFactory, make_uscc
from tests.web.helpers import penalise

CASE = "舞人社监〔2026〕7号"
TODAY = datetime.date.today


def graded_a(n: int = 9101, **fields):  # type: ignore[no-untyped-def]
    """A clean employer: A under 第十条."""
    return EmployerFactory(uscc=make_uscc(n), **fields)


def penalised(n: int = 9102, **fields):  # type: ignore[no-untyped-def]
    """C because of a penalty (第十二条(一)) 30 days ago, case `CASE`."""
    employer = EmployerFactory(uscc=make_uscc(n), **fields)
    penalise(employer, case=CASE)
    return employer


def blacklisted(n: int = 9103, **fields):  # type: ignore[no-untyped-def]
    """C because of the wage-arrears blacklist (第十二条(二)), listed 20 days ago by a decision."""
    employer = EmployerFactory(uscc=make_uscc(n), **fields)
    record_create(
        employer=employer,
        type="blacklist_listed",
        date=TODAY() - datetime.timedelta(days=20),
        document_number="平人社欠薪〔2026〕3号",
        issuing_body="平顶山市人力资源和社会保障局",
        description="负有直接责任的人员：王某某",
        actor="officer",
    )
    return employer
