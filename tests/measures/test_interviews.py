"""第十七条(三): interviews scheduled, recorded in the credit record (grade unchanged), cancelled;
the list of C employers (penalty) not interviewed since they became C."""

from __future__ import annotations

import csv
import datetime
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laborcredit.credit.models import CreditRecord, Disclosure
from laborcredit.lib.errors import Refused
from laborcredit.measures.exporting import INTERVIEWS_HEADER, interviews_due_export
from laborcredit.measures.models import Interview
from laborcredit.measures.selectors import interviews_due, interviews_due_rows
from laborcredit.measures.services import interview_cancel, interview_record, interview_schedule
from laborcredit.rating.models import EmployerGrade, GradeChange
from tests.accounts.helpers import entries, make_user
from tests.measures.helpers import CASE, TODAY, blacklisted, graded_a, penalised

pytestmark = pytest.mark.django_db


def _schedule(employer, **overrides):
    values = {
        "case": CASE,
        "scheduled_on": TODAY() + datetime.timedelta(days=3),
        "place": "市人社局三楼会议室",
        "principal": "张三明",
        "responsible_persons": "李四、王五",
        "actor": "officer",
    }
    return interview_schedule(employer=employer, **{**values, **overrides})


def _record(interview, **overrides):
    values = {
        "held_on": TODAY(),
        "attendees": "张三明、李四；市人社局 赵监察员",
        "statement": "指出拖欠工资问题，要求依法整改",
        "undertakings": "十日内补发工资",
        "actor": "officer",
    }
    return interview_record(interview=interview, **{**values, **overrides})


def test_scheduling_is_audited_with_the_principals_name_masked():
    interview = _schedule(penalised())
    assert interview.status == Interview.Status.SCHEDULED
    (entry,) = entries("interview_schedule")
    assert entry.data["principal"] == "张*明" and entry.data["case"] == CASE


def test_an_interview_must_concern_a_penalty_case_of_the_employer():
    employer = penalised()
    with pytest.raises(Refused) as refused:
        _schedule(employer, case="舞人社监〔2026〕99号", place="")
    assert sorted(refused.value.codes) == ["case-unknown", "field-missing"]
    assert not Interview.objects.exists()


def test_an_interview_is_not_dated_before_its_case_s_penalty():
    """The penalty was 30 days ago (helpers.penalised): an interview about it comes after."""
    employer = penalised()
    penalty_day = TODAY() - datetime.timedelta(days=30)
    with pytest.raises(Refused) as refused:
        _schedule(employer, scheduled_on=datetime.date(2020, 1, 1))
    assert refused.value.codes == ["date-before-penalty"]
    assert str(penalty_day) in refused.value.problems[0].message
    assert not Interview.objects.exists()
    interview = _schedule(employer, scheduled_on=penalty_day)
    with pytest.raises(Refused) as refused:
        _record(interview, held_on=penalty_day - datetime.timedelta(days=1))
    assert refused.value.codes == ["date-before-penalty"]
    assert not CreditRecord.objects.filter(type="interview_held").exists()
    assert _record(interview, held_on=penalty_day).held_on == penalty_day


def test_a_second_pending_interview_of_one_case_is_refused():
    employer = penalised()
    _schedule(employer)
    with pytest.raises(Refused) as refused:
        _schedule(employer)
    assert refused.value.codes == ["interview-pending"]


def test_recording_enters_an_interview_record_and_leaves_the_grade_as_it_was():
    employer = penalised()
    grade_before = EmployerGrade.objects.get(employer=employer)
    changes_before = GradeChange.objects.filter(employer=employer).count()
    interview = _record(_schedule(employer))
    record = interview.record
    assert interview.status == Interview.Status.HELD and interview.held_on == TODAY()
    assert (record.type, record.case, record.date) == ("interview_held", CASE, TODAY())
    assert record.disclosure == Disclosure.INTERNAL
    assert "十日内补发工资" in record.description and "指出拖欠工资问题" in record.description
    assert "张三明" not in record.description  # names stay in the interview (第七条)
    grade_after = EmployerGrade.objects.get(employer=employer)
    assert (grade_after.grade, grade_after.basis) == (grade_before.grade, grade_before.basis)
    assert grade_after.next_change_on == grade_before.next_change_on
    assert GradeChange.objects.filter(employer=employer).count() == changes_before
    assert entries("record_create")[-1].object_id == str(record.pk)
    assert entries("interview_record")[0].data["record"] == record.pk


def test_a_refused_record_changes_nothing():
    interview = _schedule(penalised())
    with pytest.raises(Refused) as refused:
        _record(interview, statement=" ")
    assert refused.value.codes == ["field-missing"]
    with pytest.raises(Refused) as future:
        _record(interview, held_on=TODAY() + datetime.timedelta(days=1))
    assert future.value.codes == ["date-in-future"]
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED
    assert not CreditRecord.objects.filter(type="interview_held").exists()


def test_a_cancelled_interview_needs_a_reason_and_can_no_longer_be_recorded():
    interview = _schedule(penalised())
    with pytest.raises(Refused):
        interview_cancel(interview=interview, reason="", actor="officer")
    interview_cancel(interview=interview, reason="负责人出差，另行安排", actor="officer")
    assert entries("interview_cancel")[0].data["reason"] == "负责人出差，另行安排"
    with pytest.raises(Refused) as refused:
        _record(interview)
    assert refused.value.codes == ["interview-closed"]


def test_the_list_holds_c_employers_of_a_penalty_until_they_are_interviewed():
    first, second = penalised(9201), penalised(9202)
    blacklisted(9203)
    graded_a(9204)
    due = interviews_due()
    assert [row["employer"] for row in due] == sorted([first, second], key=lambda e: e.name)
    assert due[0]["cases"] == [CASE] and due[0]["c_since"] == TODAY()
    _record(_schedule(first))
    assert [row["employer"] for row in interviews_due()] == [second]


def test_a_scheduled_interview_shows_on_the_list_until_it_is_held():
    employer = penalised()
    interview = _schedule(employer)
    (row,) = interviews_due()
    assert row["scheduled"] == interview


def test_the_list_is_paged_earliest_c_first_then_by_name():
    for n, name in ((9211, "单位C"), (9212, "单位A"), (9213, "单位B")):
        penalised(n, name=name)
    first = interviews_due(page=1, size=2)
    assert (first.paginator.count, first.paginator.num_pages) == (3, 2)
    assert [row["employer"].name for row in first] == ["单位A", "单位B"]
    assert [row["employer"].name for row in interviews_due(page=2, size=2)] == ["单位C"]
    # A page that is not a number is the first; one past the end is the last.
    assert interviews_due(page="二", size=2).number == 1
    assert interviews_due(page=9, size=2).number == 2


def _grade_change(employer, from_grade, to_grade, as_of):  # type: ignore[no-untyped-def]
    GradeChange.objects.create(
        employer=employer, from_grade=from_grade, to_grade=to_grade, basis=[],
        rule_version="2022", as_of=as_of, cause="time",
    )  # fmt: skip


def test_an_interview_before_the_employer_last_became_c_does_not_count():
    employer = penalised()
    earlier = TODAY() - datetime.timedelta(days=10)
    _record(_schedule(employer, scheduled_on=earlier), held_on=earlier)
    (row,) = interviews_due()
    assert (row["c_since"], row["last_held"]) == (TODAY(), earlier)
    _record(_schedule(employer))
    assert list(interviews_due()) == []
    # A change from C to C (a regrade within the spell) does not start a new spell.
    _grade_change(employer, "C", "C", TODAY() + datetime.timedelta(days=1))
    assert list(interviews_due()) == []
    # Out of C and back: the new spell needs its own interview.
    _grade_change(employer, "C", "B", TODAY() + datetime.timedelta(days=2))
    _grade_change(employer, "B", "C", TODAY() + datetime.timedelta(days=3))
    (row,) = interviews_due()
    assert (row["c_since"], row["last_held"]) == (TODAY() + datetime.timedelta(days=3), TODAY())


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_the_whole_list_is_exported_in_the_pages_order_and_audited(client, fmt, tmp_path):
    for n, name in ((9221, "单位C"), (9222, "单位A"), (9223, "单位B")):
        penalised(n, name=name)
    _record(_schedule(penalised(9224, name="单位D")))  # interviewed: not on the list
    client.force_login(make_user("jiancha", "inspector"))
    response = client.post("/measures/interviews/export/", {"format": fmt, "reason": "核对"})
    assert response.status_code == 200
    assert f"interviews-due.{fmt}" in response["Content-Disposition"]
    path = tmp_path / f"list.{fmt}"
    path.write_bytes(response.content)
    if fmt == "json":
        items = json.loads(path.read_text("utf-8"))["employers"]
        names = [item["name"] for item in items]
        assert items[0]["cases"] == [CASE] and items[0]["c_since"] == TODAY().isoformat()
    elif fmt == "csv":
        rows = list(csv.reader(path.open(encoding="utf-8-sig")))
        assert rows[0] == INTERVIEWS_HEADER and rows[1][3] == CASE
        names = [row[1] for row in rows[1:]]
    else:
        sheet = openpyxl.load_workbook(path).active
        names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["单位A", "单位B", "单位C"]
    (entry,) = entries("export")
    assert entry.data["kind"] == "interviews_due" and entry.data["rows"] == 3
    assert entry.data["personal_info"] == "none"


def test_the_export_reads_in_batches_and_an_unknown_format_is_refused(client, tmp_path):
    for n in (9231, 9232, 9233):
        penalised(n)
    assert [row["employer"].uscc for row in interviews_due_rows(batch=2)] == [
        row["employer"].uscc for row in interviews_due(page=1)
    ]
    with pytest.raises(Refused) as refused:
        interviews_due_export(tmp_path / "list.pdf", fmt="pdf")
    assert refused.value.codes == ["format-invalid"] and not entries("export")
    client.force_login(make_user("jiancha", "inspector"))
    response = client.post("/measures/interviews/export/", {"format": "pdf", "reason": "核对"})
    assert response.status_code == 400 and "所选项不在可选范围内" in response.content.decode()
    assert not entries("export")


def test_the_command_writes_the_list_by_its_extension_and_is_audited(tmp_path, capsys):
    penalised()
    target = tmp_path / "待约谈.csv"
    call_command("measures", "interviews-due", "-o", str(target), "--reason", "分送各乡镇")
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert rows[0] == INTERVIEWS_HEADER and len(rows) == 2
    assert "已导出待约谈单位清单 1 家单位" in capsys.readouterr().out
    (entry,) = entries("export")
    assert (entry.data["format"], entry.data["reason"]) == ("csv", "分送各乡镇")
    with pytest.raises(CommandError) as refused:
        call_command("measures", "interviews-due", "-o", str(tmp_path / "no/such/dir/x.csv"))
    assert "无法写入" in str(refused.value)
