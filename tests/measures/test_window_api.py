"""GET /api/v1/window/<uscc>: the licensing window's answer as JSON, and every error code."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laborcredit.credit.models import Employer
from laborcredit.measures.services import local_measure_add
from tests.accounts.helpers import make_user
from tests.factories import make_uscc
from tests.measures.helpers import blacklisted, graded_a, penalised

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(client):
    client.force_login(make_user("chuangkou", "licensing_window"))
    return client


def _get(client, code, status=200):
    response = client.get(f"/api/v1/window/{code}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_an_a_employer_gets_priority_handling_with_its_article(window):
    employer = graded_a(name="舞钢市宏远钢构有限公司")
    answer = _get(window, employer.uscc)
    assert answer["uscc"] == employer.uscc and answer["name"] == "舞钢市宏远钢构有限公司"
    assert (answer["grade"], answer["grade_label"]) == ("A", "良好")
    assert answer["as_of"] == datetime.date.today().isoformat()
    assert answer["pending_review"] is False
    assert answer["priority_handling"] is True
    assert answer["priority_handling_article"] == "第十五条（一）"
    assert answer["commitment_approval_narrowed"] is False
    assert answer["commitment_approval_narrowed_article"] is None
    assert answer["joint_punishment"] is False
    assert [m["citation"] for m in answer["measures"]][:1] == ["第十五条（一）"]


def test_a_penalised_employer_has_commitment_approval_narrowed(window):
    answer = _get(window, penalised().uscc.lower())  # read case-insensitively
    assert answer["grade"] == "C" and answer["priority_handling"] is False
    assert answer["commitment_approval_narrowed"] is True
    assert answer["commitment_approval_narrowed_article"] == "第十七条（一）"
    assert answer["joint_punishment"] is False


def test_a_blacklisted_employer_is_for_joint_punishment(window):
    answer = _get(window, blacklisted().uscc)
    assert answer["joint_punishment"] is True and answer["joint_punishment_article"] == "第十七条"
    assert answer["commitment_approval_narrowed"] is False
    assert [m["citation"] for m in answer["measures"]] == ["第十七条"]


def test_the_local_measures_in_force_are_in_the_answer(window):
    local_measure_add(
        item="第十五条（三）", title="人才项目优先推荐", legal_basis="豫人社〔2025〕1号",
        in_force_from=datetime.date(2025, 1, 1), actor="officer",
    )  # fmt: skip
    answer = _get(window, graded_a().uscc)
    (local,) = [m for m in answer["measures"] if m["local"]]
    assert local["text"] == "人才项目优先推荐" and local["legal_basis"] == "豫人社〔2025〕1号"


def test_an_ungraded_employer_has_no_grade_and_nothing_applies(window):
    bare = Employer.objects.create(uscc=make_uscc(9301), name="舞钢市新设有限公司")
    answer = _get(window, bare.uscc)
    assert answer["grade"] is None and answer["as_of"] is None and answer["measures"] == []
    assert not (answer["priority_handling"] or answer["joint_punishment"])


def test_an_invalid_code_is_a_400_in_chinese(window):
    answer = _get(window, "12345", status=400)
    assert answer["code"] == "uscc-invalid" and "统一社会信用代码" in answer["message"]


def test_an_unknown_employer_is_a_404_naming_the_code(window):
    code = make_uscc(9399)
    answer = _get(window, code, status=404)
    assert answer == {
        "code": "employer-unknown",
        "message": f"未找到统一社会信用代码为 {code} 的用人单位",
    }


def test_an_anonymous_caller_gets_401_not_a_login_page(client):
    answer = _get(client, graded_a().uscc, status=401)
    assert answer["code"] == "not-authenticated" and "登录" in answer["message"]


def test_an_account_without_the_permission_gets_403(client):
    client.force_login(make_user("shenji", "audit_admin"))
    answer = _get(client, graded_a().uscc, status=403)
    assert answer["code"] == "permission-denied" and "无权" in answer["message"]


def test_only_get_is_answered(window):
    response = window.post(f"/api/v1/window/{graded_a().uscc}")
    assert response.status_code == 405 and response.json()["code"] == "method-not-allowed"


def test_the_answer_takes_two_queries_beyond_the_session(window):
    code = graded_a().uscc
    window.get(f"/api/v1/window/{code}")  # the session's permissions cached as in real use
    with CaptureQueriesContext(connection) as captured:
        _get(window, code)
    own = [
        q["sql"]
        for q in captured.captured_queries
        if "credit_" in q["sql"] or "measures_" in q["sql"]
    ]
    assert len(own) == 2  # the employer with its grade and decision; the local measures in force
    assert (
        len(captured.captured_queries) <= 10
    )  # + session, user, profile, permissions, session save


@pytest.mark.parametrize("make", [graded_a, penalised, blacklisted])
def test_the_page_and_the_api_give_the_same_answer(window, make):
    employer = make()
    answer = _get(window, employer.uscc)
    page = window.get("/window/", {"code": employer.uscc}).content.decode()
    head = page.split("<h3>适用措施")[0]
    assert ("（第十五条（一））" in head) is answer["priority_handling"]
    assert ("（第十七条（一））" in head) is answer["commitment_approval_narrowed"]
    assert ("联合惩戒（第十七条）" in head) is answer["joint_punishment"]
