"""The services of 第十九条、第二十条: each step, its event and audit entry, the refusals."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.models import CreditRecord
from laborcredit.lib.errors import Refused
from laborcredit.objections.models import Objection, ObjectionEvent, ObjectionRecord
from laborcredit.objections.services import (
    objection_accept,
    objection_decide,
    objection_file,
    objection_notify,
    objection_push_record,
)
from laborcredit.rating.models import EmployerGrade, GradeChange
from tests.factories import EmployerFactory
from tests.objections.helpers import (
    NATIONAL_DAY_EVE,
    decided,
    file_paper,
    notified,
    penalised_employer,
)

pytestmark = pytest.mark.django_db


def steps(objection):
    return list(
        AuditEntry.objects.filter(event="objection_step", object_id=objection.number)
        .order_by("seq")
        .values_list("data__step", flat=True)
    )


def test_an_online_objection_is_received_today_numbered_and_audited():
    employer, _, penalty = penalised_employer()
    objection = objection_file(
        employer=employer, subject="records", records=[penalty.pk], reasons="处罚已撤销",
        attachments=[], actor="qiye",
    )  # fmt: skip
    year = timezone.localdate().year
    assert objection.number == f"异议〔{year}〕0001"
    assert objection.received_on == timezone.localdate()
    assert objection.state == "received" and objection.channel == "online"
    assert list(objection.disputed.values_list("record_id", flat=True)) == [penalty.pk]
    event = ObjectionEvent.objects.get(objection=objection)
    assert (event.from_state, event.to_state, event.actor) == ("", "received", "qiye")
    assert steps(objection) == ["收到异议申请"]


def test_numbers_count_up_within_the_year_of_receipt():
    employer, _, penalty = penalised_employer()
    first = file_paper(employer, [penalty])
    second = file_paper(employer, [penalty])
    assert (first.number, second.number) == ("异议〔2025〕0001", "异议〔2025〕0002")


def test_a_paper_receipt_date_in_the_future_is_refused():
    employer, _, penalty = penalised_employer()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(Refused) as refused:
        file_paper(employer, [penalty], received_on=tomorrow)
    assert refused.value.codes == ["date-in-future"]
    assert not Objection.objects.exists()


def test_a_paper_objection_needs_its_receipt_date():
    employer, _, penalty = penalised_employer()
    with pytest.raises(Refused) as refused:
        file_paper(employer, [penalty], received_on=None)
    assert "field-missing" in refused.value.codes


def test_another_employers_record_cannot_be_disputed():
    employer, _, _ = penalised_employer()
    _, _, other_penalty = penalised_employer()
    with pytest.raises(Refused) as refused:
        file_paper(employer, [other_penalty])
    assert refused.value.codes == ["record-not-own"]
    assert not Objection.objects.exists()


def test_online_an_internal_record_cannot_be_named_but_on_paper_an_officer_may():
    from laborcredit.credit.services import record_create

    employer, _, _ = penalised_employer()
    internal = record_create(
        employer=employer, type="interview_held", date=NATIONAL_DAY_EVE, case="舞人社监〔2026〕7号",
        disclosure="internal", actor="officer",
    )  # fmt: skip
    with pytest.raises(Refused) as refused:
        objection_file(
            employer=employer, subject="records", records=[internal.pk], reasons="约谈记录有误",
            attachments=[], actor="qiye",
        )  # fmt: skip
    assert refused.value.codes == ["record-not-own"]
    assert not Objection.objects.exists()
    assert file_paper(employer, [internal]).disputed.get().record_id == internal.pk


def test_a_superseded_version_cannot_be_disputed():
    from laborcredit.credit.services import record_correct

    employer, _, penalty = penalised_employer()
    record_correct(
        record=penalty, reason="文书号补录", actor="o", document_number="舞人社罚〔2026〕1号"
    )
    with pytest.raises(Refused) as refused:
        file_paper(employer, [penalty])
    assert refused.value.codes == ["record-not-own"]


def test_a_records_objection_needs_a_record_and_reasons():
    employer = EmployerFactory()
    with pytest.raises(Refused) as refused:
        file_paper(employer, [], reasons=" ")
    assert set(refused.value.codes) == {"field-missing", "records-missing"}


def test_a_grade_objection_needs_no_record():
    objection = file_paper(EmployerFactory(), [], subject="grade", reasons="等级评价有误")
    assert objection.subject == "grade" and not objection.disputed.exists()


def test_acceptance_records_the_handling_and_is_audited():
    employer, _, penalty = penalised_employer()
    objection = file_paper(employer, [penalty])
    accepted = objection_accept(
        objection=objection, handling="verify", verify_reason="需向市场监管部门核实", actor="li"
    )
    assert accepted.state == "accepted" and accepted.handling == "verify"
    assert accepted.accepted_by == "li" and accepted.accepted_at is not None
    assert accepted.version == objection.version + 1
    assert steps(accepted) == ["收到异议申请", "受理"]
    assert ObjectionEvent.objects.filter(objection=accepted).last().to_state == "accepted"


def test_verifying_with_other_departments_needs_its_reason():
    employer, _, penalty = penalised_employer()
    objection = file_paper(employer, [penalty])
    with pytest.raises(Refused) as refused:
        objection_accept(objection=objection, handling="verify", actor="li")
    assert refused.value.codes == ["field-missing"]
    assert Objection.objects.get().state == "received"


def test_an_upheld_records_objection_voids_the_penalty_and_regrades_the_employer():
    employer, _, penalty = penalised_employer()
    assert EmployerGrade.objects.get(employer=employer).grade == "C"
    objection = decided(employer, penalty, outcome="upheld")
    assert objection.state == "decided" and objection.outcome == "upheld"
    assert objection.decided_on == timezone.localdate()
    void = CreditRecord.objects.get(supersedes=penalty)
    assert void.action == "void" and objection.number in void.reason
    grade = EmployerGrade.objects.get(employer=employer)
    assert grade.grade != "C"
    change = GradeChange.objects.filter(employer=employer).order_by("-id").first()
    assert (change.from_grade, change.to_grade, change.record) == ("C", grade.grade, void)
    link = ObjectionRecord.objects.get(objection=objection)
    assert (link.resolution, link.result) == ("void", void)
    assert steps(objection)[-1] == "作出处理决定"
    assert AuditEntry.objects.filter(event="record_void").count() == 1


def test_an_upheld_objection_may_correct_a_record_instead():
    employer, _, penalty = penalised_employer()
    objection = objection_accept(
        objection=file_paper(employer, [penalty]), handling="self", actor="li"
    )
    objection_decide(
        objection=objection, outcome="upheld", reason="文书号有误", actor="li",
        corrections=[{"record": penalty, "action": "correct",
                      "changes": {"document_number": "舞人社罚〔2026〕9号"}}],
    )  # fmt: skip
    new = CreditRecord.objects.get(supersedes=penalty)
    assert new.action == "correct" and new.document_number == "舞人社罚〔2026〕9号"


def test_a_second_objection_on_a_record_corrected_since_acts_on_its_current_version():
    employer, _, penalty = penalised_employer()
    first = objection_accept(objection=file_paper(employer, [penalty]), handling="self", actor="li")
    second = objection_accept(
        objection=file_paper(employer, [penalty]), handling="self", actor="li"
    )
    objection_decide(
        objection=first, outcome="upheld", reason="文书号有误", actor="li",
        corrections=[{"record": penalty, "action": "correct",
                      "changes": {"document_number": "舞人社罚〔2026〕9号"}}],
    )  # fmt: skip
    objection_decide(
        objection=second, outcome="upheld", reason="处罚决定已撤销", actor="li",
        corrections=[{"record": penalty, "action": "void"}],
    )  # fmt: skip
    latest = CreditRecord.objects.filter(lineage=penalty.lineage).order_by("-version").first()
    assert (latest.version, latest.action) == (3, "void")
    third = objection_accept(objection=file_paper(employer, [], subject="grade"), handling="self",
                             actor="li")  # fmt: skip
    with pytest.raises(Refused) as refused:
        objection_decide(
            objection=third, outcome="upheld", reason="再次作废", actor="li",
            corrections=[{"record": penalty, "action": "void"}],
        )  # fmt: skip
    assert refused.value.codes == ["record-already-void"]


def test_a_rejected_objection_leaves_the_records_and_grade_alone():
    employer, _, penalty = penalised_employer()
    objection = decided(employer, penalty, outcome="rejected")
    assert objection.outcome == "rejected" and objection.decision_reason == "经核查"
    assert not CreditRecord.objects.filter(supersedes=penalty).exists()
    assert EmployerGrade.objects.get(employer=employer).grade == "C"


def test_upholding_a_records_objection_without_a_correction_is_refused():
    employer, _, penalty = penalised_employer()
    objection = objection_accept(
        objection=file_paper(employer, [penalty]), handling="self", actor="li"
    )
    with pytest.raises(Refused) as refused:
        objection_decide(objection=objection, outcome="upheld", reason="成立", actor="li")
    assert refused.value.codes == ["corrections-missing"]
    assert Objection.objects.get().state == "accepted"


def test_a_refused_correction_changes_nothing_at_all():
    employer, found, penalty = penalised_employer()
    objection = file_paper(employer, [found, penalty])
    objection = objection_accept(objection=objection, handling="self", actor="li")
    before = AuditEntry.objects.count()
    # Voiding the violation found would leave its penalty without a case: the credit file refuses.
    with pytest.raises(Refused) as refused:
        objection_decide(
            objection=objection, outcome="upheld", reason="成立", actor="li",
            corrections=[{"record": penalty, "action": "correct",
                          "changes": {"document_number": "新文书号"}},
                         {"record": found, "action": "void"}],
        )  # fmt: skip
    assert "case-unknown" in refused.value.codes
    assert Objection.objects.get().state == "accepted"
    assert CreditRecord.objects.filter(employer=employer).count() == 2
    assert AuditEntry.objects.count() == before
    assert EmployerGrade.objects.get(employer=employer).grade == "C"


def test_a_records_objection_cannot_correct_a_record_it_did_not_dispute():
    employer, found, penalty = penalised_employer()
    objection = objection_accept(
        objection=file_paper(employer, [penalty]), handling="self", actor="li"
    )
    with pytest.raises(Refused) as refused:
        objection_decide(
            objection=objection, outcome="upheld", reason="成立", actor="li",
            corrections=[{"record": found, "action": "correct", "changes": {"case": "X"}}],
        )  # fmt: skip
    assert refused.value.codes == ["record-not-disputed"]


def test_an_upheld_grade_objection_regrades_and_may_void_any_own_record():
    employer, _, penalty = penalised_employer()
    objection = file_paper(employer, [], subject="grade", reasons="等级有误")
    objection = objection_accept(objection=objection, handling="self", actor="li")
    objection_decide(
        objection=objection, outcome="upheld", reason="处罚已撤销", actor="li",
        corrections=[{"record": penalty, "action": "void"}],
    )  # fmt: skip
    assert EmployerGrade.objects.get(employer=employer).grade != "C"
    link = ObjectionRecord.objects.get(objection=objection)
    assert link.disputed is False and link.resolution == "void"


def test_rejecting_with_corrections_is_refused():
    employer, _, penalty = penalised_employer()
    objection = objection_accept(
        objection=file_paper(employer, [penalty]), handling="self", actor="li"
    )
    with pytest.raises(Refused) as refused:
        objection_decide(
            objection=objection, outcome="rejected", reason="不成立", actor="li",
            corrections=[{"record": penalty, "action": "void"}],
        )  # fmt: skip
    assert refused.value.codes == ["corrections-on-rejected"]


def test_the_applicant_is_told_with_a_default_notice():
    employer, _, penalty = penalised_employer()
    objection = notified(employer, penalty, outcome="upheld")
    assert objection.state == "notified" and objection.notified_at is not None
    assert objection.number in objection.notice_text and "异议成立" in objection.notice_text
    assert "当前信用等级为" in objection.notice_text
    assert steps(objection)[-1] == "告知申请人"


def test_an_upheld_objection_to_the_grade_with_no_record_changed_says_none_was():
    """第二十条: the applicant is told the actual result; nothing was corrected here."""
    employer, _, _ = penalised_employer()
    objection = file_paper(employer, subject="grade")
    objection = objection_accept(objection=objection, handling="self", actor="li")
    objection = objection_decide(objection=objection, outcome="upheld", reason="复核后认为异议成立",
                                 actor="li", corrections=[])  # fmt: skip
    notice = objection_notify(objection=objection, actor="li").notice_text
    assert "异议成立" in notice and "复核后认为异议成立" in notice
    assert "已依法更正" not in notice and "重新评价" not in notice
    assert "当前信用等级为C级（较差）。" in notice


def test_a_rejection_notice_gives_the_reasons():
    employer, _, penalty = penalised_employer()
    objection = notified(employer, penalty, outcome="rejected")
    assert "异议不成立" in objection.notice_text and "经核查" in objection.notice_text


def test_the_push_is_recorded_with_its_reference():
    employer, _, penalty = penalised_employer()
    objection = notified(employer, penalty)
    with pytest.raises(Refused) as refused:
        objection_push_record(objection=objection, actor="li", reference=" ")
    assert refused.value.codes == ["field-missing"]
    pushed = objection_push_record(objection=objection, actor="li", reference="PDS-2026-0001")
    assert pushed.state == "pushed" and pushed.push_reference == "PDS-2026-0001"
    assert steps(pushed)[-1] == "推送市信用信息共享平台"
    assert ObjectionEvent.objects.filter(objection=pushed).count() == 5
    # Pushed by hand: the queued outcome is not sent a second time by the worker.
    from laborcredit.exchange.models import OutboxItem

    [item] = OutboxItem.objects.filter(objection_id=pushed.pk)
    assert (item.state, item.receipt_id) == ("sent", "PDS-2026-0001")


@pytest.mark.parametrize(
    "act",
    [
        lambda o: objection_decide(objection=o, outcome="rejected", reason="x", actor="li"),
        lambda o: objection_notify(objection=o, actor="li"),
        lambda o: objection_push_record(objection=o, actor="li", reference="R1"),
    ],
    ids=["decide", "notify", "push"],
)
def test_a_step_out_of_order_is_refused_as_illegal(act):
    employer, _, penalty = penalised_employer()
    objection = file_paper(employer, [penalty])
    with pytest.raises(Refused) as refused:
        act(objection)
    assert refused.value.codes == ["objection-state"]
    assert Objection.objects.get().state == "received"


def test_accepting_twice_is_refused_as_illegal():
    employer, _, penalty = penalised_employer()
    accepted = objection_accept(
        objection=file_paper(employer, [penalty]), handling="self", actor="li"
    )
    with pytest.raises(Refused) as refused:
        objection_accept(objection=accepted, handling="self", actor="li")
    assert refused.value.codes == ["objection-state"]


def test_of_two_officers_on_the_same_page_the_second_is_told_and_nothing_changes():
    employer, _, penalty = penalised_employer()
    objection = file_paper(employer, [penalty])
    page_of_li = Objection.objects.get(pk=objection.pk)
    page_of_wang = Objection.objects.get(pk=objection.pk)
    objection_accept(objection=page_of_li, handling="self", actor="li")
    with pytest.raises(Refused) as refused:
        objection_accept(
            objection=page_of_wang, handling="verify", verify_reason="核实", actor="wang"
        )
    assert refused.value.codes == ["objection-conflict"]
    assert "该异议在您打开页面之后已被处理" in refused.value.problems[0].message
    now = Objection.objects.get()
    assert (now.handling, now.accepted_by, now.version) == ("self", "li", 2)
    assert ObjectionEvent.objects.filter(objection=now).count() == 2
    assert steps(now) == ["收到异议申请", "受理"]


def test_a_stale_decision_after_another_officers_decision_is_a_conflict():
    employer, _, penalty = penalised_employer()
    accepted = objection_accept(
        objection=file_paper(employer, [penalty]), handling="self", actor="li"
    )
    stale = Objection.objects.get(pk=accepted.pk)
    objection_decide(objection=accepted, outcome="rejected", reason="不成立", actor="li")
    with pytest.raises(Refused) as refused:
        objection_decide(
            objection=stale, outcome="upheld", reason="成立", actor="wang",
            corrections=[{"record": penalty, "action": "void"}],
        )  # fmt: skip
    assert refused.value.codes == ["objection-conflict"]
    assert not CreditRecord.objects.filter(supersedes=penalty).exists()
    assert Objection.objects.get().outcome == "rejected"


def test_the_event_log_refuses_changes():
    from django.db import DatabaseError, transaction

    from laborcredit.lib.appendonly import AppendOnlyError

    employer, _, penalty = penalised_employer()
    event = ObjectionEvent.objects.get(objection=file_paper(employer, [penalty]))
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        ObjectionEvent.objects.filter(pk=event.pk).update(actor="forged")
    assert ObjectionEvent.objects.get(pk=event.pk).actor == "officer"


def test_receipt_before_national_day_is_kept_as_entered():
    employer, _, penalty = penalised_employer()
    assert file_paper(employer, [penalty]).received_on == NATIONAL_DAY_EVE


def test_an_online_objection_cannot_be_dated_back():
    employer, _, penalty = penalised_employer()
    with pytest.raises(Refused) as refused:
        objection_file(
            employer=employer, subject="records", records=[penalty], reasons="x",
            attachments=[], actor="qiye", received_on=NATIONAL_DAY_EVE,
        )  # fmt: skip
    assert refused.value.codes == ["date-invalid"]
