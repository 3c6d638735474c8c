"""第十八条–第二十一条 as the employer reads them: grade, basis, records, history, objections, repair."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.services import record_correct, record_create, record_void
from laborcredit.objections.models import Objection
from laborcredit.objections.services import objection_accept, objection_decide, objection_notify
from laborcredit.rating.services import review_decide
from tests.objections.helpers import PDF, image_bytes, upload
from tests.portal.helpers import activated, logged_in_as, open_account
from tests.web.helpers import assert_no_outside_assets, penalise

pytestmark = pytest.mark.django_db

STAFF = "officer_wangwu"  # a staff account name that must never reach the employer


def days_ago(n: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=n)


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_home_shows_the_grade_what_it_means_its_basis_with_articles_and_the_measures(client):
    account, _ = open_account(name="舞钢市丙单位有限公司")
    penalise(account.employer, case="舞人社监〔2026〕丙3号")
    body = page(logged_in_as(client, account), "/portal/")
    assert "舞钢市用人单位劳动保障信用查询" in body
    assert "舞钢市丙单位有限公司" in body and account.employer.uscc in body
    assert "C级（较差）" in body
    assert "近一年内因违反人社法律法规受到行政处罚" in body  # what C means
    assert "第十二条(一)" in body and "舞人社监〔2026〕丙3号" in body  # the basis, plain Chinese
    assert "因违反人社法律法规受到行政处罚的" in body  # the article's text
    assert "第十七条（二）" in body and "列为日常监管重点对象" in body  # a measure that applies
    assert "web/site.css" in body
    assert_no_outside_assets(body)


def test_home_of_a_clean_employer_says_a_and_its_incentives(client):
    account, _ = open_account()
    body = page(logged_in_as(client, account), "/portal/")
    assert "A级（良好）" in body and "第十条" in body
    assert "第十五条（一）" in body


def test_a_grade_waiting_for_review_says_so_and_a_decision_names_no_officer(client):
    account, _ = open_account()
    record_create(employer=account.employer, type="violation_found", date=days_ago(10),
                  case="舞人社监〔2026〕丁4号", actor=STAFF)  # fmt: skip
    body = page(logged_in_as(client, account), "/portal/")
    assert "需市人社局人工复核" in body
    assert "尚未纠正" in body and "但及时纠正" not in body  # the meaning follows the basis
    review_decide(employer=account.employer, decided_grade="B", reason="整改期限内正在整改",
                  actor=STAFF)  # fmt: skip
    body = page(client, "/portal/")
    assert "市人社局人工认定" in body and "整改期限内正在整改" in body
    assert STAFF not in body
    assert STAFF not in page(client, "/portal/history/")


def test_records_show_corrections_and_voids_as_such_and_never_who_entered_them(client):
    account, _ = open_account()
    employer = account.employer
    kept = record_create(employer=employer, type="violation_found", date=days_ago(50),
                         case="舞人社监〔2026〕戊5号", actor=STAFF)  # fmt: skip
    record_correct(record=kept, reason="案件编号录错", case="舞人社监〔2026〕戊6号", actor=STAFF)
    gone = record_create(employer=employer, type="arbitration_lost", date=days_ago(80),
                         case="舞劳人仲〔2026〕8号", actor=STAFF)  # fmt: skip
    record_void(record=gone, reason="仲裁裁决已被撤销", actor=STAFF)
    body = page(logged_in_as(client, account), "/portal/records/")
    assert "已更正" in body and "案件编号录错" in body
    assert "舞人社监〔2026〕戊5号" in body and "舞人社监〔2026〕戊6号" in body  # both versions
    assert "已作废" in body and "仲裁裁决已被撤销" in body
    assert STAFF not in body


def test_a_penalty_shows_the_employer_what_the_decision_imposed_and_on_what_basis(client):
    account, _ = open_account()
    employer = account.employer
    record_create(employer=employer, type="violation_found", date=days_ago(50),
                  case="舞人社监〔2026〕庚9号", actor=STAFF)  # fmt: skip
    record_create(employer=employer, type="penalty_imposed", date=days_ago(20),
                  case="舞人社监〔2026〕庚9号", actor=STAFF, violation_type="拖欠劳动报酬",
                  penalty_category="罚款", fine_amount="5000",
                  penalty_basis="《劳动保障监察条例》第二十六条", penalty_content="罚款人民币伍仟元")  # fmt: skip
    body = page(logged_in_as(client, account), "/portal/records/")
    assert "违法行为类型：拖欠劳动报酬" in body and "处罚类别：罚款" in body
    assert "罚款金额：5000.00 元" in body and "处罚依据：《劳动保障监察条例》第二十六条" in body
    assert "处罚内容：罚款人民币伍仟元" in body


def test_a_record_made_internal_by_a_correction_disappears_with_its_history(client):
    account, _ = open_account()
    record = record_create(employer=account.employer, type="violation_found", date=days_ago(50),
                           case="舞人社监〔2026〕己7号", actor=STAFF)  # fmt: skip
    record_correct(record=record, reason="涉及商业秘密", disclosure="internal", actor=STAFF)
    logged_in_as(client, account)
    for path in ("/portal/records/", "/portal/", "/portal/history/", "/portal/objections/new/"):
        assert "舞人社监〔2026〕己7号" not in page(client, path), path


def test_history_lists_the_grade_changes_newest_first(client):
    account, _ = open_account()
    penalise(account.employer, case="舞人社监〔2026〕庚8号")
    body = page(logged_in_as(client, account), "/portal/history/")
    assert body.index("C级（较差）") < body.index("A级（良好）")
    assert "信用记录变化" in body and "首次评价" in body


def test_an_employer_files_an_objection_with_several_attachments_and_follows_it(client):
    account, _ = open_account()
    _, penalty = penalise(account.employer, case="舞人社监〔2026〕辛9号")
    logged_in_as(client, account)
    form = page(client, "/portal/objections/new/")
    assert f'value="{penalty.pk}"' in form and "multiple" in form
    response = client.post("/portal/objections/new/", {
        "subject": "records", "records": [penalty.pk], "reasons": "处罚决定已被复议撤销",
        "attachments": [upload("复议决定书.pdf", PDF), upload("照片.png", image_bytes("PNG"), "image/png")],
    })  # fmt: skip
    assert response.status_code == 302
    objection = Objection.objects.get(employer=account.employer)
    assert objection.channel == "online" and objection.disputed.count() == 1
    assert objection.attachments.count() == 2
    detail = page(client, response["Location"])
    assert "已收到" in detail and "暂定" in detail and "复议决定书.pdf" in detail
    assert "本单位" in detail
    assert objection.number in page(client, "/portal/objections/")

    objection = objection_accept(objection=objection, handling="self", actor=STAFF)
    objection = objection_decide(objection=objection, outcome="rejected", reason="复议决定未撤销处罚",
                                 actor=STAFF)  # fmt: skip
    detail = page(client, response["Location"])
    assert "复议决定未撤销处罚" not in detail  # decided, not yet told
    objection_notify(objection=objection, actor=STAFF)
    detail = page(client, response["Location"])
    assert "处理结果告知" in detail and "复议决定未撤销处罚" in detail
    assert "市人社局" in detail and STAFF not in detail
    assert "已按期告知" in detail


def test_an_objection_to_the_grade_needs_no_record_and_one_to_records_needs_one(client):
    account, _ = open_account()
    logged_in_as(client, account)
    refused = client.post("/portal/objections/new/", {"subject": "records", "reasons": "有误"})
    assert refused.status_code == 400 and "请选择有异议的信用记录" in refused.content.decode()
    empty = client.post("/portal/objections/new/", {"subject": "grade", "reasons": "  "})
    assert empty.status_code == 400
    assert not Objection.objects.exists()
    ok = client.post("/portal/objections/new/", {"subject": "grade", "reasons": "等级评价有误"})
    assert ok.status_code == 302
    assert Objection.objects.get().subject == "grade"


def test_a_bad_attachment_is_refused_with_a_chinese_message_and_nothing_is_filed(client):
    account, _ = open_account()
    logged_in_as(client, account)
    response = client.post("/portal/objections/new/", {
        "subject": "grade", "reasons": "等级评价有误",
        "attachments": [upload("假的.pdf", b"MZ\x90\x00 not a pdf")],
    })  # fmt: skip
    assert response.status_code == 400
    assert "不是完整的 PDF、PNG 或 JPEG 文件" in response.content.decode()
    assert not Objection.objects.exists()


def test_downloading_an_attachment_is_audited(client):
    account, _ = open_account()
    logged_in_as(client, account)
    client.post("/portal/objections/new/", {"subject": "grade", "reasons": "有误",
                                            "attachments": [upload("a.pdf", PDF)]})  # fmt: skip
    objection = Objection.objects.get()
    attachment = objection.attachments.get()
    before = AuditEntry.objects.filter(event="objection_step").count()
    response = client.get(f"/portal/objections/{objection.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AuditEntry.objects.filter(event="objection_step").count() == before + 1


def test_repair_shows_what_remains_and_the_earliest_date_the_grade_can_change(client):
    account, _ = open_account()
    penalise(account.employer, case="舞人社监〔2026〕壬10号", days_ago=60)
    logged_in_as(client, account)
    body = page(client, "/portal/repair/")
    assert "纠正违法行为（案件 舞人社监〔2026〕壬10号）" in body
    assert "履行行政处罚决定（案件 舞人社监〔2026〕壬10号）" in body
    assert "评价周期期满日" in body and "如今日完成全部事项" in body
    cycle_end = (days_ago(60).replace(year=days_ago(60).year + 1)).strftime("%Y-%m-%d")
    assert cycle_end in body
    record_create(employer=account.employer, type="violation_corrected", date=days_ago(1),
                  case="舞人社监〔2026〕壬10号", actor=STAFF)  # fmt: skip
    record_create(employer=account.employer, type="penalty_fulfilled", date=days_ago(1),
                  case="舞人社监〔2026〕壬10号", actor=STAFF)  # fmt: skip
    body = page(client, "/portal/repair/")
    assert "已全部完成" in body and "尚未纠正" not in body
    assert f"等级最早可以调整的日期</th><td>{cycle_end}" in body


def test_repair_says_there_is_nothing_to_repair_for_a_clean_employer(client):
    account, _ = open_account()
    assert "无需信用修复" in page(logged_in_as(client, account), "/portal/repair/")


def test_an_internal_case_in_the_basis_is_shown_as_not_public(client):
    account, _ = open_account()
    for kind in ("violation_found", "penalty_imposed"):
        record_create(employer=account.employer, type=kind, date=days_ago(15),
                      case="舞人社监〔2026〕癸11号", disclosure="internal", actor=STAFF)  # fmt: skip
    body = page(logged_in_as(client, account), "/portal/")
    assert "C级（较差）" in body and "第十二条(一)" in body
    assert "〔不公开〕" in body and "未经授权公开的信息（第七条）" in body
    assert "舞人社监〔2026〕癸11号" not in body
    assert 'href="/portal/repair/"' in body  # C for a penalty: see the repair


def test_the_not_public_note_is_absent_when_nothing_is_hidden(client):
    account, _ = open_account()
    penalise(account.employer, case="舞人社监〔2026〕子12号")
    body = page(logged_in_as(client, account), "/portal/")
    assert "〔不公开〕" not in body and "舞人社监〔2026〕子12号" in body


def test_a_page_not_found_on_the_portal_keeps_the_portal_layout_and_no_staff_link(client):
    logged_in_as(client, activated())
    response = client.get("/portal/objections/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "舞钢市用人单位劳动保障信用查询" in page and "/portal/" in page
    assert "/employers/" not in page


def test_a_full_id_number_kept_in_a_record_s_text_is_shown_masked(client):
    """Every way in now refuses one; a record kept from before shows it masked (IN2)."""
    account, _ = open_account()
    number = "410481199001011236"
    record_create(employer=account.employer, type="violation_found", date=days_ago(20),
                  case="舞人社监〔2026〕己1号", issuing_body=f"经办人 {number}",
                  description=f"身份证 {number} 已核实", actor=STAFF)  # fmt: skip
    body = page(logged_in_as(client, account), "/portal/records/")
    assert number not in body
    assert "经办人 410481********1236" in body and "身份证 410481********1236 已核实" in body


def test_a_written_objection_is_shown_received_on_the_day_it_was_received(client):
    """第十九条: a paper objection counts from the day the bureau received it, not from when an
    officer entered it; the portal's first step says that day."""
    from tests.objections.helpers import NATIONAL_DAY_EVE, file_paper

    account, _ = open_account()
    objection = file_paper(account.employer, subject="grade")
    body = page(logged_in_as(client, account), f"/portal/objections/{objection.pk}/")
    assert f"<time>{NATIONAL_DAY_EVE:%Y-%m-%d}</time> 已收到" in body
    assert "登记" in body


def _corrected_violation(employer, found: datetime.date) -> None:
    """第十一条: a violation corrected in time and never penalised (B for a year)."""
    record_create(employer=employer, type="violation_found", date=found,
                  case="舞人社监〔2026〕庚8号", correction_deadline=found + datetime.timedelta(days=20),
                  actor=STAFF)  # fmt: skip
    record_create(employer=employer, type="violation_corrected",
                  date=found + datetime.timedelta(days=10), case="舞人社监〔2026〕庚8号",
                  actor=STAFF)  # fmt: skip


def test_home_names_the_day_the_grade_changes_and_to_what_not_a_scheduling_bound(client):
    account, _ = open_account()
    found = days_ago(100)
    _corrected_violation(account.employer, found)
    body = page(logged_in_as(client, account), "/portal/")
    assert "B级（一般）" in body
    day = found + datetime.timedelta(days=365)
    shown = [day + datetime.timedelta(days=n) for n in range(3)]
    assert any(f"将于 {d:%Y-%m-%d} 调整为 A级（良好）" in body for d in shown), body
    assert "最早可能" not in body


def test_home_of_a_file_that_time_cannot_move_says_so(client):
    account, _ = open_account()
    body = page(logged_in_as(client, account), "/portal/")
    assert "本单位的信用等级不会随时间推移而变化" in body


def test_an_a_plus_is_told_its_assessment_lapses_into_an_a_to_review(client):
    account, _ = open_account()
    employer = account.employer
    record_create(employer=employer, type="harmonious_certified", date=days_ago(400), actor=STAFF)
    record_create(employer=employer, type="labor_practice_assessed", date=days_ago(30), passed=True,
                  actor=STAFF)  # fmt: skip
    body = page(logged_in_as(client, account), "/portal/")
    assert "A+级（优秀）" in body
    assert "调整为 A级（良好）并需市人社局人工复核" in body


def test_history_says_first_evaluation_not_a_change_from_nothing(client):
    account, _ = open_account()
    penalise(account.employer, case="舞人社监〔2026〕辛9号")
    body = page(logged_in_as(client, account), "/portal/history/")
    assert "（无）" not in body and ("首次评价" in body or "A级（良好） → " in body)
