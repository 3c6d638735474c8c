"""/employers/<uscc>/: the credit file, its grade basis in the regulation's words, history and records."""

import pytest

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.demo import id_check_digit
from laborcredit.credit.services import employer_update, record_void
from laborcredit.rating.models import GradeChange
from tests.factories import EmployerFactory, make_uscc
from tests.web.helpers import assert_no_outside_assets, log_in, penalise, user_with

pytestmark = pytest.mark.django_db

ID_NUMBER = "41048119900101123" + id_check_digit("41048119900101123")


@pytest.fixture
def viewer(client):
    log_in(client, user_with("credit.view_employer", "credit.view_creditrecord"))
    return client


@pytest.fixture
def employer():
    return EmployerFactory(
        uscc=make_uscc(8001),
        name="舞钢市宏远钢构有限公司",
        legal_rep_name="张三明",
        legal_rep_id_number=ID_NUMBER,
    )


def decided_c(employer):
    """A violation not yet corrected (B, to review), which an officer decides is C."""
    import datetime

    from laborcredit.credit.services import record_create
    from laborcredit.rating.services import review_decide

    day = datetime.date.today() - datetime.timedelta(days=30)
    record_create(
        employer=employer, type="violation_found", date=day, case="舞人社监〔2026〕9号",
        actor="officer",
    )  # fmt: skip
    review_decide(employer=employer, decided_grade="C", reason="逾期未整改", actor="officer")


def _page(client, employer) -> str:
    response = client.get(f"/employers/{employer.uscc}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client, employer):
    assert client.get(f"/employers/{employer.uscc}/").status_code == 302


def test_a_user_without_the_permission_is_refused(client, employer):
    log_in(client, user_with(username="nobody"))
    assert client.get(f"/employers/{employer.uscc}/").status_code == 403


def test_an_unknown_code_is_a_chinese_404(viewer):
    response = viewer.get(f"/employers/{make_uscc(8999)}/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_an_invalid_code_is_a_404(viewer):
    assert viewer.get("/employers/not-a-code/").status_code == 404


def test_a_penalised_employer_shows_c_with_the_full_text_of_article_12(viewer, employer):
    penalise(employer)
    page = _page(viewer, employer)
    assert "C级（较差）" in page
    assert "第十二条(一)" in page
    assert "因违反人社法律法规受到行政处罚的" in page
    assert "被列入拖欠农民工工资“黑名单”的。" in page  # the whole article, not only the clause
    assert "\\n" not in page  # clause breaks are line breaks
    assert_no_outside_assets(page)


def test_the_timeline_lists_the_change_caused_by_the_penalty(viewer, employer):
    _, penalty = penalise(employer)
    change = GradeChange.objects.get(employer=employer, to_grade="C")
    assert change.record_id == penalty.pk
    page = _page(viewer, employer)
    timeline = page.split('id="history"')[1].split("</section>")[0]
    assert f'href="#record-{penalty.pk}"' in timeline
    assert "行政处罚" in timeline
    assert "信用记录变化" in timeline
    assert f'id="record-{penalty.pk}"' in page


def test_a_voided_record_shows_as_voided_with_its_reason_and_its_old_version(viewer, employer):
    _, penalty = penalise(employer)
    record_void(record=penalty, reason="处罚决定已被复议撤销", actor="officer")
    page = _page(viewer, employer)
    assert "已作废" in page
    assert "处罚决定已被复议撤销" in page
    assert f'id="record-{penalty.pk}"' in page  # the superseded version stays readable
    assert "已被取代" in page


def test_former_names_are_listed(viewer, employer):
    employer_update(employer=employer, actor="officer", name="舞钢市宏远重工有限公司")
    page = _page(viewer, employer)
    assert "舞钢市宏远钢构有限公司" in page


def test_personal_information_is_masked_for_an_ordinary_user(viewer, employer):
    page = _page(viewer, employer)
    assert "张*明" in page
    assert "410481********" + ID_NUMBER[-4:] in page
    assert ID_NUMBER not in page
    assert "张三明" not in page
    assert not AuditEntry.objects.filter(event="personal_info_view").exists()


def test_personal_information_is_shown_and_audited_once_for_a_credit_officer(client, employer):
    from tests.accounts.helpers import make_user

    log_in(client, make_user("chief", "credit_officer"))
    page = _page(client, employer)
    assert "张三明" in page
    assert ID_NUMBER in page
    entries = AuditEntry.objects.filter(event="personal_info_view")
    assert entries.count() == 1
    assert entries.get().object_id == employer.uscc
    assert entries.get().actor == "chief"


def test_an_officers_decision_over_the_computed_grade_is_noted(viewer, employer):
    decided_c(employer)
    page = _page(viewer, employer)
    assert "人工认定" in page
    assert "计算等级为 B级" in page
    assert "逾期未整改" in page
    assert "C级（较差）" in page


def _measures_section(page: str) -> str:
    start = page.index('<section id="measures">')
    return page[start : page.index("</section>", start)]


def test_a_penalised_employer_lists_the_sanctions_of_article_17_items_one_to_three(
    viewer, employer
):
    penalise(employer)
    section = _measures_section(_page(viewer, employer))
    assert "第十七条（一）" in section and "第十七条（三）" in section
    assert "承诺制审批" in section
    assert "因违反人社法律法规受到行政处罚被评为C级（较差）" in section
    assert "联合惩戒" not in section.split("全文")[0]  # not the blacklist paragraph


def test_an_employer_with_no_record_gets_the_incentives_of_its_grade(viewer, employer):
    from laborcredit.rating.services import employer_regrade

    employer_regrade(employer=employer, cause="initial", actor="officer")
    page = _page(viewer, employer)
    grade = employer.current_grade.official_grade
    section = _measures_section(page)
    expected = {"A+": "第十四条（一）", "A": "第十五条（一）", "B": "第十六条"}[grade]
    assert expected in section
    assert "第十七条（" not in section


def test_an_officers_c_without_a_c_rule_in_its_basis_says_the_paragraph_needs_checking(
    viewer, employer
):
    decided_c(employer)
    section = _measures_section(_page(viewer, employer))
    assert "第十七条哪一款适用须由信用管理员核实" in section


def test_an_inspector_sees_personal_information_masked(client, employer):
    from tests.accounts.helpers import make_user

    log_in(client, make_user("jiancha", "inspector"))
    page = _page(client, employer)
    assert "张三明" not in page and ID_NUMBER not in page
    assert "个人信息已脱敏显示" in page
    assert not AuditEntry.objects.filter(event="personal_info_view").exists()


def test_a_full_id_number_kept_in_a_record_s_text_is_shown_masked(viewer, employer):
    """Every way in now refuses one; a record kept from before shows it masked (IN2)."""
    import datetime

    from laborcredit.credit.services import record_create

    record_create(
        employer=employer, type="violation_found",
        date=datetime.date.today() - datetime.timedelta(days=20), case="舞人社监〔2026〕庚1号",
        issuing_body=f"经办人 {ID_NUMBER}", actor="officer",
    )  # fmt: skip
    page = _page(viewer, employer)
    assert ID_NUMBER not in page
    assert f"经办人 410481********{ID_NUMBER[-4:]}" in page


def test_the_grade_names_the_day_time_moves_it_and_says_when_that_day_has_passed(viewer, employer):
    import datetime

    from laborcredit.credit.services import record_create
    from laborcredit.rating.models import EmployerGrade

    found = datetime.date.today() - datetime.timedelta(days=370)  # the B's year ended 4–5 days ago
    record_create(employer=employer, type="violation_found", date=found, case="舞人社监〔2025〕3号",
                  correction_deadline=found + datetime.timedelta(days=20), actor="officer")  # fmt: skip
    record_create(employer=employer, type="violation_corrected",
                  date=found + datetime.timedelta(days=10), case="舞人社监〔2025〕3号",
                  actor="officer")  # fmt: skip
    assert "不会随时间推移而变化" in _page(viewer, employer)  # graded today: A, and stays A

    stored_on = datetime.date.today() - datetime.timedelta(days=10)  # as the stale row stood
    EmployerGrade.objects.filter(employer=employer).update(
        as_of=stored_on, grade="B", needs_review=False
    )
    body = _page(viewer, employer)
    assert "尚待每日到期重新评价更新" in body and "应为 A级（良好）" in body
    assert "最早可能变化日期" not in body


def test_the_grade_names_the_day_ahead_it_becomes_another(viewer, employer):
    import datetime

    from laborcredit.credit.services import record_create

    found = datetime.date.today() - datetime.timedelta(days=100)
    record_create(employer=employer, type="violation_found", date=found, case="舞人社监〔2026〕3号",
                  correction_deadline=found + datetime.timedelta(days=20), actor="officer")  # fmt: skip
    record_create(employer=employer, type="violation_corrected",
                  date=found + datetime.timedelta(days=10), case="舞人社监〔2026〕3号",
                  actor="officer")  # fmt: skip
    body = _page(viewer, employer)
    shown = [found + datetime.timedelta(days=365 + n) for n in range(3)]
    assert any(f"等级将于 {day:%Y-%m-%d} 变为 A级（良好）" in body for day in shown)


def test_the_provincial_result_is_shown_in_the_grade_and_history_names_both_grades(
    viewer, employer
):
    import datetime

    from laborcredit.credit.services import record_create

    day = datetime.date.today() - datetime.timedelta(days=10)
    record_create(employer=employer, type="provincial_credit", date=day, level="D", actor="officer")
    body = _page(viewer, employer)
    assert "河南省公共信用综合评价结果：D级（第八条）" in body
    record_create(employer=employer, type="violation_found", date=day, case="舞人社监〔2026〕5号",
                  correction_deadline=day + datetime.timedelta(days=30), actor="officer")  # fmt: skip
    history = _page(viewer, employer).split('id="history"')[1]
    assert "A级（良好） → " in history and "B级（一般）" in history
    assert "首次评价" in history


@pytest.mark.parametrize(
    ("actor", "shown"),
    [("cli:root", "命令行（root）"), ("api:法院 执行系统", "数据接口（法院 执行系统）")],
)
def test_a_record_entered_by_a_command_line_or_an_api_names_it_in_chinese(
    viewer, employer, actor, shown
):
    import datetime

    from laborcredit.credit.services import record_create

    day = datetime.date.today() - datetime.timedelta(days=30)
    record_create(employer=employer, type="violation_found", date=day, case="舞人社监〔2026〕7号",
                  actor=actor)  # fmt: skip
    page = _page(viewer, employer)
    assert shown in page
    assert actor not in page
