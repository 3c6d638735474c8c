"""/window/: the licensing window sees an employer's grade and the measures, and nothing more."""

import datetime

import pytest

from laborcredit.credit.services import record_create
from laborcredit.rating.services import employer_regrade
from tests.accounts.helpers import make_user
from tests.factories import EmployerFactory, make_uscc
from tests.web.helpers import penalise

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(client):
    client.force_login(make_user("chuangkou", "licensing_window"))
    return client


@pytest.fixture
def employer():
    return EmployerFactory(uscc=make_uscc(8101), name="舞钢市宏远钢构有限公司")


def _lookup(client, code, status=200):
    response = client.get("/window/", {"code": code})
    assert response.status_code == status
    return response.content.decode()


def test_an_a_employer_gets_priority_handling_under_article_15(window, employer):
    employer_regrade(employer=employer, cause="initial", actor="officer")
    assert employer.current_grade.official_grade == "A"
    page = _lookup(window, employer.uscc)
    assert "A级（良好）" in page
    assert "可给予优先办理、简化程序等便利化服务（第十五条（一））" in page
    assert "承诺制审批等便利化措施的范围（第十七条（一））" not in page


def test_a_penalised_employer_has_commitment_approval_narrowed(window, employer):
    penalise(employer)
    page = _lookup(window, employer.uscc.lower())  # the code is read case-insensitively
    assert "C级（较差）" in page
    assert "应根据实际情况减少对其采取承诺制审批等便利化措施的范围（第十七条（一））" in page
    assert "优先办理" not in page.split("适用措施")[0]


def test_a_blacklisted_employer_is_for_joint_punishment_and_not_narrowed(window, employer):
    day = datetime.date.today() - datetime.timedelta(days=20)
    record_create(employer=employer, type="blacklist_listed", date=day, actor="officer")
    page = _lookup(window, employer.uscc)
    assert "应按照法律法规规定进行联合惩戒（第十七条）" in page
    assert "（第十七条（一））" not in page.split("适用措施")[0]
    assert f"{day:%Y-%m-%d} 列入黑名单，目前仍在名单中" in page


def test_a_removal_from_the_blacklist_is_shown_beside_the_c_it_leaves(window, employer):
    listed = datetime.date.today() - datetime.timedelta(days=400)
    removed = datetime.date.today() - datetime.timedelta(days=30)
    record_create(employer=employer, type="blacklist_listed", date=listed, actor="officer")
    record_create(employer=employer, type="blacklist_removed", date=removed, actor="officer")
    page = _lookup(window, employer.uscc)
    assert "C级（较差）" in page  # 第十二条(二): removed within the last year
    assert f"已于 {removed:%Y-%m-%d} 移出" in page and "目前仍在名单中" not in page


def test_the_window_sees_no_record_and_no_basis_detail(window, employer):
    penalise(employer, case="舞人社监〔2026〕77号")
    page = _lookup(window, employer.uscc)
    assert "舞人社监〔2026〕77号" not in page
    assert window.get(f"/employers/{employer.uscc}/").status_code == 403


def test_an_invalid_code_is_answered_in_chinese(window):
    page = _lookup(window, "12345", status=400)
    assert "统一社会信用代码" in page


def test_an_unknown_code_is_a_404_with_the_code(window):
    code = make_uscc(8199)
    assert f"未找到统一社会信用代码为 {code} 的用人单位" in _lookup(window, code, status=404)


def test_an_ungraded_employer_is_handled_normally(window):
    from laborcredit.credit.models import Employer

    bare = Employer.objects.create(uscc=make_uscc(8102), name="舞钢市新设有限公司")
    assert "尚未评价信用等级，按一般程序办理" in _lookup(window, bare.uscc)


def test_the_audit_administrator_may_not_look_up_grades(client, employer):
    client.force_login(make_user("shenji", "audit_admin"))
    assert client.get("/window/", {"code": employer.uscc}).status_code == 403
