"""The monthly report (第二十条): counts, outcomes and deadlines met, of the objections received in a month."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from laborcredit.objections.selectors import objection_month_report
from laborcredit.objections.services import (
    objection_accept,
    objection_decide,
    objection_notify,
    objection_push_record,
)
from tests.objections.helpers import file_paper, notified, penalised_employer

pytestmark = pytest.mark.django_db


def test_the_report_counts_the_months_objections_by_handling_outcome_and_deadline():
    employer, _, penalty = penalised_employer()
    september = datetime.date(2025, 9, 30)
    late_told = notified(employer, penalty, received_on=september)  # told in 2026: late
    objection_push_record(objection=late_told, actor="li", reference="R1")
    file_paper(employer, [penalty], received_on=datetime.date(2025, 9, 1))  # never accepted
    verify = objection_accept(
        objection=file_paper(employer, [penalty], received_on=datetime.date(2025, 9, 15)),
        handling="verify", verify_reason="核实", actor="li",
    )  # fmt: skip
    file_paper(employer, [penalty], received_on=datetime.date(2025, 10, 1))  # another month
    report = objection_month_report(year=2025, month=9)
    assert report.received == 3 and report.paper == 3 and report.online == 0
    assert (report.accepted_self, report.accepted_verify, report.not_accepted) == (1, 1, 1)
    assert (report.upheld, report.rejected) == (0, 1)
    assert (report.told_on_time, report.told_late) == (0, 1)
    assert (report.open_overdue, report.open_in_time) == (2, 0)
    assert report.pushed_on_time == 1 and report.pushed_late == 0  # pushed the day it was decided
    assert [v.objection.pk for v in report.rows][1] == verify.pk
    assert dict(report.lines())["本月收到异议申请"] == 3


def test_an_objection_told_the_day_it_was_received_counts_as_on_time():
    employer, _, penalty = penalised_employer()
    today = timezone.localdate()
    objection = objection_accept(
        objection=file_paper(employer, [penalty], received_on=today), handling="self", actor="li"
    )
    objection = objection_decide(objection=objection, outcome="upheld", reason="成立", actor="li",
                                 corrections=[{"record": penalty, "action": "void"}])  # fmt: skip
    objection_notify(objection=objection, actor="li")
    report = objection_month_report(year=today.year, month=today.month)
    assert (report.received, report.told_on_time, report.upheld) == (1, 1, 1)
    assert report.push_pending_in_time == 1


def test_the_overdue_command_lists_the_late_objections(capsys):
    employer, _, penalty = penalised_employer()
    late = file_paper(employer, [penalty])
    call_command("objections", "overdue")
    out, err = capsys.readouterr()
    assert late.number in out and "已逾期" in out and "共 1 件逾期异议" in err
